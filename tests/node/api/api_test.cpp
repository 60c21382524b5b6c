// The node's HTTP/JSON API on a real server on loopback: transactions in, receipts, blocks,
// views, audit queries, status and metrics out; every bad input a JSON 4xx that changes
// nothing; hundreds of clients at once.
#include <httplib.h>

#include <thread>

#include "tests/node/node_fixture.hpp"
#include "tests/support/signed_http.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

// Sends raw bytes to the API, signed by a key of its own; status and JSON answer.
std::pair<int, Json> raw_post(const std::string& url, const std::string& path,
                              const std::string& body) {
  static const node::KeyPair key = new_key();
  httplib::Client c(url);
  auto r = c.Post(path, signed_headers(key, url, "POST", path, body), body, "application/json");
  REQUIRE(r);
  Json j;
  try {
    j = Json::parse(r->body);
  } catch (...) {
    FAIL("the answer is not JSON: " << r->body);
  }
  return {r->status, j};
}

std::string error_code(const std::pair<int, Json>& r) {
  return r.second.contains("error") ? r.second["error"]["code"].get<std::string>() : "";
}

}  // namespace

TEST_CASE("api: transactions, receipts, blocks, views, events, status, metrics") {
  TestNode t("api");
  node::Wallet registrar(*t.api, new_key());
  const node::Identity registry = t.deploy_consent(registrar);
  node::Wallet alice(*t.api, new_key());
  const node::Identity bob = new_key().public_key();

  auto tx =
      alice.call_tx(registry, "grant",
                    Json::array({node::hex(alice.identity()), 0, permit_for(bob)}), 10'000'000);
  REQUIRE(tx.ok());
  auto sent = alice.send(*tx, true);
  REQUIRE(sent.ok());
  const Json& receipt = (*sent)["receipt"];
  CHECK(receipt["ok"].get<bool>());
  CHECK(receipt["result"] == 1);
  CHECK(receipt["events"][0]["name"] == "Granted");
  CHECK(receipt["events"][0]["fields"]["actor"] == node::hex(bob));

  // The transaction and its block, by height and by hash.
  auto got = t.api->get("/v1/transactions/" + (*sent)["hash"].get<std::string>());
  REQUIRE(got.ok());
  CHECK((*got)["tx"]["method"] == "grant");
  CHECK((*got)["tx"]["sender_did"].get<std::string>().starts_with("did:key:z6Mk"));
  const uint64_t height = receipt["height"];
  auto by_height = t.api->get("/v1/blocks/" + std::to_string(height));
  REQUIRE(by_height.ok());
  CHECK((*by_height)["transactions"][0] == (*sent)["hash"]);
  auto by_hash = t.api->get("/v1/blocks/" + (*by_height)["hash"].get<std::string>());
  REQUIRE(by_hash.ok());
  CHECK((*by_hash)["height"] == height);
  auto parent = t.api->get("/v1/blocks/" + std::to_string(height - 1));
  REQUIRE(parent.ok());
  CHECK((*by_height)["previous"] == (*parent)["hash"]);

  // A view decodes its JSON arguments and its result through the ABI.
  auto view = t.api->post(
      "/v1/view",
      {{"contract", node::hex(registry)},
       {"method", "decide"},
       {"args", {node::hex(alice.identity()), node::hex(bob), "Access", "LabResult", "TREAT"}}});
  REQUIRE(view.ok());
  CHECK((*view)["result"] == true);

  // Audit: events by identity and by contract, paged.
  auto about_bob = t.api->get("/v1/events?identity=" + node::hex(bob));
  REQUIRE(about_bob.ok());
  REQUIRE((*about_bob)["events"].size() == 1);
  CHECK((*about_bob)["events"][0]["name"] == "Granted");
  auto page = t.api->get("/v1/events?contract=" + node::hex(registry) + "&limit=1");
  REQUIRE(page.ok());
  CHECK((*page)["events"].size() == 1);
  CHECK(page->contains("next_after"));

  auto status = t.api->get("/v1/status");
  REQUIRE(status.ok());
  CHECK((*status)["height"].get<uint64_t>() >= height);
  httplib::Client c(t.url);
  auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("assent_transactions_total 2") != std::string::npos);
  CHECK(metrics->body.find("# TYPE assent_height gauge") != std::string::npos);
}

TEST_CASE("api: bad input is a JSON 4xx that says what is wrong, and changes nothing") {
  TestNode t("api-bad");
  node::Wallet registrar(*t.api, new_key());
  const node::Identity registry = t.deploy_consent(registrar);
  auto before = t.api->get("/v1/status");
  REQUIRE(before.ok());

  CHECK(error_code(raw_post(t.url, "/v1/transactions", "{not json")) == "bad_json");
  CHECK(error_code(raw_post(t.url, "/v1/transactions", "[1, 2]")) == "bad_json");
  CHECK(error_code(raw_post(t.url, "/v1/transactions", R"({"tx": 5})")) == "bad_tx");
  CHECK(error_code(raw_post(t.url, "/v1/transactions", R"({"tx": "zz"})")) == "bad_tx");
  CHECK(error_code(raw_post(t.url, "/v1/transactions", R"({"tx": "41545831"})")) == "malformed");

  node::KeyPair key = new_key();
  node::Wallet alice(*t.api, key);
  const Json args = Json::array({node::hex(alice.identity()), "Permit"});
  auto good = alice.call_tx(registry, "set_default", args, 10'000'000);
  REQUIRE(good.ok());
  auto send = [&](const node::Transaction& tx) {
    return raw_post(t.url, "/v1/transactions", Json{{"tx", node::hex(tx.encode())}}.dump());
  };
  node::Transaction wrong_chain = *good;
  wrong_chain.chain_id = "another-chain";
  wrong_chain.sign(key);
  CHECK(error_code(send(wrong_chain)) == "wrong_chain");
  node::Transaction bad_signature = *good;
  bad_signature.signature[5] ^= 1;
  auto bad_sig = send(bad_signature);
  CHECK(bad_sig.first == 400);
  CHECK(error_code(bad_sig) == "bad_signature");
  node::Transaction little_gas = *good;
  little_gas.gas_limit = 10;
  little_gas.sign(key);
  CHECK(error_code(send(little_gas)) == "gas_too_low");
  node::Transaction far = *good;
  far.nonce = 100'000;
  far.sign(key);
  CHECK(error_code(send(far)) == "nonce_too_far");
  // What it runs is checked too: the contract, the action, the arguments, the module.
  node::Transaction nowhere = *good;
  nowhere.contract[0] ^= 1;
  nowhere.sign(key);
  auto no_contract = send(nowhere);
  CHECK(no_contract.first == 404);
  CHECK(error_code(no_contract) == "unknown_contract");
  node::Transaction view_as_action = *good;
  view_as_action.method = "decide";
  view_as_action.sign(key);
  auto no_action = send(view_as_action);
  CHECK(no_action.first == 404);
  CHECK(error_code(no_action) == "unknown_method");
  CHECK(no_action.second["error"]["message"].get<std::string>().find("grant") != std::string::npos);
  node::Transaction wrong_types = *good;
  wrong_types.args.pop_back();
  wrong_types.sign(key);
  CHECK(error_code(send(wrong_types)) == "bad_args");
  node::Transaction junk = *good;
  junk.kind = node::TxKind::Deploy;
  junk.code = {1, 2, 3};
  junk.args.clear();
  junk.sign(key);
  CHECK(error_code(send(junk)) == "bad_module");

  // The good one commits once; sent again, it is a replay.
  auto r = alice.send(*good, true);
  REQUIRE(r.ok());
  CHECK((*r)["receipt"]["ok"].get<bool>());
  auto replay = send(*good);
  CHECK(replay.first == 409);
  CHECK(error_code(replay) == "nonce_used");

  // Views: unknown contract, unknown method, wrong argument types.
  auto view = [&](const Json& body) { return raw_post(t.url, "/v1/view", body.dump()); };
  CHECK(error_code(view({{"contract", std::string(64, '0')}, {"method", "decide"}})) ==
        "unknown_contract");
  auto no_method = view({{"contract", node::hex(registry)}, {"method", "grant"}});
  CHECK(no_method.first == 404);
  CHECK(no_method.second["error"]["message"].get<std::string>().find("decide") !=
        std::string::npos);
  auto bad_args =
      view({{"contract", node::hex(registry)}, {"method", "provision_count"}, {"args", {42}}});
  CHECK(error_code(bad_args) == "bad_args");
  CHECK(error_code(view({{"contract", "12"}, {"method", "x"}})) == "bad_contract");

  // Oversize bodies and unknown endpoints.
  auto huge = raw_post(t.url, "/v1/transactions", std::string(1'000'000, ' '));
  CHECK(huge.first == 413);
  CHECK(error_code(huge) == "too_large");
  httplib::Client c(t.url);
  auto missing = c.Get("/v2/nothing");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(Json::parse(missing->body)["error"]["code"] == "not_found");
  CHECK(error_code(raw_post(t.url, "/v1/blocks/xyz", "")) == "not_found");
  auto events = t.api->get("/v1/events");
  REQUIRE_FALSE(events.ok());
  CHECK(events.error().code == "bad_query");

  // Only the one good transaction changed anything; the node still serves.
  auto account = t.api->get("/v1/accounts/" + node::hex(alice.identity()));
  REQUIRE(account.ok());
  CHECK((*account)["next_nonce"] == 1);
  auto after = t.api->get("/v1/status");
  REQUIRE(after.ok());
  CHECK((*after)["queued"] == 0);
}

TEST_CASE("api: hundreds of clients at once do not stall block production") {
  TestNode t("api-load", 10);
  node::Wallet registrar(*t.api, new_key());
  const node::Identity registry = t.deploy_consent(registrar);
  auto start = t.api->get("/v1/status");
  REQUIRE(start.ok());
  constexpr int kClients = 200;
  std::vector<std::thread> clients;
  std::atomic<int> committed{0}, errors{0};
  std::mutex mutex;
  std::string first_error;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&] {
      node::ApiClient api(t.url);
      node::KeyPair key = new_key();
      api.sign_with(key);
      node::Wallet w(api, key);
      auto tx = w.call_tx(registry, "set_default", Json::array({node::hex(w.identity()), "Permit"}),
                          10'000'000);
      auto r = tx.ok() ? w.send(*tx, true) : Result<Json, node::ApiError>(fail(tx.error()));
      if (r.ok() && (*r)["committed"].get<bool>()) {
        ++committed;
        return;
      }
      ++errors;
      std::lock_guard lock(mutex);
      if (first_error.empty()) first_error = r.ok() ? r->dump() : r.error().describe();
    });
  for (auto& c : clients)
    c.join();
  INFO(first_error);
  CHECK(committed == kClients);
  CHECK(errors == 0);
  auto end = t.api->get("/v1/status");
  REQUIRE(end.ok());
  CHECK((*end)["height"].get<uint64_t>() > (*start)["height"].get<uint64_t>());
}
