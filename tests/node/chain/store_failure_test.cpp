// A store that fails while a block runs: the block stops, nothing of it is written, and the
// error names the store's failure. A follower does not count it as a divergence (another
// node's store would not have failed), and a proposer makes no block.
#include <doctest/doctest.h>

#include "node/chain/chain.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

constexpr uint64_t kTime = 1'800'000'000;

const char* kReader = R"(
contract Reader {
    storage { a: u64; }
    action read() -> u64 { return a; }
}
)";

struct Bed : TempStore {
  std::unique_ptr<node::Chain> chain;
  explicit Bed(const std::string& name) : TempStore("chain-store-failure-" + name) {
    node::ChainConfig config;
    config.chain_id = "assent-store-failure-test";
    chain = std::make_unique<node::Chain>(*store, *exec, config, new_key());
  }
  node::Transaction tx(const node::KeyPair& key, uint64_t nonce, node::TxKind kind,
                       const node::Identity& contract = {}) const {
    node::Transaction t;
    t.kind = kind;
    t.chain_id = chain->config().chain_id;
    t.nonce = nonce;
    t.gas_limit = 1'000'000;
    if (kind == node::TxKind::Deploy) {
      auto c = compiler::compile("reader.assent", kReader);
      REQUIRE_MESSAGE(c.ok, c.diagnostics);
      t.code = c.bytes;
    } else {
      t.contract = contract;
      t.method = "read";
    }
    t.sign(key);
    return t;
  }
  uint64_t height() const {
    auto read = store->begin_read();
    REQUIRE(read.ok());
    return chain->head(*read).value().height;
  }
};

}  // namespace

TEST_CASE("store failure: a proposer's block stops with the store's error, and is not made") {
  Bed bed("proposer");
  const node::KeyPair key = new_key();
  auto deployed = bed.chain->commit_block({bed.tx(key, 0, node::TxKind::Deploy)}, kTime);
  REQUIRE(deployed.ok());
  const node::Identity reader = *deployed->receipts.at(0).receipt.contract;
  bed.break_contract_state();
  auto block = bed.chain->commit_block({bed.tx(key, 1, node::TxKind::Call, reader)}, kTime);
  REQUIRE_FALSE(block.ok());
  CHECK(block.error().find("transaction 0 (") == 0);
  CHECK(block.error().find("the store failed: mdb_get: ") != std::string::npos);
  CHECK(bed.height() == 1);
}

TEST_CASE("store failure: a follower's block stops with the store's error, not a divergence") {
  Bed leader("leader"), follower("follower");
  const node::KeyPair key = new_key();
  auto first = leader.chain->commit_block({leader.tx(key, 0, node::TxKind::Deploy)}, kTime);
  REQUIRE(first.ok());
  const node::Identity reader = *first->receipts.at(0).receipt.contract;
  auto second = leader.chain->commit_block({leader.tx(key, 1, node::TxKind::Call, reader)}, kTime);
  REQUIRE(second.ok());
  REQUIRE(second->receipts.at(0).receipt.ok());

  REQUIRE(follower.chain->apply_block(first->block, 1).ok());
  follower.break_contract_state();
  auto applied = follower.chain->apply_block(second->block, 2);
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().code == node::ApplyError::Store);
  CHECK(applied.error().message.find("the store failed: mdb_get: ") != std::string::npos);
  CHECK(follower.height() == 1);
}
