#include "node/chain/mempool.hpp"

#include <algorithm>
#include <tuple>

namespace assent::node {

namespace {

std::string mib(uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

Mempool::Mempool(Chain& chain, MempoolConfig config)
    : chain_(chain), config_(config), disk_(chain.store().dir()) {}

Result<std::size_t, TxRejection> Mempool::room_for(std::size_t size) const {
  if (count_ >= config_.max_txs)
    return fail(TxRejection{TxError::QueueFull, "the queue holds " + std::to_string(count_) +
                                                    " transactions, as many as it may; try "
                                                    "again shortly"});
  if (bytes_ + size > config_.max_bytes)
    return fail(
        TxRejection{TxError::QueueFull, "the queue holds " + mib(bytes_) + " of transactions, " +
                                            "and this one would take it past " +
                                            mib(config_.max_bytes) + "; try again shortly"});
  return bytes_ + size;
}

Result<Hash, TxRejection> Mempool::submit(Transaction tx) {
  if (const store::DiskUsage disk = disk_.usage();
      disk.known && disk.available < config_.min_free_disk)
    return fail(TxRejection{TxError::DiskLow,
                            "the node's disk has " + mib(disk.available) + " free (of " +
                                mib(disk.total) + ") where its store is, `" + disk_.path() +
                                "`, below the " + mib(config_.min_free_disk) +
                                " it keeps free: it takes no transaction until its operator frees "
                                "space or moves the data directory to a larger disk"});
  const std::size_t size = block_tx_bytes(tx);
  {
    // Before the costly checks: a full queue refuses at once.
    std::lock_guard lock(mutex_);
    if (auto room = room_for(size); !room.ok()) return fail(room.error());
  }
  auto checked = chain_.check(tx);
  if (!checked.ok()) return fail(checked.error());
  uint64_t next = 0;
  {
    auto read = chain_.store().begin_read();
    if (!read.ok())
      return fail(
          TxRejection{TxError::Store, "cannot read the store: " + read.error().message});
    auto stored = chain_.next_nonce(*read, tx.sender);
    if (!stored.ok())
      return fail(
          TxRejection{TxError::Store, "cannot read the store: " + stored.error().message});
    next = *stored;
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
  const Hash hash = *checked;
  const auto at = now();
  std::lock_guard lock(mutex_);
  maybe_expire(at);
  if (hashes_.count(hash))
    return fail(TxRejection{TxError::Duplicate, "the transaction is already queued"});
  if (auto room = room_for(size); !room.ok()) return fail(room.error());
  Sender& s = senders_[tx.sender];
  s.next = std::max(s.next, next);
  if (s.txs.count(tx.nonce))
    return fail(TxRejection{TxError::NonceUsed, "another transaction with nonce " +
                                                    std::to_string(tx.nonce) +
                                                    " from this sender is queued"});
  // Gapped: some nonce between the sender's next and this one is neither committed nor queued.
  bool runs = true;
  for (uint64_t n = s.next; runs && n < tx.nonce; ++n)
    runs = s.txs.count(n) > 0;
  if (!runs && gapped(s) >= config_.max_gapped_per_sender)
    return fail(TxRejection{
        TxError::TooManyGapped,
        "the sender has " + std::to_string(gapped(s)) +
            " transactions waiting for an earlier nonce, as many as it may; its next is " +
            std::to_string(s.next) + ": send that one first"});
  const uint64_t nonce = tx.nonce;
  s.txs.emplace(nonce, Pending{std::move(tx), hash, size, ++seq_, at});
  hashes_.insert(hash);
  ++count_;
  bytes_ += size;
  added_.notify_all();
  return hash;
}

std::size_t Mempool::gapped(const Sender& s) const {
  std::size_t runs = 0;
  for (auto it = s.txs.lower_bound(s.next); it != s.txs.end() && it->first == s.next + runs; ++it)
    ++runs;
  const auto below = static_cast<std::size_t>(
      std::distance(s.txs.begin(), s.txs.lower_bound(s.next)));  // stale: leaving at commit
  return s.txs.size() - below - runs;
}

void Mempool::remove(Sender& s, std::map<uint64_t, Pending>::iterator it) {
  hashes_.erase(it->second.hash);
  --count_;
  bytes_ -= it->second.size;
  s.txs.erase(it);
}

std::vector<Transaction> Mempool::take(std::size_t max, std::size_t max_bytes) {
  std::vector<Transaction> out;
  auto read = chain_.store().begin_read();
  if (!read.ok()) return out;
  std::lock_guard lock(mutex_);
  maybe_expire(now());
  // Each sender that can run now, with where it is: fairest first.
  struct Turn {
    std::tuple<uint64_t, uint64_t, uint64_t> rank;  // last included, next's gas, next's arrival
    Sender* sender;
    uint64_t next;
  };
  std::vector<Turn> turns;
  turns.reserve(senders_.size());
  for (auto& [id, s] : senders_) {
    if (auto stored = chain_.next_nonce(*read, id); stored.ok()) s.next = std::max(s.next, *stored);
    auto it = s.txs.find(s.next);
    if (it == s.txs.end()) continue;
    turns.push_back({{s.included, it->second.tx.gas_limit, it->second.seq}, &s, s.next});
  }
  std::sort(turns.begin(), turns.end(),
            [](const Turn& a, const Turn& b) { return a.rank < b.rank; });
  std::size_t bytes = 0;
  // Rounds of one transaction per sender; a sender whose next does not fit is done (its later
  // nonces cannot go before it), and the others go on. Gas is the chain's to count (rule B1
  // depends on what the transactions use): what does not fit in the block stays queued.
  while (!turns.empty() && out.size() < max) {
    std::size_t kept = 0;
    for (Turn& t : turns) {
      if (out.size() >= max) break;
      auto it = t.sender->txs.find(t.next);
      if (it == t.sender->txs.end()) continue;
      const Pending& p = it->second;
      if (bytes + p.size > max_bytes) continue;
      bytes += p.size;
      out.push_back(p.tx);
      ++t.next;
      turns[kept++] = t;
    }
    turns.resize(kept);
  }
  return out;
}

void Mempool::committed(const CommittedBlock& block) {
  auto read = chain_.store().begin_read();
  const uint64_t height = block.block.header.height;
  std::lock_guard lock(mutex_);
  // Only the block's senders' nonces changed: their used nonces leave the queue.
  for (const auto& tx : block.block.txs) {
    auto found = senders_.find(tx.sender);
    if (found == senders_.end()) continue;
    Sender& s = found->second;
    s.included = height;
    if (read.ok())
      if (auto stored = chain_.next_nonce(*read, tx.sender); stored.ok())
        s.next = std::max(s.next, *stored);
    while (!s.txs.empty() && s.txs.begin()->first < s.next)
      remove(s, s.txs.begin());
    if (s.txs.empty()) senders_.erase(found);
  }
  maybe_expire(now());
}

std::size_t Mempool::expire() {
  std::lock_guard lock(mutex_);
  return expire_locked(now());
}

void Mempool::maybe_expire(Clock::time_point now) {
  const auto every = std::min<Clock::duration>(config_.gap_expiry / 4, std::chrono::seconds(1));
  if (now - swept_ < every) return;
  (void)expire_locked(now);
}

std::size_t Mempool::expire_locked(Clock::time_point now) {
  swept_ = now;
  std::size_t dropped = 0;
  for (auto si = senders_.begin(); si != senders_.end();) {
    Sender& s = si->second;
    // Past the run of nonces from the sender's next, every transaction is gapped.
    uint64_t n = s.next;
    auto it = s.txs.lower_bound(n);
    while (it != s.txs.end() && it->first == n) {
      ++it;
      ++n;
    }
    while (it != s.txs.end()) {
      auto here = it++;
      if (now - here->second.arrived < config_.gap_expiry) continue;
      remove(s, here);
      ++dropped;
    }
    si = s.txs.empty() ? senders_.erase(si) : std::next(si);
  }
  return dropped;
}

void Mempool::wait_for(std::size_t count, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  added_.wait_until(lock, deadline, [&] { return woken_ || count_ >= count; });
}

std::vector<Transaction> Mempool::drain() {
  std::lock_guard lock(mutex_);
  std::vector<Transaction> out;
  out.reserve(count_);
  for (auto& [id, s] : senders_)
    for (auto& [nonce, p] : s.txs)
      out.push_back(std::move(p.tx));
  senders_.clear();
  hashes_.clear();
  count_ = bytes_ = 0;
  return out;
}

void Mempool::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  added_.notify_all();
}

std::size_t Mempool::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::size_t Mempool::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace assent::node
