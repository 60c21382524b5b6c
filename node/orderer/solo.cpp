#include "node/orderer/solo.hpp"

#include <iostream>

namespace assent::node {

void SoloOrderer::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { loop(); });
}

void SoloOrderer::stop() {
  if (!running_.exchange(false)) return;
  mempool_.wake();
  if (thread_.joinable()) thread_.join();
}

Result<std::size_t, std::string> SoloOrderer::cut() {
  // Rule B2: the block's transactions within the chain's bytes (what does not fit waits).
  std::vector<Transaction> txs = mempool_.take(config_.max_txs, chain_.config().block_bytes_limit);
  if (txs.empty()) return std::size_t{0};
  const auto now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  auto block = chain_.commit_block(txs, now);
  if (!block.ok()) return fail(block.error());
  mempool_.committed(*block);
  if (on_commit) on_commit(*block);
  return txs.size();
}

void SoloOrderer::loop() {
  auto next = std::chrono::steady_clock::now() + config_.interval;
  // After a cut that found nothing to run, the loop waits out the interval: a full queue of
  // transactions waiting for earlier nonces must not make it spin.
  bool idle = false;
  while (running_) {
    const std::size_t enough = idle ? SIZE_MAX : config_.max_txs;
    mempool_.wait_for(enough, next);
    if (!running_) break;
    if (std::chrono::steady_clock::now() < next && mempool_.size() < enough) continue;
    auto made = cut();
    if (!made.ok()) {
      // The store refused the block (disk full, ...): nothing of it was committed. Stop
      // making blocks rather than guess; the operator sees why.
      std::cerr << "error: cannot commit a block: " << made.error() << "; block production stops\n";
      running_ = false;
      break;
    }
    idle = *made == 0;
    next = std::chrono::steady_clock::now() + config_.interval;
  }
}

}  // namespace assent::node
