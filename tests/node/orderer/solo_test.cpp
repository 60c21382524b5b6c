// The solo orderer over a real chain (LMDB in a temporary directory): a block is cut when its
// interval passes or as soon as enough transactions wait, each sender's in nonce order; no
// empty blocks; stop returns without waiting out the interval, and nothing is cut after it.
#include "node/orderer/solo.hpp"

#include <condition_variable>
#include <mutex>

#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;
using Clock = std::chrono::steady_clock;

namespace {

// A chain on a store of its own, and signed deploys of a small contract from one sender.
struct SoloChain {
  TempStore store;
  node::Chain chain;
  node::KeyPair sender = new_key();
  std::vector<uint8_t> module;

  explicit SoloChain(const std::string& name)
      : store(name), chain(*store.store, *store.exec, {}, new_key()) {
    auto c = compiler::compile("research_opt_in.assent",
                               read_source("contracts/research_opt_in.assent"));
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    module = c.bytes;
  }
  node::Transaction deploy(uint64_t nonce) const {
    node::Transaction tx;
    tx.kind = node::TxKind::Deploy;
    tx.chain_id = chain.config().chain_id;
    tx.nonce = nonce;
    tx.gas_limit = 10'000'000;
    tx.code = module;
    tx.sign(sender);
    return tx;
  }
  uint64_t height() {
    auto read = store.store->begin_read();
    REQUIRE(read.ok());
    auto head = chain.head(*read);
    REQUIRE(head.ok());
    return head->height;
  }
};

// The blocks an orderer commits, as it reports them; waits are bounded.
struct Commits {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<node::CommittedBlock> blocks;

  void watch(node::Orderer& orderer) {
    orderer.on_commit = [this](const node::CommittedBlock& b) {
      std::lock_guard lock(mutex);
      blocks.push_back(b);
      changed.notify_all();
    };
  }
  // Whether `count` blocks were committed within `seconds`.
  bool wait_for(std::size_t count, double seconds = 10) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::duration<double>(seconds),
                            [&] { return blocks.size() >= count; });
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return blocks.size();
  }
};

node::SoloConfig solo_config(std::chrono::milliseconds interval, std::size_t max_txs) {
  node::SoloConfig config;
  config.interval = interval;
  config.max_txs = max_txs;
  return config;
}

std::vector<uint64_t> nonces(const node::CommittedBlock& b) {
  std::vector<uint64_t> out;
  for (const auto& tx : b.block.txs)
    out.push_back(tx.nonce);
  return out;
}

// Every receipt of the block says its transaction ran.
void check_all_ran(const node::CommittedBlock& b) {
  REQUIRE(b.receipts.size() == b.block.txs.size());
  for (const auto& r : b.receipts)
    CHECK(r.receipt.ok());
}

}  // namespace

TEST_CASE("solo: a block is cut as soon as max_txs wait, before its interval") {
  SoloChain c("solo-size");
  Commits commits;  // outlives the orderer, which reports to it
  node::SoloOrderer solo(c.chain, solo_config(std::chrono::hours(1), 3));
  commits.watch(solo);
  solo.start();
  for (uint64_t n = 0; n < 2; ++n)
    REQUIRE(solo.submit(c.deploy(n)).ok());
  const auto third = Clock::now();
  REQUIRE(solo.submit(c.deploy(2)).ok());
  REQUIRE(commits.wait_for(1));
  CHECK(Clock::now() - third < std::chrono::seconds(5));  // not the hour
  CHECK(nonces(commits.blocks[0]) == std::vector<uint64_t>{0, 1, 2});
  check_all_ran(commits.blocks[0]);
  CHECK(commits.blocks[0].block.header.height == 1);
  CHECK(solo.queued() == 0);
  // Two more are fewer than max_txs: they wait for the interval, which does not pass.
  REQUIRE(solo.submit(c.deploy(3)).ok());
  REQUIRE(solo.submit(c.deploy(4)).ok());
  CHECK_FALSE(commits.wait_for(2, 0.3));
  CHECK(solo.queued() == 2);
  // Stopping ends the wait at once.
  const auto stopping = Clock::now();
  solo.stop();
  CHECK(Clock::now() - stopping < std::chrono::seconds(2));
  CHECK(c.height() == 1);
}

TEST_CASE("solo: a block is cut when the interval passes, and none while nothing waits") {
  SoloChain c("solo-interval");
  Commits commits;
  node::SoloOrderer solo(c.chain, solo_config(std::chrono::milliseconds(50), 2000));
  commits.watch(solo);
  solo.start();
  REQUIRE(solo.submit(c.deploy(0)).ok());
  REQUIRE(commits.wait_for(1));
  CHECK(nonces(commits.blocks[0]) == std::vector<uint64_t>{0});
  check_all_ran(commits.blocks[0]);
  // Idle for many intervals: no empty block.
  CHECK_FALSE(commits.wait_for(2, 0.5));
  CHECK(c.height() == 1);
  REQUIRE(solo.submit(c.deploy(1)).ok());
  REQUIRE(commits.wait_for(2));
  CHECK(nonces(commits.blocks[1]) == std::vector<uint64_t>{1});
  CHECK(commits.blocks[1].block.header.previous == commits.blocks[0].hash);
  solo.stop();
  CHECK(c.height() == 2);
}

TEST_CASE("solo: a sender's transactions go in nonce order, whatever order they came in") {
  SoloChain c("solo-order");
  Commits commits;
  node::SoloOrderer solo(c.chain, {});  // not started: each cut is the test's
  commits.watch(solo);
  for (uint64_t n : {3, 1, 0, 2})
    REQUIRE(solo.submit(c.deploy(n)).ok());
  auto made = solo.cut();
  REQUIRE(made.ok());
  CHECK(*made);
  REQUIRE(commits.size() == 1);
  CHECK(nonces(commits.blocks[0]) == std::vector<uint64_t>{0, 1, 2, 3});
  check_all_ran(commits.blocks[0]);
  // Nonce 5 waits for 4: a cut finds nothing that can run, and makes no block.
  REQUIRE(solo.submit(c.deploy(5)).ok());
  made = solo.cut();
  REQUIRE(made.ok());
  CHECK_FALSE(*made);
  CHECK(solo.queued() == 1);
  REQUIRE(solo.submit(c.deploy(4)).ok());
  made = solo.cut();
  REQUIRE(made.ok());
  CHECK(*made);
  REQUIRE(commits.size() == 2);
  CHECK(nonces(commits.blocks[1]) == std::vector<uint64_t>{4, 5});
  CHECK(c.height() == 2);
  // A nonce already used is refused at once.
  auto used = solo.submit(c.deploy(1));
  REQUIRE_FALSE(used.ok());
  CHECK(used.error().code == node::TxError::NonceUsed);
}

TEST_CASE("solo: stopped, it cuts nothing; started again, it cuts what waited") {
  SoloChain c("solo-stop");
  Commits commits;
  auto solo = std::make_unique<node::SoloOrderer>(c.chain,
                                                  solo_config(std::chrono::milliseconds(20), 2000));
  commits.watch(*solo);
  solo->stop();  // never started: nothing to stop
  solo->start();
  solo->start();  // already running: one loop only
  solo->stop();
  solo->stop();
  REQUIRE(solo->submit(c.deploy(0)).ok());
  CHECK_FALSE(commits.wait_for(1, 0.3));  // fifteen intervals
  CHECK(solo->queued() == 1);
  CHECK(c.height() == 0);
  solo->start();
  REQUIRE(commits.wait_for(1));
  CHECK(nonces(commits.blocks[0]) == std::vector<uint64_t>{0});
  // Destroyed while running, with a transaction waiting: the destructor stops the loop, and
  // the chain is whole (the block was cut, or not).
  REQUIRE(solo->submit(c.deploy(1)).ok());
  solo.reset();
  const uint64_t height = c.height();
  CHECK((height == 1 || height == 2));
}
