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

std::optional<std::string> SoloOrderer::cut() {
  std::vector<Transaction> txs = mempool_.take(config_.max_txs);
  if (txs.empty()) return std::nullopt;
  const auto now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  auto block = chain_.commit_block(txs, now);
  if (!block.ok()) return block.error();
  mempool_.committed(*block);
  if (on_commit) on_commit(*block);
  return std::nullopt;
}

void SoloOrderer::loop() {
  auto next = std::chrono::steady_clock::now() + config_.interval;
  while (running_) {
    mempool_.wait_for(config_.max_txs, next);
    if (!running_) break;
    if (std::chrono::steady_clock::now() < next && mempool_.size() < config_.max_txs) continue;
    if (auto error = cut()) {
      // The store refused the block (disk full, ...): nothing of it was committed. Stop
      // making blocks rather than guess; the operator sees why.
      std::cerr << "error: cannot commit a block: " << *error << "; block production stops\n";
      running_ = false;
      break;
    }
    next = std::chrono::steady_clock::now() + config_.interval;
  }
}

}  // namespace assent::node
