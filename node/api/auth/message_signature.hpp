// HTTP Message Signatures (RFC 9421) with Ed25519, and Content-Digest (RFC 9530): the
// signature base of a request, the headers that sign one, and the check of a signed one.
//
// Assent's profile (docs/api.md, "Authentication"): a request is signed over `@method`,
// `@authority`, `@path` and `@query` (the target in parts, not `@target-uri`: the scheme
// would make a node behind a TLS-terminating proxy, or one that serves both, rebuild a URI
// its client never sent), and `content-digest` when it has a body; with the parameters
// `created` (required), `keyid` (required: the signer's identity, 64 hex digits: the key is
// the identity, so there is nothing to look up), `alg` (`ed25519` if given), `nonce` and
// `expires` (optional). Other header fields may be covered too; no other derived component,
// and no component parameter (`;sf`, `;key`, `;req`, `;bs`) is accepted. One signature per
// request: a Signature-Input of several labels is refused rather than guessed at.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/api/auth/errors.hpp"
#include "node/api/auth/structured_fields.hpp"
#include "node/chain/keys.hpp"

namespace assent::node::auth {

// The parts of a request that RFC 9421's components are taken from. Views: the caller keeps
// what they point to alive while the message is used.
struct SignedMessage {
  std::string_view method;     // "GET", "POST", ...
  std::string_view authority;  // the Host header's value, as sent
  std::string_view target;     // the request target as sent: path and query, percent-encoded
  const std::map<std::string, std::string>* headers = nullptr;  // names in lower case
};

// The value of one covered component (`@method`, or a header field's name), or why the
// message has none.
Result<std::string, std::string> component_value(const SignedMessage& message,
                                                 std::string_view component);

// The signature base (RFC 9421 2.5): one line per component of `covered`, then
// `"@signature-params"` with `covered` (its items and parameters) serialized canonically.
Result<std::string, std::string> signature_base(const SignedMessage& message,
                                                const SfInnerList& covered);

// `sha-256=:<base64 of SHA-256(body)>:`, the Content-Digest of `body`.
std::string content_digest(std::string_view body);

// The headers that sign a request (names as sent): Content-Digest when `body` is not empty,
// Signature-Input and Signature, under the label `sig`. `authority` must be what the client
// sends as Host; `target` what it sends as the request target.
std::vector<std::pair<std::string, std::string>> sign_request(
    const KeyPair& key, std::string_view method, std::string_view authority,
    std::string_view target, std::string_view body, int64_t created, const std::string& nonce);

// The Host a client sends for `url` (scheme://host[:port][/...]), as @authority signs it:
// host:port in lower case, the port left out when it is the scheme's default.
std::string authority_of_url(std::string_view url);

// 16 random bytes in hex: a signature's nonce.
std::string new_nonce();

// How far a signature's `created` may be from the node's clock, either way: a signature is
// good for kMaxSkewSeconds after it is made, and a client's clock may be as far ahead.
inline constexpr int64_t kMaxSkewSeconds = 60;
// How far ahead of the node's clock a signature's `created` may be. Small, because the replay
// cache keeps each signature until created + kMaxSkewSeconds: signatures dated a minute ahead
// outlived every honest one in a full cache, and a flood of them locked honest clients out
// (found by a hostile review). Clocks within NTP's reach are well inside it.
inline constexpr int64_t kMaxFutureSeconds = 5;

// A signature that verified, over the components this profile requires.
struct VerifiedSignature {
  stdlib::Identity key{};
  int64_t created = 0;
  int64_t valid_until = 0;  // the first second at which the time check alone refuses it
  Signature signature{};
};

// Checks a signed request: its Signature-Input and Signature, the components they cover,
// `created` (within `max_skew` of `now`, unix seconds) and `expires`, Content-Digest against
// `body`, and the Ed25519 signature with the key `keyid` names. Replays are the caller's to
// refuse (ReplayCache): this says only whether the signature is good.
Result<VerifiedSignature, AuthFailure> verify_request(const SignedMessage& message,
                                                      std::string_view body, int64_t now,
                                                      int64_t max_skew = kMaxSkewSeconds);

}  // namespace assent::node::auth
