#include "node/chain/mempool.hpp"

#include <algorithm>

namespace assent::node {

Result<Hash, TxRejection> Mempool::submit(Transaction tx) {
  if (auto r = chain_.check(tx)) return fail(*r);
  uint64_t next = 0;
  {
    auto read = chain_.store().begin_read();
    if (!read.ok()) return fail(TxRejection{TxError::QueueFull, read.error().message});
    next = chain_.next_nonce(*read, tx.sender);
  }
  if (tx.nonce < next)
    return fail(TxRejection{TxError::NonceUsed, "nonce " + std::to_string(tx.nonce) +
                                                    " is used; the sender's next is " +
                                                    std::to_string(next)});
  if (tx.nonce >= next + chain_.config().nonce_window)
    return fail(TxRejection{TxError::NonceTooFar,
                            "nonce " + std::to_string(tx.nonce) + " is more than " +
                                std::to_string(chain_.config().nonce_window) +
                                " ahead of the sender's next, " + std::to_string(next)});
  const Hash hash = tx.hash();
  const std::size_t size = tx.encode().size() + 4;  // outside the lock
  std::lock_guard lock(mutex_);
  if (hashes_.count(hash))
    return fail(TxRejection{TxError::Duplicate, "the transaction is already queued"});
  if (!pending_.insert({tx.sender, tx.nonce}).second)
    return fail(TxRejection{TxError::NonceUsed, "another transaction with nonce " +
                                                    std::to_string(tx.nonce) +
                                                    " from this sender is queued"});
  if (queue_.size() >= capacity_) {
    pending_.erase({tx.sender, tx.nonce});
    return fail(TxRejection{TxError::QueueFull, "the queue is full; try again shortly"});
  }
  hashes_.insert(hash);
  queue_.push_back({std::move(tx), hash, size});
  added_.notify_all();
  return hash;
}

std::vector<Transaction> Mempool::take(std::size_t max, std::size_t max_bytes) {
  std::vector<Transaction> out;
  std::size_t bytes = 0;
  std::map<Identity, uint64_t> next;
  auto read = chain_.store().begin_read();
  if (!read.ok()) return out;
  std::lock_guard lock(mutex_);
  // Repeated passes pick up a sender's later nonces that arrived before earlier ones.
  std::vector<bool> taken(queue_.size(), false);
  for (bool progress = true; progress && out.size() < max;) {
    progress = false;
    for (std::size_t i = 0; i < queue_.size() && out.size() < max; ++i) {
      if (taken[i]) continue;
      const Transaction& tx = queue_[i].tx;
      auto [it, fresh] = next.try_emplace(tx.sender, 0);
      if (fresh) it->second = chain_.next_nonce(*read, tx.sender);
      if (tx.nonce != it->second) continue;
      if (bytes + queue_[i].size > max_bytes) return out;  // the block is full
      bytes += queue_[i].size;
      ++it->second;
      taken[i] = true;
      out.push_back(tx);
      progress = true;
    }
  }
  return out;
}

void Mempool::committed(const CommittedBlock& block) {
  auto read = chain_.store().begin_read();
  std::lock_guard lock(mutex_);
  std::set<Hash> done;
  for (const auto& tx : block.block.txs)
    done.insert(tx.hash());
  std::map<Identity, uint64_t> next;
  std::deque<Pending> kept;
  for (auto& p : queue_) {
    bool stale = done.count(p.hash) > 0;
    if (!stale && read.ok()) {
      auto [it, fresh] = next.try_emplace(p.tx.sender, 0);
      if (fresh) it->second = chain_.next_nonce(*read, p.tx.sender);
      stale = p.tx.nonce < it->second;
    }
    if (stale) {
      pending_.erase({p.tx.sender, p.tx.nonce});
      hashes_.erase(p.hash);
    } else {
      kept.push_back(std::move(p));
    }
  }
  queue_ = std::move(kept);
}

void Mempool::wait_for(std::size_t count, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  added_.wait_until(lock, deadline, [&] { return woken_ || queue_.size() >= count; });
}

std::vector<Transaction> Mempool::drain() {
  std::lock_guard lock(mutex_);
  std::vector<Transaction> out;
  for (auto& p : queue_)
    out.push_back(std::move(p.tx));
  queue_.clear();
  pending_.clear();
  hashes_.clear();
  return out;
}

void Mempool::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  added_.notify_all();
}

std::size_t Mempool::size() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace assent::node
