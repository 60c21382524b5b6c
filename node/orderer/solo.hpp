// The solo orderer: this node alone cuts a block every `interval` or as soon as `max_txs`
// transactions wait, whichever comes first, and commits it (within the chain's block gas and
// byte limits, rules B1 and B2: what does not fit stays queued for the next).
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "node/chain/mempool.hpp"
#include "node/orderer/orderer.hpp"

namespace assent::node {

struct SoloConfig {
  std::chrono::milliseconds interval{100};
  std::size_t max_txs = 2000;
  MempoolConfig mempool;
};

class SoloOrderer final : public Orderer {
 public:
  SoloOrderer(Chain& chain, SoloConfig config)
      : chain_(chain), mempool_(chain, config.mempool), config_(config) {}
  ~SoloOrderer() override { stop(); }

  void start() override;
  void stop() override;
  Result<Hash, TxRejection> submit(Transaction tx, bool = false) override {
    return mempool_.submit(std::move(tx));
  }
  std::size_t queued() const override { return mempool_.size(); }
  // Cuts one block from what can run now (the loop does this; tests may too, unstarted): how
  // many transactions it took from the queue (0: none could run, and no block was made), or
  // why the store refused the block.
  Result<std::size_t, std::string> cut();

 private:
  void loop();
  Chain& chain_;
  Mempool mempool_;
  SoloConfig config_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace assent::node
