// OAuth 2.0 bearer tokens, SMART Backend Services style: a registered client's JWT assertion
// for an access token the node signs; each way a token or an assertion can be wrong, refused
// with its code; revocation by jti and by a client's not-before; the authenticator that picks
// signatures or tokens off a request.
#include <doctest/doctest.h>

#include "node/api/auth/authenticator.hpp"
#include "node/api/auth/base64.hpp"
#include "node/api/auth/jwt.hpp"
#include "vm/hex.hpp"

using namespace assent;
using namespace assent::node::auth;

namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kEndpoint = "http://127.0.0.1:8645/v1/token";
constexpr int64_t kNow = 1'800'000'000;

node::KeyPair new_key() {
  return std::move(node::KeyPair::generate()).value();
}

JwtJson assertion_claims(const node::KeyPair& client, const std::string& jti = "j1") {
  const std::string id = to_hex(client.public_key());
  return {{"iss", id}, {"sub", id}, {"aud", kEndpoint}, {"exp", kNow + 240}, {"jti", jti}};
}

std::string form(const std::string& assertion, const std::string& scope = "") {
  std::string f = std::string("grant_type=client_credentials&client_assertion_type=") +
                  "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer" +
                  "&client_assertion=" + assertion;
  if (!scope.empty()) f += "&scope=" + scope;
  return f;
}

struct Issuer {
  node::KeyPair node_key = new_key();
  node::KeyPair client = new_key();
  ClientList clients;
  std::unique_ptr<TokenIssuer> tokens;

  Issuer() {
    clients.add(client.public_key(), {"ehr", 0});
    tokens =
        std::make_unique<TokenIssuer>(node_key, "assent-test", clients.registry(), TokenConfig{});
  }
  Result<TokenGrant, AuthFailure> ask(const JwtJson& claims, const std::string& scope = "",
                                      const node::KeyPair* signer = nullptr) {
    return tokens->issue(kForm, form(sign_jwt(signer ? *signer : client, claims), scope),
                         {kEndpoint}, kNow);
  }
};

template <class T>
AuthError code_of(const Result<T, AuthFailure>& r) {
  REQUIRE(!r.ok());
  return r.error().code;
}

}  // namespace

TEST_CASE("tokens: a registered client's assertion gets a token the node verifies") {
  Issuer i;
  auto grant = i.ask(assertion_claims(i.client));
  REQUIRE_MESSAGE(grant.ok(), (grant.ok() ? "" : grant.error().message));
  CHECK(grant->expires_in == 300);
  CHECK(grant->scope == "system/*.read system/*.write");
  auto jwt = parse_jwt(grant->access_token);
  REQUIRE(jwt.ok());
  CHECK(jwt->claims["iss"] == "assent-test");
  CHECK(jwt->claims["aud"] == to_hex(i.node_key.public_key()));
  CHECK(jwt->claims["sub"] == to_hex(i.client.public_key()));
  CHECK(jwt->claims["exp"] == kNow + 300);
  CHECK(jwt->claims["jti"].get<std::string>().size() == 32);
  auto who = i.tokens->verify(grant->access_token, kNow + 10);
  REQUIRE(who.ok());
  CHECK(who->identity == i.client.public_key());
  CHECK(who->how == AuthMethod::Token);
  CHECK(who->scopes == kScopeAll);
  // Verified again from the cache of good tokens: the same answer.
  CHECK(i.tokens->verify(grant->access_token, kNow + 20)->identity == i.client.public_key());

  auto read_only = i.ask(assertion_claims(i.client, "j2"), "system%2F*.read");
  REQUIRE(read_only.ok());
  CHECK(read_only->scope == "system/*.read");
  CHECK(i.tokens->verify(read_only->access_token, kNow)->scopes == kScopeRead);
  CHECK(code_of(i.ask(assertion_claims(i.client, "j3"), "patient%2F*.read")) ==
        AuthError::BadScope);
}

TEST_CASE("tokens: each fault of an access token is refused with its code") {
  Issuer i;
  const std::string token = i.ask(assertion_claims(i.client))->access_token;
  SUBCASE("expired") {
    CHECK(code_of(i.tokens->verify(token, kNow + 300)) == AuthError::Expired);
    CHECK(i.tokens->verify(token, kNow + 299).ok());
    CHECK(code_of(i.tokens->verify(token, kNow + 301)) == AuthError::Expired);  // cached too
  }
  SUBCASE("for another node: another key, another audience") {
    Issuer other;
    const std::string theirs =
        other.tokens->grant(i.client.public_key(), kScopeAll, kNow).access_token;
    auto r = i.tokens->verify(theirs, kNow);
    CHECK(code_of(r) == AuthError::WrongAudience);
    CHECK(r.error().message.find("another node") != std::string::npos);
  }
  SUBCASE("from another chain, by the same node's key") {
    TokenIssuer elsewhere(i.node_key, "assent-other", i.clients.registry(), TokenConfig{});
    CHECK(code_of(i.tokens->verify(
              elsewhere.grant(i.client.public_key(), kScopeAll, kNow).access_token, kNow)) ==
          AuthError::WrongAudience);
  }
  SUBCASE("a bad signature: claims changed, or signed by another key claiming this audience") {
    auto jwt = parse_jwt(token);
    JwtJson claims = jwt->claims;
    claims["sub"] = to_hex(new_key().public_key());
    const std::string header = token.substr(0, token.find('.'));
    const std::string altered =
        header + "." + base64url_encode(claims.dump()) + token.substr(token.rfind('.'));
    CHECK(code_of(i.tokens->verify(altered, kNow)) == AuthError::SignatureInvalid);
    CHECK(code_of(i.tokens->verify(sign_jwt(new_key(), jwt->claims), kNow)) ==
          AuthError::SignatureInvalid);
  }
  SUBCASE("not a JWT, or alg none") {
    CHECK(code_of(i.tokens->verify("abc", kNow)) == AuthError::BadCredentials);
    const std::string none = base64url_encode(std::string_view(R"({"alg":"none"})")) + "." +
                             token.substr(token.find('.') + 1);
    CHECK(code_of(i.tokens->verify(none, kNow)) == AuthError::BadCredentials);
  }
  SUBCASE("revoked by its client, and by a not-before later than its iat") {
    const Principal client{i.client.public_key(), AuthMethod::Token, kScopeAll};
    const Principal stranger{new_key().public_key(), AuthMethod::Signature, kScopeAll};
    CHECK(code_of(i.tokens->revoke(kForm, "token=" + token, stranger, kNow)) ==
          AuthError::WrongPrincipal);
    CHECK(i.tokens->verify(token, kNow).ok());
    CHECK(*i.tokens->revoke(kForm, "token=" + token, client, kNow));
    CHECK(code_of(i.tokens->verify(token, kNow)) == AuthError::Revoked);
    CHECK(!*i.tokens->revoke(kForm, "token=not-a-token", client, kNow));  // RFC 7009: no error

    ClientList later;
    later.add(i.client.public_key(), {"ehr", kNow + 1});
    TokenIssuer strict(i.node_key, "assent-test", later.registry(), TokenConfig{});
    const std::string old = strict.grant(i.client.public_key(), kScopeAll, kNow).access_token;
    CHECK(code_of(strict.verify(old, kNow + 5)) == AuthError::Revoked);
    CHECK(
        strict
            .verify(strict.grant(i.client.public_key(), kScopeAll, kNow + 1).access_token, kNow + 5)
            .ok());
  }
  SUBCASE("a client deregistered loses its tokens") {
    TokenIssuer none(i.node_key, "assent-test", ClientList().registry(), TokenConfig{});
    CHECK(code_of(none.verify(token, kNow)) == AuthError::UnregisteredClient);
  }
}

TEST_CASE("tokens: each fault of a token request or its assertion is refused with its code") {
  Issuer i;
  CHECK(i.ask(assertion_claims(i.client, "once")).ok());
  // The same jti again: a replay, even with a new signature over other claims.
  JwtJson again = assertion_claims(i.client, "once");
  again["exp"] = kNow + 200;
  CHECK(code_of(i.ask(again)) == AuthError::Replayed);

  const node::KeyPair stranger = new_key();
  auto unregistered = i.ask(assertion_claims(stranger), "", &stranger);
  CHECK(code_of(unregistered) == AuthError::UnregisteredClient);
  CHECK(unregistered.error().message.find("not registered") != std::string::npos);

  CHECK(code_of(i.ask(assertion_claims(i.client, "k1"), "", &stranger)) ==
        AuthError::SignatureInvalid);

  JwtJson expired = assertion_claims(i.client, "k2");
  expired["exp"] = kNow;
  CHECK(code_of(i.ask(expired)) == AuthError::Expired);
  JwtJson too_long = assertion_claims(i.client, "k3");
  too_long["exp"] = kNow + 301;
  CHECK(code_of(i.ask(too_long)) == AuthError::BadCredentials);
  JwtJson elsewhere = assertion_claims(i.client, "k4");
  elsewhere["aud"] = "http://10.0.0.9:8645/v1/token";
  CHECK(code_of(i.ask(elsewhere)) == AuthError::WrongAudience);
  JwtJson in_list = assertion_claims(i.client, "k5");
  in_list["aud"] = JwtJson::array({"x", kEndpoint});
  CHECK(i.ask(in_list).ok());
  JwtJson no_jti = assertion_claims(i.client);
  no_jti.erase("jti");
  CHECK(code_of(i.ask(no_jti)) == AuthError::BadCredentials);
  JwtJson other_sub = assertion_claims(i.client, "k6");
  other_sub["sub"] = to_hex(stranger.public_key());
  CHECK(code_of(i.ask(other_sub)) == AuthError::BadCredentials);

  const std::string good = sign_jwt(i.client, assertion_claims(i.client, "k7"));
  CHECK(code_of(i.tokens->issue("application/json", form(good), {kEndpoint}, kNow)) ==
        AuthError::BadGrant);
  CHECK(code_of(i.tokens->issue(kForm, "grant_type=password&client_assertion=" + good, {kEndpoint},
                                kNow)) == AuthError::BadGrant);
  CHECK(code_of(i.tokens->issue(kForm, form(good) + "&grant_type=client_credentials", {kEndpoint},
                                kNow)) == AuthError::BadGrant);
  CHECK(
      i.tokens
          ->issue("application/x-www-form-urlencoded; charset=utf-8", form(good), {kEndpoint}, kNow)
          .ok());
}

TEST_CASE("authenticator: anonymous, signed, bearer, both, and replays") {
  node::KeyPair node_key = new_key(), client = new_key();
  ClientList clients;
  clients.add(client.public_key(), {});
  int64_t now = kNow;
  Authenticator auth(node_key, "assent-test", clients.registry(), AuthConfig{},
                     [&now] { return now; });
  std::map<std::string, std::string> headers = {{"host", "127.0.0.1:8645"}};
  const AuthRequest request{"GET", "/v1/status", &headers, ""};
  auto anonymous = auth.authenticate(request);
  REQUIRE(anonymous.ok());
  CHECK(!anonymous->authenticated());

  for (auto& [name, value] :
       sign_request(client, "GET", "127.0.0.1:8645", "/v1/status", "", now, "n"))
    headers[name == "Signature" ? "signature" : "signature-input"] = value;
  auto signed_in = auth.authenticate(request);
  REQUIRE_MESSAGE(signed_in.ok(), (signed_in.ok() ? "" : signed_in.error().message));
  CHECK(signed_in->identity == client.public_key());
  CHECK(signed_in->how == AuthMethod::Signature);
  CHECK(code_of(auth.authenticate(request)) == AuthError::Replayed);
  now += kMaxSkewSeconds + 1;  // the replay cache has let it go; the window refuses it
  CHECK(code_of(auth.authenticate(request)) == AuthError::Expired);

  headers["authorization"] = "Bearer x";
  CHECK(code_of(auth.authenticate(request)) == AuthError::BadCredentials);  // both
  headers.erase("signature");
  headers.erase("signature-input");
  const std::string token = auth.tokens().grant(client.public_key(), kScopeRead, now).access_token;
  headers["authorization"] = "bearer  " + token;
  auto bearer = auth.authenticate(request);
  REQUIRE_MESSAGE(bearer.ok(), (bearer.ok() ? "" : bearer.error().message));
  CHECK(bearer->how == AuthMethod::Token);
  CHECK(bearer->scopes == kScopeRead);
  headers["authorization"] = "Basic dXNlcjpwYXNz";
  CHECK(code_of(auth.authenticate(request)) == AuthError::BadCredentials);
}
