// JSON Web Tokens (RFC 7519) in JWS compact form (RFC 7515), signed with Ed25519 (`alg`
// "EdDSA", RFC 8037): the client assertions a client sends to POST /v1/token and the access
// tokens the node gives back. Only EdDSA is accepted: `none`, HMAC and every other `alg` are
// refused before anything else is read, and so is a header with `crit` (an extension this
// node would have to understand).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "node/api/auth/errors.hpp"
#include "node/chain/keys.hpp"

namespace assent::node::auth {

using JwtJson = nlohmann::json;

// A token's most bytes: one in an Authorization header, or a form's field.
inline constexpr std::size_t kMaxJwtBytes = 4096;

// A token that parsed, not yet verified.
struct Jwt {
  JwtJson header;           // an object, `alg` EdDSA
  JwtJson claims;           // an object
  std::string signed_part;  // header.payload, as sent: what the signature is over
  Signature signature{};
};

// Parses `token` (three base64url parts; the header and claims JSON objects; the signature
// 64 bytes), or says what is wrong (BadCredentials).
Result<Jwt, AuthFailure> parse_jwt(std::string_view token);

// Whether `jwt`'s signature is `key`'s.
bool jwt_signed_by(const Jwt& jwt, const stdlib::Identity& key);

// `claims` signed by `key`: header {"alg":"EdDSA","typ":"JWT"}.
std::string sign_jwt(const KeyPair& key, const JwtJson& claims);

// Claims read with their types checked: a NumericDate (an integer of seconds), a string.
// std::nullopt when absent or of another type.
std::optional<int64_t> claim_time(const JwtJson& claims, const char* name);
std::optional<std::string> claim_string(const JwtJson& claims, const char* name);
// Whether `aud` (a string, or an array of strings) names `audience`.
bool audience_names(const JwtJson& claims, std::string_view audience);

}  // namespace assent::node::auth
