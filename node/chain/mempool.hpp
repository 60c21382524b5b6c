// Transactions checked and waiting for a block, in arrival order; each sender's in nonce
// order. Thread-safe: the API adds, the orderer takes and reports what it committed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "node/chain/chain.hpp"

namespace assent::node {

class Mempool {
 public:
  Mempool(Chain& chain, std::size_t capacity = 100'000) : chain_(chain), capacity_(capacity) {}

  // Checks and queues; the transaction's hash, or why it was refused.
  Result<Hash, TxRejection> submit(Transaction tx);
  // Up to `max` transactions, of at most `max_bytes` encoded, that can run in order now
  // (each its sender's next nonce).
  std::vector<Transaction> take(std::size_t max, std::size_t max_bytes = SIZE_MAX);
  // The block's transactions leave the queue; so do any whose nonce is now used.
  void committed(const CommittedBlock& block);
  // Waits until at least `count` transactions wait or `deadline` passes.
  void wait_for(std::size_t count, std::chrono::steady_clock::time_point deadline);
  void wake();                       // ends waits (the orderer is stopping)
  std::vector<Transaction> drain();  // takes every queued transaction out
  std::size_t size() const;

 private:
  struct Pending {
    Transaction tx;
    Hash hash;
    std::size_t size;  // encoded, for the block's byte bound
  };
  Chain& chain_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable added_;
  std::deque<Pending> queue_;
  std::set<std::pair<Identity, uint64_t>> pending_;  // (sender, nonce)
  std::set<Hash> hashes_;
  bool woken_ = false;
};

}  // namespace assent::node
