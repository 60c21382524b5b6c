// Authentication on a real server on loopback (docs/api.md, "Authentication"): only status,
// metrics and the token endpoint answer anonymously; a signed request (RFC 9421) or a bearer
// token (SMART Backend Services) proves its sender, and every way either can be wrong is
// refused with its reason; a view runs as its sender, never as a caller the client names.
#include <httplib.h>

#include "node/api/auth/jwt.hpp"
#include "node/api/auth/tokens.hpp"
#include "node/api/token_client.hpp"
#include "tests/node/node_fixture.hpp"
#include "tests/support/signed_http.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

constexpr const char* kWhoAmI = R"(
contract WhoAmI {
    view whoami() -> identity { return caller; }
}
)";

// A node whose registered clients are `ehr` (and whoever a test adds).
struct AuthNode : TestNode {
  node::KeyPair ehr;

  explicit AuthNode(const std::string& name, node::KeyPair client_key = new_key(),
                    const std::function<void(node::ApiConfig&)>& more = {})
      : TestNode(name, 20,
                 [&](node::ApiConfig& c) {
                   node::auth::ClientList clients;
                   clients.add(client_key.public_key(), {"ehr", 0});
                   c.clients = clients.registry();
                   if (more) more(c);
                 }),
        ehr(std::move(client_key)) {}

  // The node's own key, as a TokenIssuer of the node's would sign with it.
  node::KeyPair node_key() const {
    auto k = node::KeyPair::load((dir / "node.pem").string());
    REQUIRE(k.ok());
    return std::move(k).value();
  }
  std::string chain_id() { return node->chain().config().chain_id; }
};

struct Answer {
  int status = 0;
  Json body;
  std::string code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
  std::string message() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
};

Answer answer_of(const httplib::Result& r) {
  REQUIRE(r);
  Answer a{r->status, Json::parse(r->body, nullptr, false)};
  return a;
}

Answer get(const std::string& url, const std::string& target, const httplib::Headers& h = {}) {
  return answer_of(httplib::Client(url).Get(target, h));
}

Answer post(const std::string& url, const std::string& target, const std::string& body,
            const httplib::Headers& h = {}, const char* type = "application/json") {
  return answer_of(httplib::Client(url).Post(target, h, body, type));
}

httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// A client assertion for `client` to `url`'s token endpoint, and the form that carries it.
std::string token_form(const node::KeyPair& client, const std::string& url,
                       const std::string& jti = node::auth::new_nonce()) {
  const std::string id = node::hex(client.public_key());
  const int64_t now = node::auth::system_seconds();
  const node::auth::JwtJson claims = {
      {"iss", id}, {"sub", id}, {"aud", url + "/v1/token"}, {"exp", now + 60}, {"jti", jti}};
  return "grant_type=client_credentials&client_assertion_type=" +
         std::string("urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer") +
         "&client_assertion=" + node::auth::sign_jwt(client, claims);
}

constexpr const char* kForm = "application/x-www-form-urlencoded";

}  // namespace

TEST_CASE("auth: only status, metrics and the token endpoint answer without credentials") {
  AuthNode t("auth-anonymous");
  const std::string account = "/v1/accounts/" + node::hex(t.ehr.public_key());
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", account},
           {"GET", "/v1/blocks/1"},
           {"GET", "/v1/blocks/1/raw"},
           {"GET", "/v1/events?identity=" + node::hex(t.ehr.public_key())},
           {"GET", "/v1/transactions/" + std::string(64, 'a')},
           {"GET", "/v1/contracts/" + std::string(64, 'a')},
           {"POST", "/v1/view"},
           {"POST", "/v1/transactions"},
           {"POST", "/v1/token/revoke"}}) {
    INFO(method << " " << target);
    Answer a = method == "GET" ? get(t.url, target) : post(t.url, target, "{}");
    CHECK(a.status == 401);
    CHECK(a.code() == "unauthenticated");
    CHECK(a.message().find("needs credentials") != std::string::npos);
    CHECK(a.message().find("assent token --as NAME") != std::string::npos);
  }
  CHECK(get(t.url, "/v1/status").status == 200);
  CHECK(httplib::Client(t.url).Get("/metrics")->status == 200);
  // The token endpoint reads the assertion, not the headers.
  CHECK(post(t.url, "/v1/token", token_form(t.ehr, t.url), {}, kForm).status == 200);
  // Refusals are counted.
  auto metrics = httplib::Client(t.url).Get("/metrics");
  CHECK(metrics->body.find("assent_auth_refused_total 9") != std::string::npos);
}

TEST_CASE("auth: signed requests, and each way a signature can be wrong") {
  AuthNode t("auth-signed");
  const node::KeyPair alice = new_key(), mallory = new_key();
  const std::string target = "/v1/accounts/" + node::hex(alice.public_key());
  const httplib::Headers good = signed_headers(alice, t.url, "GET", target);
  Answer ok = get(t.url, target, good);
  CHECK(ok.status == 200);
  CHECK(ok.body["next_nonce"] == 0);

  // The same request again, byte for byte.
  Answer replayed = get(t.url, target, good);
  CHECK(replayed.status == 401);
  CHECK(replayed.code() == "replayed");
  CHECK(replayed.message().find("sign each request anew") != std::string::npos);

  // Created two minutes ago, or two minutes ahead: outside the 60 s window.
  for (int64_t offset : {-120, 120}) {
    httplib::Headers h;
    const std::string authority = node::auth::authority_of_url(t.url);
    for (auto& [name, value] : node::auth::sign_request(alice, "GET", authority, target, "",
                                                        node::auth::system_seconds() + offset, "w"))
      h.emplace(name, value);
    Answer a = get(t.url, target, h);
    CHECK(a.status == 401);
    CHECK(a.code() == "expired");
  }

  // A body changed after it was signed.
  const std::string view_body = R"({"contract":")" + std::string(64, '0') + R"(","method":"x"})";
  httplib::Headers tampered = signed_headers(alice, t.url, "POST", "/v1/view", view_body);
  Answer digest = post(t.url, "/v1/view",
                       R"({"contract":")" + std::string(64, '1') + R"(","method":"x"})", tampered);
  CHECK(digest.status == 401);
  CHECK(digest.code() == "digest_mismatch");

  // Signed by mallory, claiming to be alice (keyid alice's).
  httplib::Headers forged = signed_headers(mallory, t.url, "GET", target);
  for (auto& [name, value] : forged)
    if (name == "Signature-Input") {
      const std::string theirs = node::hex(mallory.public_key());
      value.replace(value.find(theirs), theirs.size(), node::hex(alice.public_key()));
    }
  Answer f = get(t.url, target, forged);
  CHECK(f.status == 401);
  CHECK(f.code() == "signature_invalid");

  // Headers that do not parse, and signatures that leave out what they must cover.
  Answer garbled =
      get(t.url, target, {{"Signature-Input", "sig=(\"@method\""}, {"Signature", "x"}});
  CHECK(garbled.code() == "bad_credentials");
  Answer basic = get(t.url, target, {{"Authorization", "Basic dXNlcjpwYXNz"}});
  CHECK(basic.code() == "bad_credentials");

  // The node's own client signs every request it sends, retries included.
  node::ApiClient api(t.url);
  api.sign_with(alice);
  for (int i = 0; i < 5; ++i)
    CHECK(api.get(target).ok());
  // With odd bytes in a query: what is signed is what is sent.
  auto odd = api.get("/v1/events?contract=" + std::string(64, '0') + "&name=a b+c,d;e'f");
  CHECK_MESSAGE(odd.ok(), (odd.ok() ? "" : odd.error().describe()));
}

TEST_CASE("auth: bearer tokens, and each way a token or its request can be wrong") {
  AuthNode t("auth-tokens");
  AuthNode other("auth-tokens-other", t.ehr);  // the same client, registered at another node
  node::ApiClient anonymous(t.url);
  auto token = node::request_token(anonymous, t.ehr);
  REQUIRE_MESSAGE(token.ok(), (token.ok() ? "" : token.error().describe()));
  const std::string target = "/v1/accounts/" + node::hex(t.ehr.public_key());
  CHECK(get(t.url, target, bearer(*token)).status == 200);
  CHECK(get(t.url, target, bearer(*token)).status == 200);  // a token is used many times

  // The answer as SMART Backend Services defines it.
  Answer granted = post(t.url, "/v1/token", token_form(t.ehr, t.url), {}, kForm);
  CHECK(granted.status == 200);
  CHECK(granted.body["token_type"] == "bearer");
  CHECK(granted.body["expires_in"] == 300);
  CHECK(granted.body["scope"] == "system/*.read system/*.write");

  SUBCASE("expired") {
    node::auth::TokenIssuer issuer(t.node_key(), t.chain_id(), {}, {});
    const std::string old =
        issuer.grant(t.ehr.public_key(), node::auth::kScopeAll, node::auth::system_seconds() - 400)
            .access_token;
    Answer a = get(t.url, target, bearer(old));
    CHECK(a.status == 401);
    CHECK(a.code() == "expired");
  }
  SUBCASE("for another node") {
    node::ApiClient there(other.url);
    auto theirs = node::request_token(there, t.ehr);
    REQUIRE(theirs.ok());
    CHECK(get(other.url, target, bearer(*theirs)).status == 200);
    Answer a = get(t.url, target, bearer(*theirs));
    CHECK(a.status == 401);
    CHECK(a.code() == "wrong_audience");
  }
  SUBCASE("a bad signature") {
    std::string altered = *token;
    const std::size_t at = altered.rfind('.') + 10;
    altered[at] = altered[at] == 'A' ? 'B' : 'A';
    Answer a = get(t.url, target, bearer(altered));
    CHECK(a.status == 401);
    CHECK(a.code() == "signature_invalid");
  }
  SUBCASE("a client assertion used twice") {
    const std::string form = token_form(t.ehr, t.url, "once");
    CHECK(post(t.url, "/v1/token", form, {}, kForm).status == 200);
    Answer a = post(t.url, "/v1/token", form, {}, kForm);
    CHECK(a.status == 401);
    CHECK(a.code() == "replayed");
  }
  SUBCASE("an unregistered client") {
    const node::KeyPair stranger = new_key();
    Answer a = post(t.url, "/v1/token", token_form(stranger, t.url), {}, kForm);
    CHECK(a.status == 401);
    CHECK(a.code() == "unregistered_client");
    CHECK(a.message().find("not registered") != std::string::npos);
  }
  SUBCASE("an assertion for another node's token endpoint") {
    Answer a = post(t.url, "/v1/token", token_form(t.ehr, other.url), {}, kForm);
    CHECK(a.code() == "wrong_audience");
  }
  SUBCASE("a request that is not client credentials") {
    Answer a = post(t.url, "/v1/token", "grant_type=password", {}, kForm);
    CHECK(a.status == 400);
    CHECK(a.code() == "bad_grant");
  }
  SUBCASE("a read-only token cannot submit") {
    auto read_only = node::request_token(anonymous, t.ehr, "system/*.read");
    REQUIRE(read_only.ok());
    CHECK(get(t.url, target, bearer(*read_only)).status == 200);
    Answer a = post(t.url, "/v1/transactions", "{}", bearer(*read_only));
    CHECK(a.status == 403);
    CHECK(a.code() == "insufficient_scope");
  }
  SUBCASE("revoked by its client") {
    Answer revoked = post(t.url, "/v1/token/revoke", "token=" + *token, bearer(*token), kForm);
    CHECK(revoked.status == 200);
    CHECK(revoked.body["revoked"] == true);
    Answer a = get(t.url, target, bearer(*token));
    CHECK(a.status == 401);
    CHECK(a.code() == "revoked");
  }
  SUBCASE("the node's client sends it") {
    node::ApiClient api(t.url);
    api.use_token(*token);
    CHECK(api.get(target).ok());
  }
}

TEST_CASE("auth: a view runs as its sender, never as a caller the client names") {
  AuthNode t("auth-view");
  node::Wallet deployer(*t.api, t.client);
  const node::Identity whoami = deploy_source(deployer, "whoami.assent", kWhoAmI);
  const node::KeyPair alice = new_key(), bob = new_key();
  node::ApiClient as_alice(t.url);
  as_alice.sign_with(alice);
  const Json call = {{"contract", node::hex(whoami)}, {"method", "whoami"}};
  auto mine = as_alice.post("/v1/view", call);
  REQUIRE(mine.ok());
  CHECK((*mine)["result"] == node::hex(alice.public_key()));
  Json as_self = call;
  as_self["caller"] = node::hex(alice.public_key());
  CHECK((*as_alice.post("/v1/view", as_self))["result"] == node::hex(alice.public_key()));
  Json as_bob = call;
  as_bob["caller"] = node::hex(bob.public_key());
  auto refused = as_alice.post("/v1/view", as_bob);
  REQUIRE(!refused.ok());
  CHECK(refused.error().status == 403);
  CHECK(refused.error().code == "wrong_principal");
  CHECK(refused.error().message.find("a view runs as whoever sends it") != std::string::npos);
  // With a token, the token's client is the caller.
  node::ApiClient anonymous(t.url);
  node::ApiClient by_token(t.url);
  by_token.use_token(*node::request_token(anonymous, t.ehr));
  CHECK((*by_token.post("/v1/view", call))["result"] == node::hex(t.ehr.public_key()));
}

TEST_CASE("auth: with require_auth off, anonymous requests are served; credentials still count") {
  AuthNode t("auth-off", new_key(), [](node::ApiConfig& c) { c.require_auth = false; });
  node::Wallet deployer(*t.api, t.client);
  const node::Identity whoami = deploy_source(deployer, "whoami.assent", kWhoAmI);
  const std::string target = "/v1/accounts/" + node::hex(t.ehr.public_key());
  CHECK(get(t.url, target).status == 200);
  const Json named = {{"contract", node::hex(whoami)},
                      {"method", "whoami"},
                      {"caller", node::hex(t.ehr.public_key())}};
  Answer anonymous = post(t.url, "/v1/view", named.dump());
  CHECK(anonymous.status == 200);
  CHECK(anonymous.body["result"] == node::hex(t.ehr.public_key()));  // as named, without auth
  // A signature that does not verify is refused even so.
  httplib::Headers h = signed_headers(t.ehr, t.url, "GET", target);
  CHECK(get(t.url, target, h).status == 200);
  CHECK(get(t.url, target, h).code() == "replayed");
  // A signed view still runs as its signer.
  Answer signed_view = post(t.url, "/v1/view", named.dump(),
                            signed_headers(t.client, t.url, "POST", "/v1/view", named.dump()));
  CHECK(signed_view.code() == "wrong_principal");
}
