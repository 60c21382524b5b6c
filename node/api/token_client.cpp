#include "node/api/token_client.hpp"

#include "node/api/auth/authenticator.hpp"
#include "node/api/auth/jwt.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

// Form-encodes a value: everything but unreserved characters as %XX.
std::string form_value(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

Result<std::string, ApiError> request_token(ApiClient& api, const KeyPair& client,
                                            const std::string& scope) {
  const int64_t now = auth::system_seconds();
  const std::string id = to_hex(client.public_key());
  // Good for one minute and used once: what is stolen in transit is soon worthless.
  const auth::JwtJson claims = {{"iss", id},  {"sub", id},       {"aud", api.url() + "/v1/token"},
                                {"iat", now}, {"exp", now + 60}, {"jti", auth::new_nonce()}};
  std::string form =
      "grant_type=client_credentials&client_assertion_type=" + form_value(auth::kJwtBearer) +
      "&client_assertion=" + form_value(auth::sign_jwt(client, claims));
  if (!scope.empty()) form += "&scope=" + form_value(scope);
  auto answer = api.post_form("/v1/token", form);
  if (!answer.ok()) return fail(answer.error());
  if (!answer->contains("access_token") || !(*answer)["access_token"].is_string())
    return fail(ApiError{200, "not_json", "the node's token answer has no access_token"});
  return (*answer)["access_token"].get<std::string>();
}

}  // namespace assent::node
