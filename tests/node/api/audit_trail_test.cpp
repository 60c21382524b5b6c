// The audit trail is the consortium's (issue "Access control", point 5): a patient's trail
// holds the events of registered contracts only, each with its registered name, so that a
// contract nobody registered cannot put an entry into it. On a real node on loopback.
#include <doctest/doctest.h>

#include "node/chain/genesis.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using testing::TestNode;
using node::Json;

namespace {

// A contract that imitates patient_consent's events, naming any patient it is given.
constexpr const char* kForger = R"(
contract Forger {
    event Granted(indexed patient: identity, note: string);
    action forge(patient: identity) { emit Granted(patient, "consent given"); }
}
)";

Json send_ok(node::Wallet& w, Result<node::Transaction, node::ApiError> tx) {
  REQUIRE_MESSAGE(tx.ok(), (tx.ok() ? "" : tx.error().describe()));
  auto r = w.send(*tx, true);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().describe()));
  REQUIRE_MESSAGE((*r)["receipt"]["ok"].get<bool>(), r->dump());
  return *r;
}

}  // namespace

TEST_CASE("audit trail: an unregistered contract's events are absent from a patient's trail") {
  const auto registrar_key = testing::new_key();
  auto genesis = node::parse_genesis(
      {{"members", Json::array({{{"name", "Registry"},
                                 {"key", node::hex(registrar_key.public_key())},
                                 {"roles", {"registrar"}},
                                 {"deploy", true}}})}});
  REQUIRE(genesis.ok());
  TestNode n("audit-trail", 20, {}, *genesis);
  node::Wallet registrar(*n.api, registrar_key);
  const auto consent = testing::deploy_consent(registrar);
  send_ok(registrar, registrar.govern_tx("register",
                                         Json::array({"patient_consent", node::hex(consent)}),
                                         1'000'000));
  // A deployer's second contract, never registered.
  const auto forger = testing::deploy_source(registrar, "forger.assent", kForger);

  const auto patient_key = testing::new_key();
  node::Wallet patient(*n.api, patient_key);
  const std::string p = node::hex(patient_key.public_key());
  send_ok(patient, patient.call_tx(consent, "set_default", Json::array({p, "Permit"}), 1'000'000));
  node::Wallet outsider(*n.api, testing::new_key());
  send_ok(outsider, outsider.call_tx(forger, "forge", Json::array({p}), 1'000'000));

  auto trail = n.api->get("/v1/events?identity=" + p);
  REQUIRE(trail.ok());
  REQUIRE((*trail)["events"].size() == 1);
  const Json& e = (*trail)["events"][0];
  CHECK(e["name"] == "DefaultSet");
  CHECK(e["contract"] == node::hex(consent));
  CHECK(e["contract_name"] == "patient_consent");

  // The forger's events are its own: a query by its address still finds them, unnamed.
  auto own = n.api->get("/v1/events?contract=" + node::hex(forger));
  REQUIRE(own.ok());
  REQUIRE((*own)["events"].size() == 1);
  CHECK_FALSE((*own)["events"][0].contains("contract_name"));

  // Registered, it is the consortium's: its events join the trail, by name.
  send_ok(registrar,
          registrar.govern_tx("register", Json::array({"forger", node::hex(forger)}), 1'000'000));
  auto after = n.api->get("/v1/events?identity=" + p);
  REQUIRE(after.ok());
  REQUIRE((*after)["events"].size() == 2);
  CHECK((*after)["events"][1]["contract_name"] == "forger");
}

TEST_CASE("audit trail: an open chain (no genesis) keeps every contract's events, unnamed") {
  TestNode n("audit-open");
  node::Wallet anyone(*n.api, testing::new_key());
  const auto forger = testing::deploy_source(anyone, "forger.assent", kForger);
  const std::string p = node::hex(testing::new_key().public_key());
  send_ok(anyone, anyone.call_tx(forger, "forge", Json::array({p}), 1'000'000));
  auto trail = n.api->get("/v1/events?identity=" + p);
  REQUIRE(trail.ok());
  CHECK((*trail)["events"].size() == 1);
  auto consortium = n.api->get("/v1/consortium");
  REQUIRE(consortium.ok());
  CHECK((*consortium)["open"] == true);
  CHECK((*consortium)["genesis"].is_null());
}
