// The chain's consortium (node/chain/consortium.hpp, genesis.hpp): a genesis is parsed
// strictly, applied once as the state at height 0, and checked at every start; deploys and
// governance are refused before they are queued unless the consortium allows them, and again
// in the block; governance keeps a registrar. On real nodes (LMDB, the API on loopback).
#include <doctest/doctest.h>

#include "node/chain/genesis.hpp"
#include "node/chain/verify.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using testing::TestNode;
using node::Json;

namespace {

constexpr const char* kTiny = R"(
contract Tiny {
    storage { n: u64; }
    action bump() { n = n + 1; }
}
)";

Json member_json(const node::KeyPair& k, const char* name, Json roles, bool deploy) {
  return {{"name", name}, {"key", node::hex(k.public_key())}, {"roles", roles}, {"deploy", deploy}};
}

// A registrar that deploys, a provider that does not.
struct Consortium {
  node::KeyPair registrar = testing::new_key();
  node::KeyPair provider = testing::new_key();
  node::Genesis genesis() const {
    auto g = node::parse_genesis(
        {{"members", Json::array({member_json(registrar, "Registry", {"registrar"}, true),
                                  member_json(provider, "Hospital", {"provider"}, false)})}});
    REQUIRE_MESSAGE(g.ok(), (g.ok() ? "" : g.error()));
    return *g;
  }
};

std::string refusal_code(const Result<Json, node::ApiError>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().code;
}

std::vector<uint8_t> tiny_module() {
  auto c = compiler::compile("tiny.assent", kTiny);
  REQUIRE(c.ok);
  return c.bytes;
}

}  // namespace

TEST_CASE("genesis: a file is parsed strictly, and each error names its element") {
  const auto k = testing::new_key();
  auto error_of = [](const Json& j) {
    auto g = node::parse_genesis(j);
    REQUIRE_FALSE(g.ok());
    return g.error();
  };
  CHECK(error_of(Json::array()).find("`members`") != std::string::npos);
  CHECK(error_of({{"members", Json::array({{{"name", "A"}, {"key", "zz"}}})}}) ==
        "members[0].key is not 64 hex digits (an Ed25519 public key)");
  CHECK(error_of({{"members", Json::array({member_json(k, "A", {"registrar", "nurse"}, true)})}})
            .starts_with("members[0].roles[1] is not a role (the roles: registrar, provider, "
                         "research, auditor)"));
  CHECK(error_of({{"members", Json::array({member_json(k, "A", {"registrar"}, true),
                                           member_json(k, "B", {"provider"}, false)})}}) ==
        "members[1].key is another member's key too (one key, one member)");
  CHECK(error_of({{"members", Json::array({member_json(k, "A", {"provider"}, true)})}})
            .starts_with("no member holds the registrar role"));
  CHECK(error_of({{"members", Json::array()}, {"extra", 1}}).find("`extra`") != std::string::npos);
  auto ok = node::parse_genesis({{"members", Json::array({member_json(k, "A", {"registrar"}, true)})}});
  REQUIRE(ok.ok());
  CHECK(node::parse_genesis(node::genesis_to_json(*ok)).value().members == ok->members);
}

TEST_CASE("genesis: the state at height 0, part of every root, and checked at each start") {
  Consortium c;
  auto dir = testing::fs::temp_directory_path() / ("assent-genesis-" + std::to_string(::getpid()));
  testing::fs::remove_all(dir);
  node::NodeConfig config;
  config.data_dir = dir.string();
  config.sync = false;
  config.genesis = c.genesis();
  {
    auto n = node::Node::open(config);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error()));
    // The members are records of the state: the recomputed root covers them at height 0.
    CHECK_FALSE((*n)->check_state());
    auto read = (*n)->chain().store().begin_read();
    REQUIRE(read.ok());
    auto head = (*n)->chain().head(*read);
    REQUIRE(head.ok());
    CHECK(head->height == 0);
    CHECK(head->state_root != node::Hash{});
    auto members = node::consortium::members(*read, (*n)->chain().store().db());
    REQUIRE(members.ok());
    CHECK(members->size() == 2);
  }
  {  // the same genesis again: the chain resumes
    auto n = node::Node::open(config);
    CHECK(n.ok());
  }
  {  // another genesis: refused, naming both
    Consortium other;
    config.genesis = other.genesis();
    auto n = node::Node::open(config);
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().find("made with the genesis") != std::string::npos);
  }
  testing::fs::remove_all(dir);
}

TEST_CASE("consortium: only members allowed to deploy may, refused before the queue") {
  Consortium c;
  TestNode n("consortium-deploy", 20, {}, c.genesis());
  const auto module = tiny_module();
  node::Wallet outsider(*n.api, testing::new_key());
  auto tx = outsider.deploy_tx(module, Json::array(), 1'000'000);
  REQUIRE(tx.ok());
  auto refused = outsider.send(*tx, true);
  CHECK(refusal_code(refused) == "not_permitted");
  CHECK(refused.error().status == 403);
  CHECK(refused.error().message.find("is not a member") != std::string::npos);

  node::Wallet provider(*n.api, c.provider);
  auto by_provider = provider.deploy_tx(module, Json::array(), 1'000'000);
  REQUIRE(by_provider.ok());
  auto no = provider.send(*by_provider, true);
  CHECK(refusal_code(no) == "not_permitted");
  CHECK(no.error().message.find("`Hospital`") != std::string::npos);

  node::Wallet registrar(*n.api, c.registrar);
  testing::deploy_source(registrar, "tiny.assent", kTiny);

  // The registrar lets the provider deploy: then it may.
  auto allow = registrar.govern_tx("set_deployer", Json::array({node::hex(c.provider.public_key()), true}),
                                   1'000'000);
  REQUIRE(allow.ok());
  auto allowed = registrar.send(*allow, true);
  REQUIRE(allowed.ok());
  CHECK((*allowed)["receipt"]["ok"].get<bool>());
  node::Wallet provider_again(*n.api, c.provider);
  testing::deploy_source(provider_again, "tiny.assent", kTiny);
  CHECK_FALSE(n.node->check_state());
}

TEST_CASE("consortium: governance is the registrar's, checked, and keeps a registrar") {
  Consortium c;
  TestNode n("consortium-govern", 20, {}, c.genesis());
  node::Wallet provider(*n.api, c.provider);
  auto self_promotion = provider.govern_tx(
      "set_roles", Json::array({node::hex(c.provider.public_key()), Json::array({"registrar"})}),
      1'000'000);
  REQUIRE(self_promotion.ok());
  auto refused = provider.send(*self_promotion, true);
  CHECK(refusal_code(refused) == "not_permitted");
  CHECK(refused.error().message.find("registrar role") != std::string::npos);

  node::Wallet registrar(*n.api, c.registrar);
  auto send = [&](const char* op, Json args) {
    auto tx = registrar.govern_tx(op, std::move(args), 1'000'000);
    REQUIRE_MESSAGE(tx.ok(), (tx.ok() ? "" : tx.error().describe()));
    return registrar.send(*tx, true);
  };
  auto last = send("remove_member", Json::array({node::hex(c.registrar.public_key())}));
  CHECK(refusal_code(last) == "bad_governance");
  CHECK(last.error().message.find("last registrar") != std::string::npos);
  auto ghost = send("register", Json::array({"ghost", std::string(64, 'a')}));
  CHECK(refusal_code(ghost) == "bad_governance");
  CHECK(ghost.error().message.starts_with("no contract is deployed at"));
  CHECK(refusal_code(send("register", Json::array({"9lives", std::string(64, 'a')}))) ==
        "bad_governance");
  CHECK_FALSE(registrar.govern_tx("grant_everything", Json::array(), 1'000'000).ok());

  const auto tiny = testing::deploy_source(registrar, "tiny.assent", kTiny);
  auto reg = send("register", Json::array({"tiny", node::hex(tiny)}));
  REQUIRE(reg.ok());
  CHECK((*reg)["receipt"]["ok"].get<bool>());
  CHECK(refusal_code(send("register", Json::array({"tiny", node::hex(tiny)}))) == "bad_governance");
  auto consortium = n.api->get("/v1/consortium");
  REQUIRE(consortium.ok());
  CHECK((*consortium)["open"] == false);
  CHECK((*consortium)["rule"] == "registrar");
  CHECK((*consortium)["members"].size() == 2);
  REQUIRE((*consortium)["registry"].size() == 1);
  CHECK((*consortium)["registry"][0]["name"] == "tiny");
  CHECK((*consortium)["registry"][0]["contract"] == node::hex(tiny));

  // A new member, then the old registrar may leave; the transaction shows what it changed.
  const auto second = testing::new_key();
  auto added = send("add_member", Json::array({node::hex(second.public_key()), "Second Registry",
                                               Json::array({"registrar"}), false}));
  REQUIRE(added.ok());
  auto shown = n.api->get("/v1/transactions/" + (*added)["hash"].get<std::string>());
  REQUIRE(shown.ok());
  CHECK((*shown)["tx"]["kind"] == "govern");
  CHECK((*shown)["tx"]["operation"] == "add_member");
  CHECK((*shown)["tx"]["change"]["name"] == "Second Registry");
  auto left = send("remove_member", Json::array({node::hex(c.registrar.public_key())}));
  REQUIRE(left.ok());
  CHECK((*left)["receipt"]["ok"].get<bool>());
  CHECK_FALSE(n.node->check_state());
  // The old registrar is no member now: it may neither deploy nor govern.
  node::Wallet gone(*n.api, c.registrar);
  auto tx = gone.deploy_tx(tiny_module(), Json::array(), 1'000'000);
  REQUIRE(tx.ok());
  CHECK(refusal_code(gone.send(*tx, true)) == "not_permitted");
}

TEST_CASE("consortium: a block checks again what changed since the queue") {
  // One block of the registrar's own two transactions, in nonce order: it gives up deploying,
  // then deploys. Each was acceptable when checked alone; in the block the deploy is refused.
  Consortium c;
  testing::TempStore bed("consortium-block");
  REQUIRE_FALSE(node::settle_genesis(*bed.store, *bed.exec, c.genesis()));
  node::ChainConfig config;
  config.chain_id = "assent-consortium-test";
  node::Chain chain(*bed.store, *bed.exec, config, testing::new_key());
  node::Transaction revoke;
  revoke.kind = node::TxKind::Govern;
  revoke.chain_id = config.chain_id;
  revoke.nonce = 0;
  revoke.gas_limit = 1'000'000;
  revoke.method = "set_deployer";
  revoke.args = abi::fields_from_json(node::governance_params(node::GovernanceOp::SetDeployer),
                                      node::governance_abi(),
                                      Json::array({node::hex(c.registrar.public_key()), false}))
                    .value();
  revoke.sign(c.registrar);
  node::Transaction deploy;
  deploy.kind = node::TxKind::Deploy;
  deploy.chain_id = config.chain_id;
  deploy.nonce = 1;
  deploy.gas_limit = 1'000'000;
  deploy.code = tiny_module();
  deploy.sign(c.registrar);
  CHECK(chain.check(revoke).ok());
  CHECK(chain.check(deploy).ok());
  auto block = chain.commit_block({revoke, deploy}, 1'800'000'000);
  REQUIRE_MESSAGE(block.ok(), (block.ok() ? "" : block.error()));
  REQUIRE(block->receipts.size() == 2);
  CHECK(block->receipts[0].receipt.ok());
  CHECK(block->receipts[1].receipt.status == node::ExecOutcome::NotPermitted);
  CHECK(block->receipts[1].receipt.message.find("may not deploy") != std::string::npos);
  // And now the queue refuses it too.
  deploy.nonce = 2;
  deploy.sign(c.registrar);
  auto refused = chain.check(deploy);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == node::TxError::NotPermitted);
  auto state = node::recompute_state_root(*bed.store, bed.store->begin_read().value());
  REQUIRE(state.ok());
  CHECK(state->root == block->block.header.state_root);
}
