// OAuth 2.0 bearer tokens, as SMART Backend Services issues them (client credentials with a
// JWT assertion, RFC 6749 4.4 and RFC 7523): a registered client signs an assertion with its
// key and POSTs it to /v1/token; the node answers an access token, a JWT it signs with its
// own key, which the client sends as `Authorization: Bearer` (RFC 6750).
//
// The client's id is its identity (64 hex digits), and its key is the identity itself: the
// assertion's iss and sub are the id, the signature is checked with it, no key set is
// fetched. An assertion: alg EdDSA; iss = sub = the client id; aud = the token endpoint's
// URL (one the node is reached at); exp at most 5 minutes ahead; jti used once (replays are
// refused while the assertion could still be valid). An access token: iss = the chain id,
// aud = the node's identity (so a token of another node is refused here, and this node's
// elsewhere), sub = the client, iat, exp (5 minutes by default), jti, scope.
//
// Revocation: a client removed from the registry, or whose not-before is later than a
// token's iat, loses its tokens at once; one token is revoked by its jti (POST
// /v1/token/revoke, RFC 7009), kept in memory until the token expires. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "node/api/auth/clients.hpp"
#include "node/api/auth/errors.hpp"
#include "node/api/auth/principal.hpp"
#include "node/api/auth/replay_cache.hpp"
#include "node/chain/keys.hpp"

namespace assent::node::auth {

inline constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// The scopes a token may carry: reads (views, the chain's records, events), and submits.
inline constexpr const char* kReadScope = "system/*.read";
inline constexpr const char* kWriteScope = "system/*.write";

struct TokenConfig {
  int64_t lifetime = 300;                 // seconds an access token is good for
  int64_t max_assertion_lifetime = 300;   // the furthest ahead an assertion's exp may be
  int64_t max_skew = 60;                  // an assertion's nbf or iat may be this far ahead
  std::size_t replay_capacity = 100'000;  // assertions' jti remembered (ReplayCache)
  std::size_t verified_capacity = 4096;   // tokens whose signature is known good
  std::size_t max_revoked = 100'000;      // tokens revoked and not yet expired
};

struct TokenGrant {
  std::string access_token;
  int64_t expires_in = 0;
  std::string scope;
};

class TokenIssuer {
 public:
  // `key`: the node's (it signs tokens and is their audience); `issuer`: the chain id.
  TokenIssuer(KeyPair key, std::string issuer, ClientRegistry clients, TokenConfig config);

  // Answers a token request: `content_type` and `form` are the request's; the assertion's aud
  // must be one of `audiences` (the token endpoint's URLs). `now` in unix seconds.
  Result<TokenGrant, AuthFailure> issue(std::string_view content_type, std::string_view form,
                                        const std::vector<std::string>& audiences, int64_t now);

  // The principal a bearer token proves, or why it proves none.
  Result<Principal, AuthFailure> verify(std::string_view token, int64_t now);

  // RFC 7009: revokes the token in `form` (token=...) for `by`, who must be its subject. A
  // token that is not this node's, or already expired, is no error (RFC 7009 2.2).
  Result<bool, AuthFailure> revoke(std::string_view content_type, std::string_view form,
                                   const Principal& by, int64_t now);

  // An access token for `client` with `scopes`, issued at `now` (issue() calls this after
  // checking the assertion; tests and tools that hold the node's key call it directly).
  TokenGrant grant(const stdlib::Identity& client, uint8_t scopes, int64_t now) const;

 private:
  struct Verified {
    Principal principal;
    int64_t issued = 0, expires = 0;
    std::string jti;
  };
  // Refusals that can change after a token verified: revocation, and registration.
  std::optional<AuthFailure> still_valid(const Verified& v, int64_t now);
  Result<Verified, AuthFailure> check(std::string_view token, int64_t now) const;

  const KeyPair key_;
  const std::string issuer_, audience_;
  const ClientRegistry clients_;
  const TokenConfig config_;
  ReplayCache assertions_;

  std::mutex mutex_;
  std::unordered_map<std::string, Verified> verified_;  // by SHA-256 of the token (hex)
  std::map<std::string, int64_t> revoked_;              // jti -> its token's exp
};

}  // namespace assent::node::auth
