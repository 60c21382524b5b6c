// Transactions checked and waiting for a block; each sender's in nonce order. Thread-safe:
// the API adds, the orderer takes and reports what it committed.
//
// Bounded (docs/protocol.md, "Limits"): in count and in encoded bytes; each sender may have
// only a few transactions that cannot run yet because an earlier nonce is missing ("gapped"),
// and those expire. A node whose disk runs low takes no new transaction.
//
// Fair: a block takes one transaction per sender per round, the senders included longest ago
// (or never) first, then the one whose next transaction declares less gas, then the earliest.
// So a sender new to the queue (a patient revoking) goes into the next block however many keys
// flood it with maximal transactions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "node/chain/chain.hpp"
#include "node/store/disk.hpp"

namespace assent::node {

// The queue's bounds: this node's policy, not the chain's (nodes may differ).
struct MempoolConfig {
  // 20,000 transactions are a few seconds of the node's throughput (about 8,000 grants a
  // second over HTTP), and 64 MiB is little beside the store's cache; a full queue refuses,
  // it never evicts.
  std::size_t max_txs = 20'000;
  std::size_t max_bytes = std::size_t{64} << 20;  // encoded transactions
  // A client sending in order has no gap at all; a few allow for requests that overtake.
  std::size_t max_gapped_per_sender = 16;
  // A gapped transaction is dropped once it has waited this long (the queue's clock, not the
  // chain's: steady_clock, never in consensus).
  std::chrono::milliseconds gap_expiry{60'000};
  // The queue's clock, steady_clock's when empty; a test gives its own to expire without
  // waiting.
  std::function<std::chrono::steady_clock::time_point()> clock;
  // Below this much free space where the store lives, transactions are refused (disk_low):
  // room for the queue's blocks to commit and for the operator to act.
  uint64_t min_free_disk = uint64_t{1} << 30;
};

class Mempool {
 public:
  explicit Mempool(Chain& chain, MempoolConfig config = {});

  // Checks and queues; the transaction's hash, or why it was refused.
  Result<Hash, TxRejection> submit(Transaction tx);
  // Up to `max` transactions, of at most `max_bytes` in a block (block_tx_bytes; an orderer
  // gives the chain's block_bytes_limit, rule B2), that can run in order now (each its
  // sender's next nonce), fairly (above). The chain includes those that fit in the block's
  // gas (rule B1); the others stay queued for the next.
  std::vector<Transaction> take(std::size_t max, std::size_t max_bytes = SIZE_MAX);
  // The block's transactions leave the queue; so do any whose nonce is now used.
  void committed(const CommittedBlock& block);
  // Drops the gapped transactions older than the expiry; how many. Taking and submitting do
  // it too, at most every quarter of the expiry (and every second).
  std::size_t expire();
  // Waits until at least `count` transactions wait or `deadline` passes.
  void wait_for(std::size_t count, std::chrono::steady_clock::time_point deadline);
  void wake();                       // ends waits (the orderer is stopping)
  std::vector<Transaction> drain();  // takes every queued transaction out
  std::size_t size() const;
  std::size_t bytes() const;  // encoded, of every queued transaction
  const MempoolConfig& config() const { return config_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Transaction tx;
    Hash hash;
    std::size_t size;  // encoded, for the byte bounds
    uint64_t seq;      // arrival order
    Clock::time_point arrived;
  };
  struct Sender {
    std::map<uint64_t, Pending> txs;  // by nonce
    uint64_t next = 0;                // the committed next nonce, as last read
    uint64_t included = 0;            // the height of the last block with one of its own
  };
  // Whether a transaction of `size` bytes fits in the queue (with mutex_ held): the bytes
  // queued with it, or a refusal (queue_full).
  Result<std::size_t, TxRejection> room_for(std::size_t size) const;
  std::size_t gapped(const Sender& s) const;
  void remove(Sender& s, std::map<uint64_t, Pending>::iterator it);
  Clock::time_point now() const { return config_.clock ? config_.clock() : Clock::now(); }
  std::size_t expire_locked(Clock::time_point now);
  void maybe_expire(Clock::time_point now);

  Chain& chain_;
  MempoolConfig config_;
  store::DiskWatch disk_;
  mutable std::mutex mutex_;
  std::condition_variable added_;
  std::map<Identity, Sender> senders_;
  std::set<Hash> hashes_;
  std::size_t count_ = 0, bytes_ = 0;
  uint64_t seq_ = 0;
  Clock::time_point swept_{};
  bool woken_ = false;
};

}  // namespace assent::node
