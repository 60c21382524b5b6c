// The mempool: each sender's transactions in nonce order, gaps waiting, blocks bounded in
// count and in bytes.
#include "node/chain/mempool.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;

TEST_CASE("mempool: nonce order, gaps wait, and blocks bounded in count and bytes") {
  const fs::path dir = fs::temp_directory_path() / ("assent-mempool-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    auto store = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(store.ok());
    node::Executor exec(**store);
    node::Chain chain(**store, exec, {}, new_key());
    node::Mempool pool(chain);
    auto c = compiler::compile("research_opt_in.assent",
                               read_source("contracts/research_opt_in.assent"));
    REQUIRE(c.ok);
    node::KeyPair key = new_key();
    auto deploy = [&](uint64_t nonce) {
      node::Transaction tx;
      tx.kind = node::TxKind::Deploy;
      tx.chain_id = chain.config().chain_id;
      tx.nonce = nonce;
      tx.gas_limit = 10'000'000;
      tx.code = c.bytes;
      tx.sign(key);
      return tx;
    };
    // Nonces 0, 1, 3 queued; 3 waits for 2.
    for (uint64_t n : {1, 0, 3})
      REQUIRE(pool.submit(deploy(n)).ok());
    CHECK(pool.take(10).size() == 2);
    const std::size_t one = deploy(0).encode().size() + 4;
    CHECK(pool.take(10, one).size() == 1);
    CHECK(pool.take(1).size() == 1);
    auto block = chain.commit_block(pool.take(10), 1'800'000'000);
    REQUIRE(block.ok());
    CHECK(block->receipts.size() == 2);
    pool.committed(*block);
    CHECK(pool.size() == 1);  // nonce 3, still waiting for 2
    CHECK(pool.take(10).empty());
    REQUIRE(pool.submit(deploy(2)).ok());
    CHECK(pool.take(10).size() == 2);
    auto used = pool.submit(deploy(0));
    REQUIRE_FALSE(used.ok());
    CHECK(used.error().code == node::TxError::NonceUsed);
  }
  fs::remove_all(dir);
}
