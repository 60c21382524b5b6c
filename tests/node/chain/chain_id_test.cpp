// A chain's id is settled at genesis and kept in its store (node/chain/chain_id.hpp): a new
// chain gets a random one, never the bare old default; a store keeps its own; transactions
// signed for one devnet are refused by a fresh node.
#include "node/chain/chain_id.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;

TEST_CASE("chain id: random for a new chain, kept by the store, never the old default") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-chain-id-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto open = [&] {
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    return std::move(s).value();
  };
  {
    auto s = open();
    auto refused = node::settle_chain_id(*s, "assent-devnet");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() ==
          "a new chain cannot take the id `assent-devnet`: every devnet had it, and each would "
          "take the others' transactions; leave out --chain-id for a random one, or give a name "
          "of your own");
    auto made = node::settle_chain_id(*s, "");
    REQUIRE(made.ok());
    CHECK(made->size() == std::string("assent-").size() + 16);
    CHECK(made->starts_with("assent-"));
    CHECK(*made != "assent-devnet");
    auto again = node::settle_chain_id(*s, "");
    REQUIRE(again.ok());
    CHECK(*again == *made);
  }
  std::string kept;
  {
    auto s = open();
    auto read = s->begin_read();
    REQUIRE(read.ok());
    kept = node::stored_chain_id(*s, *read).value().value_or("");
    CHECK(kept.starts_with("assent-"));
    CHECK(node::settle_chain_id(*s, kept).value() == kept);
    auto other = node::settle_chain_id(*s, "assent-other");
    REQUIRE_FALSE(other.ok());
    CHECK(other.error() == "the store in `" + dir.string() + "` holds chain `" + kept +
                               "`, not `assent-other`: leave out --chain-id (or give `" + kept +
                               "`), or start chain `assent-other` in another data directory");
  }
  // Two new chains never share an id.
  const fs::path second = dir.string() + "-2";
  fs::remove_all(second);
  {
    auto s = store::Store::open(second.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    auto id = node::settle_chain_id(**s, "");
    REQUIRE(id.ok());
    CHECK(*id != kept);
  }
  fs::remove_all(second);
  // A store from before ids were kept, with blocks: it ran the old default, which it keeps.
  fs::remove_all(dir);
  {
    auto s = open();
    auto txn = s->begin_write();
    REQUIRE(txn.ok());
    REQUIRE_FALSE(store::put_meta_u64(*txn, s->db(), "head", 3));
    REQUIRE_FALSE(txn->commit());
    CHECK(node::settle_chain_id(*s, "").value() == "assent-devnet");
    CHECK(node::settle_chain_id(*s, "").value() == "assent-devnet");
  }
  fs::remove_all(dir);
}

TEST_CASE("chain id: a node keeps its chain's id across restarts and refuses another") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-chain-id-node-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig config;
  config.data_dir = dir.string();
  config.api.port = 0;
  config.sync = false;
  std::string first;
  {
    auto n = node::Node::open(config);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error()));
    first = (*n)->chain().config().chain_id;
    CHECK(first.starts_with("assent-"));
  }
  {
    auto n = node::Node::open(config);
    REQUIRE(n.ok());
    CHECK((*n)->chain().config().chain_id == first);
  }
  config.chain.chain_id = "assent-elsewhere";
  auto other = node::Node::open(config);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().find("holds chain `" + first + "`, not `assent-elsewhere`") !=
        std::string::npos);
  fs::remove_all(dir);
  config.chain.chain_id = "assent-devnet";
  auto bare = node::Node::open(config);
  REQUIRE_FALSE(bare.ok());
  CHECK(bare.error().find("a new chain cannot take the id `assent-devnet`") != std::string::npos);
  // A cluster node's new store needs the cluster's id: a random one would be a chain apart.
  config.chain.chain_id.clear();
  config.etcd = {"http://127.0.0.1:1"};
  config.name = "n1";
  config.api.host = "127.0.0.1";
  auto cluster = node::Node::open(config);
  REQUIRE_FALSE(cluster.ok());
  CHECK(cluster.error().find("give the same --chain-id to every node of the cluster") !=
        std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("chain id: transactions signed for one devnet are refused by a fresh node") {
  TestNode one("chain-id-one"), fresh("chain-id-fresh");
  const std::string one_id = one.node->chain().config().chain_id;
  const std::string fresh_id = fresh.node->chain().config().chain_id;
  CHECK(one_id != fresh_id);
  node::Wallet registrar(*one.api, new_key());
  const node::Identity registry = deploy_consent(registrar);
  // The patient's transactions, signed for the first node's chain, are sent to the fresh one.
  node::Wallet patient(*one.api, new_key());
  auto tx = patient.call_tx(registry, "set_default",
                            Json::array({node::hex(patient.identity()), "Deny"}), 200'000);
  REQUIRE(tx.ok());
  node::Wallet elsewhere(*fresh.api, new_key());
  auto refused = elsewhere.send(*tx, false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "wrong_chain");
  CHECK(refused.error().describe().find("the transaction is for chain `" + one_id +
                                        "`; this node runs `" + fresh_id + "`") !=
        std::string::npos);
  // Its own chain takes it.
  auto taken = patient.send(*tx, true);
  REQUIRE_MESSAGE(taken.ok(), (taken.ok() ? "" : taken.error().describe()));
  CHECK((*taken)["receipt"]["ok"] == true);
}
