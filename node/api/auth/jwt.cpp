#include "node/api/auth/jwt.hpp"

#include "node/api/auth/base64.hpp"
#include "stdlib/crypto.hpp"

namespace assent::node::auth {

namespace {

AuthFailure bad(std::string message) {
  return {AuthError::BadCredentials, std::move(message)};
}

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// A part's JSON object, or nothing: non-throwing, and refusing what nlohmann would read past
// (a part is at most kMaxJwtBytes, so its depth is bounded too).
std::optional<JwtJson> json_object_of(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  JwtJson j = JwtJson::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

Result<Jwt, AuthFailure> parse_jwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes)
    return fail(bad("the token is longer than " + std::to_string(kMaxJwtBytes) + " bytes"));
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return fail(bad("the token is not a JWT: three base64url parts joined by `.`"));
  Jwt jwt;
  auto header = json_object_of(token.substr(0, first));
  if (!header) return fail(bad("the token's header is not a base64url JSON object"));
  jwt.header = std::move(*header);
  const auto alg = jwt.header.find("alg");
  if (alg == jwt.header.end() || !alg->is_string() || *alg != "EdDSA")
    return fail(bad("the token's `alg` is not EdDSA, the only one this node takes"));
  if (jwt.header.contains("crit"))
    return fail(bad("the token's header names `crit` extensions, which this node does not know"));
  auto claims = json_object_of(token.substr(first + 1, second - first - 1));
  if (!claims) return fail(bad("the token's claims are not a base64url JSON object"));
  jwt.claims = std::move(*claims);
  auto signature = base64url_decode(token.substr(second + 1));
  if (!signature || signature->size() != jwt.signature.size())
    return fail(bad("the token's signature is not 64 bytes of base64url"));
  std::copy(signature->begin(), signature->end(), jwt.signature.begin());
  jwt.signed_part = std::string(token.substr(0, second));
  return jwt;
}

bool jwt_signed_by(const Jwt& jwt, const stdlib::Identity& key) {
  return stdlib::ed25519_verify(key, bytes_of(jwt.signed_part), jwt.signature);
}

std::string sign_jwt(const KeyPair& key, const JwtJson& claims) {
  static const std::string header =
      base64url_encode(std::string_view(R"({"alg":"EdDSA","typ":"JWT"})"));
  const std::string signed_part = header + "." + base64url_encode(claims.dump());
  const Signature sig = key.sign(bytes_of(signed_part));
  return signed_part + "." + base64url_encode(sig);
}

std::optional<int64_t> claim_time(const JwtJson& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t{INT64_MAX}) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<std::string> claim_string(const JwtJson& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool audience_names(const JwtJson& claims, std::string_view audience) {
  const auto it = claims.find("aud");
  if (it == claims.end()) return false;
  if (it->is_string()) return it->get_ref<const std::string&>() == audience;
  if (!it->is_array()) return false;
  for (const auto& a : *it)
    if (a.is_string() && a.get_ref<const std::string&>() == audience) return true;
  return false;
}

}  // namespace assent::node::auth
