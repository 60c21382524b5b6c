// Who sent a request: the one place the API establishes it (the router asks it before any
// handler that needs it runs). A request proves its sender with one of
//   - an HTTP Message Signature (RFC 9421, message_signature.hpp) by the sender's key, each
//     signature used once (ReplayCache), or
//   - `Authorization: Bearer <token>`, a token this node issued (tokens.hpp);
// a request with neither is anonymous, and one with both is refused (which one would count
// is a question a client should not leave to the server).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "node/api/auth/message_signature.hpp"
#include "node/api/auth/principal.hpp"
#include "node/api/auth/replay_cache.hpp"
#include "node/api/auth/tokens.hpp"

namespace assent::node::auth {

// Unix seconds. The system clock unless a test gives another.
using Clock = std::function<int64_t()>;
int64_t system_seconds();

struct AuthConfig {
  int64_t max_skew = kMaxSkewSeconds;     // a signature's created, either side of the clock
  std::size_t replay_capacity = 100'000;  // signatures remembered (ReplayCache)
  TokenConfig tokens;
};

// A request as the authenticator reads it. Views: valid while it is used.
struct AuthRequest {
  std::string_view method;
  std::string_view target;                                      // as sent
  const std::map<std::string, std::string>* headers = nullptr;  // names in lower case
  std::string_view body;
};

class Authenticator {
 public:
  // `node_key` signs and receives tokens; `chain_id` is their issuer; `clients` says who may
  // have one.
  Authenticator(KeyPair node_key, std::string chain_id, ClientRegistry clients, AuthConfig config,
                Clock clock = system_seconds);

  // The request's principal: anonymous when it carries no credentials; the refusal when it
  // carries credentials that do not prove one.
  Result<Principal, AuthFailure> authenticate(const AuthRequest& request);

  TokenIssuer& tokens() { return tokens_; }
  int64_t now() const { return clock_(); }

 private:
  Result<Principal, AuthFailure> by_signature(const AuthRequest& request, std::string_view host);
  Result<Principal, AuthFailure> by_token(std::string_view authorization);

  const AuthConfig config_;
  const Clock clock_;
  ReplayCache signatures_;
  TokenIssuer tokens_;
};

}  // namespace assent::node::auth
