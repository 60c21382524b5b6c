// Fuzz target: any bytes as a bearer token and as a token request. The bytes go through the
// JWT parser, the node's check of an access token (TokenIssuer::verify) and of a token
// request's form and client assertion (TokenIssuer::issue): each answers, good or refused
// with a message, and nothing crashes. A token that parses and verifies must be one the
// node's key signed: the target's own tokens are among the seeds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "node/api/auth/jwt.hpp"
#include "node/api/auth/tokens.hpp"

namespace {

using namespace assent::node;
using namespace assent::node::auth;

constexpr int64_t kNow = 1'800'000'000;

struct World {
  KeyPair key = std::move(KeyPair::generate()).value();
  ClientList clients;
  std::unique_ptr<TokenIssuer> issuer;
  World() {
    clients.add(key.public_key(), {"self", 0});
    issuer = std::make_unique<TokenIssuer>(key, "assent-fuzz", clients.registry(), TokenConfig{});
  }
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = world();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto jwt = parse_jwt(text); jwt.ok()) {
    if (!jwt->header.is_object() || !jwt->claims.is_object()) __builtin_trap();
    (void)jwt->claims.dump(-1, ' ', false, JwtJson::error_handler_t::replace);
  }
  auto who = w.issuer->verify(text, kNow);
  if (who.ok() && who->identity != w.key.public_key()) __builtin_trap();  // only it has tokens
  if (!who.ok() && who.error().message.empty()) __builtin_trap();
  auto grant = w.issuer->issue("application/x-www-form-urlencoded", text,
                               {"http://127.0.0.1:8645/v1/token"}, kNow);
  if (!grant.ok() && grant.error().message.empty()) __builtin_trap();
  return 0;
}
