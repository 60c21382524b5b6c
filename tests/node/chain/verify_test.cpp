// Checking a store against its chain (node/chain/verify.hpp): a store written by blocks
// matches; an edit behind the chain's back, a changed block or a lost receipt is named.
// Senders' nonces are part of the state root.
#include "node/chain/verify.hpp"
#include "node/store/merkle.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;
using store::Bytes;

namespace {

node::ChainConfig test_chain() {
  node::ChainConfig config;
  config.chain_id = "assent-verify-test";
  return config;
}

struct ChainInDir : TempStore {
  std::unique_ptr<node::Chain> chain;

  explicit ChainInDir(const std::string& name) : TempStore("verify-" + name) {
    chain = std::make_unique<node::Chain>(*store, *exec, test_chain(), new_key());
  }
  node::StoreCheck check(bool blocks = true) {
    auto c = blocks ? node::check_store(*chain) : node::check_state(*chain);
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error()));
    return *c;
  }
  // Writes `key` -> `value` in `db` (nullopt: deletes it), outside any block.
  void tamper(MDB_dbi db, const Bytes& key, std::optional<Bytes> value) {
    auto txn = store->begin_write();
    REQUIRE(txn.ok());
    if (value)
      REQUIRE_FALSE(txn->put(db, key, *value));
    else
      REQUIRE(txn->del(db, key).ok());
    REQUIRE_FALSE(txn->commit());
  }
};

node::Transaction deploy_tx(const Bytes& code, const node::KeyPair& key, uint64_t nonce) {
  node::Transaction tx;
  tx.kind = node::TxKind::Deploy;
  tx.chain_id = test_chain().chain_id;
  tx.nonce = nonce;
  tx.gas_limit = 10'000'000;
  tx.code = code;
  tx.sign(key);
  return tx;
}

Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

template <std::size_t N>
Bytes bytes_of(const std::array<uint8_t, N>& a) {
  return Bytes(a.begin(), a.end());
}

}  // namespace

TEST_CASE("verify: a store checks against its chain; edits behind its back are named") {
  auto c =
      compiler::compile("research_opt_in.assent", read_source("contracts/research_opt_in.assent"));
  REQUIRE(c.ok);
  ChainInDir a("a");
  const node::KeyPair alice = new_key(), bob = new_key(), carol = new_key();
  std::vector<node::Block> blocks;
  auto commit = [&](std::vector<node::Transaction> txs, uint64_t time) {
    auto b = a.chain->commit_block(txs, time);
    REQUIRE(b.ok());
    blocks.push_back(b->block);
    return b->receipts.size();
  };
  CHECK(commit({deploy_tx(c.bytes, alice, 0), deploy_tx(c.bytes, bob, 0)}, 1'800'000'000) == 2);
  // A proposer leaves out a transaction whose nonce is not its sender's next; that sender's
  // nonce is not written (a follower, which never sees it, must reach the same root), even
  // for a sender never seen before.
  CHECK(commit({deploy_tx(c.bytes, alice, 1), deploy_tx(c.bytes, bob, 7),
                deploy_tx(c.bytes, carol, 5)},
               1'800'000'001) == 1);

  node::StoreCheck ok = a.check();
  CHECK_FALSE(ok.problem);
  CHECK(ok.height == 2);
  CHECK(ok.blocks == 2);
  CHECK(ok.records >= 5);  // three contracts, two nonces, and the contracts' state
  {
    auto txn = a.store->begin_read();
    REQUIRE(txn.ok());
    CHECK(ok.state_root == a.chain->head(*txn)->state_root);
    // Each sender's nonce is proved against the block's state root.
    auto nonce_leaf = [](const node::KeyPair& k) {
      return stdlib::sha256(bytes_of('m' + node::nonce_key(k.public_key())));
    };
    for (auto [key, next] : {std::pair{&alice, 2}, std::pair{&bob, 1}}) {
      auto proof = a.store->tree().prove(*txn, 2, nonce_leaf(*key));
      REQUIRE(proof.ok());
      CHECK(store::verify_proof(ok.state_root, nonce_leaf(*key),
                                stdlib::sha256(store::be64(static_cast<uint64_t>(next))), *proof));
    }
    auto absent = a.store->tree().prove(*txn, 2, nonce_leaf(carol));  // her nonce is not there
    REQUIRE(absent.ok());
    CHECK(store::verify_proof(ok.state_root, nonce_leaf(carol), std::nullopt, *absent));
  }

  // A follower fed the same blocks reaches the same root and checks too.
  {
    ChainInDir b("b");
    for (const auto& block : blocks) {
      auto applied = b.chain->apply_block(block, 0);
      REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? "" : applied.error().message));
    }
    node::StoreCheck follower = b.check();
    CHECK_FALSE(follower.problem);
    CHECK(follower.state_root == ok.state_root);
  }

  const auto& db = a.store->db();
  SUBCASE("a state record no block touches") {
    a.tamper(db.state, bytes_of("an edit"), bytes_of("behind the chain's back"));
    auto bad = a.check(false);
    REQUIRE(bad.problem);
    CHECK(bad.problem->find("recomputed from its") != std::string::npos);
    CHECK(bad.problem->find("block 2 (the head)") != std::string::npos);
    a.tamper(db.state, bytes_of("an edit"), std::nullopt);
    CHECK_FALSE(a.check().problem);
  }
  SUBCASE("a sender's nonce") {
    a.tamper(db.meta, bytes_of(node::nonce_key(bob.public_key())), bytes_of(store::be64(9)));
    CHECK(a.check(false).problem);
  }
  SUBCASE("a block's time") {
    node::Block changed = blocks[0];
    changed.header.time += 1;
    a.tamper(db.blocks, bytes_of(store::be64(1)), changed.encode());
    auto bad = a.check();
    REQUIRE(bad.problem);
    CHECK(*bad.problem == "block 1's proposer signature is invalid");
    CHECK(bad.blocks == 0);
    CHECK_FALSE(a.check(false).problem);  // the state alone still matches
  }
  SUBCASE("blocks by a key that is not one of the chain's proposers") {
    node::ChainConfig pinned = test_chain();
    pinned.proposers = {new_key().public_key()};
    node::Chain strict(*a.store, *a.exec, pinned, new_key());
    auto bad = node::check_store(strict);
    REQUIRE(bad.ok());
    REQUIRE(bad->problem);
    CHECK(*bad->problem == "block 1's proposer " + to_hex(a.chain->proposer().public_key()) +
                               " is not one of the chain's proposers");
    pinned.proposers.insert(a.chain->proposer().public_key());
    node::Chain listed(*a.store, *a.exec, pinned, new_key());
    CHECK_FALSE(node::check_store(listed)->problem);
  }
  SUBCASE("the head block") {
    a.tamper(db.blocks, bytes_of(store::be64(2)), std::nullopt);
    auto bad = a.check(false);
    REQUIRE(bad.problem);
    CHECK(*bad.problem == "block 2 (the head) is missing or does not decode");
  }
  SUBCASE("another chain's id") {
    node::ChainConfig other;
    other.chain_id = "another-chain";
    node::Chain elsewhere(*a.store, *a.exec, other, new_key());
    auto bad = node::check_store(elsewhere);
    REQUIRE(bad.ok());
    REQUIRE(bad->problem);
    CHECK(
        bad->problem->ends_with(" is for chain `assent-verify-test`, not `another-chain` (give "
                                "the chain's --chain-id)"));
  }
  SUBCASE("a lost receipt") {
    a.tamper(db.receipts, bytes_of(blocks[1].txs[0].hash()), std::nullopt);
    auto bad = a.check();
    REQUIRE(bad.problem);
    CHECK(bad.problem->starts_with("block 2, transaction 0 ("));
    CHECK(bad.problem->ends_with("has no receipt at that position"));
    CHECK(bad.blocks == 1);
  }
}

TEST_CASE("verify: a node refuses to start on a store that does not match its chain") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-verify-node-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig config;
  config.data_dir = dir.string();
  config.api.port = 0;
  config.sync = false;
  config.solo.interval = std::chrono::milliseconds(20);
  {
    auto n = node::Node::open(config);
    REQUIRE(n.ok());
    std::string error;
    REQUIRE((*n)->start(error));
    node::ApiClient api((*n)->url());
    const node::KeyPair key = new_key();
    api.sign_with(key);
    node::Wallet registrar(api, key);
    (void)deploy_consent(registrar);
    CHECK_FALSE((*n)->check_state());
  }
  {
    auto s = store::Store::open((dir / "store").string(), {std::size_t{64} << 30, false});
    REQUIRE(s.ok());
    auto txn = (*s)->begin_write();
    REQUIRE(txn.ok());
    REQUIRE_FALSE(txn->put((*s)->db().state, bytes_of("x"), bytes_of("y")));
    REQUIRE_FALSE(txn->commit());
  }
  {
    auto n = node::Node::open(config);
    REQUIRE(n.ok());
    auto problem = (*n)->check_state();
    REQUIRE(problem);
    CHECK(problem->find("does not match its chain") != std::string::npos);
    CHECK(problem->find("start from an empty data directory") != std::string::npos);
  }
  {
    // A store from before formats were recorded (nonces outside the state tree) is named.
    auto s = store::Store::open((dir / "store").string(), {std::size_t{64} << 30, false});
    REQUIRE(s.ok());
    CHECK((*s)->format() == store::kStoreFormat);
    auto txn = (*s)->begin_write();
    REQUIRE(txn.ok());
    REQUIRE(txn->del((*s)->db().meta, bytes_of("format")).ok());
    REQUIRE_FALSE(txn->commit());
  }
  {
    auto n = node::Node::open(config);
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().find("has format 1, written by an earlier version of Assent") !=
          std::string::npos);
    CHECK(n.error().find("rm -rf .devnet") != std::string::npos);
  }
  fs::remove_all(dir);
}
