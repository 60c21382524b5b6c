#include "node/api/receipt_waiters.hpp"

#include <vector>

namespace assent::node {

ReceiptWaiters::ReceiptWaiters(Chain& chain, std::size_t capacity)
    : chain_(chain), capacity_(capacity), thread_([this] { run(); }) {}

ReceiptWaiters::~ReceiptWaiters() {
  stop();
}

bool ReceiptWaiters::reserve() {
  std::lock_guard lock(mutex_);
  if (stopping_ || reserved_ >= capacity_) return false;
  ++reserved_;
  return true;
}

void ReceiptWaiters::give_back() {
  std::lock_guard lock(mutex_);
  if (reserved_ > 0) --reserved_;
}

void ReceiptWaiters::add(const Hash& tx, Clock::time_point deadline, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      waiters_.emplace(deadline, Waiter{tx, deadline, std::move(done)});
      look_ = true;  // it may have committed before it was added
      wake_.notify_one();
      return;
    }
    if (reserved_ > 0) --reserved_;
  }
  done(std::nullopt);
}

void ReceiptWaiters::committed() {
  std::lock_guard lock(mutex_);
  if (waiters_.empty()) return;
  look_ = true;
  wake_.notify_one();
}

void ReceiptWaiters::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::size_t ReceiptWaiters::waiting() const {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

void ReceiptWaiters::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (waiters_.empty())
      wake_.wait(lock, [&] { return stopping_ || !waiters_.empty(); });
    else
      wake_.wait_until(lock, waiters_.begin()->first, [&] { return stopping_ || look_; });
    // Take out the waiters whose time is up, then (outside the lock) find the receipts of
    // the others; callbacks run outside the lock too.
    std::vector<std::pair<Waiter, std::optional<StoredReceipt>>> finished;
    const auto now = Clock::now();
    while (!waiters_.empty() && (stopping_ || waiters_.begin()->first <= now)) {
      finished.push_back({std::move(waiters_.begin()->second), std::nullopt});
      waiters_.erase(waiters_.begin());
    }
    const bool look = look_ && !waiters_.empty();
    look_ = false;
    std::vector<std::pair<Clock::time_point, Hash>> wanted;
    if (look)
      for (const auto& [deadline, w] : waiters_)
        wanted.push_back({deadline, w.tx});
    lock.unlock();
    std::vector<std::pair<Hash, StoredReceipt>> found;
    if (!wanted.empty())
      if (auto read = chain_.store().begin_read(); read.ok())
        for (const auto& [_, tx] : wanted)
          // A receipt that cannot be read is not found: its waiter's deadline answers.
          if (auto r = chain_.receipt(*read, tx); r.ok() && *r)
            found.push_back({tx, std::move(**r)});
    lock.lock();
    for (auto& [tx, receipt] : found)
      for (auto it = waiters_.begin(); it != waiters_.end(); ++it)
        if (it->second.tx == tx) {
          finished.push_back({std::move(it->second), std::move(receipt)});
          waiters_.erase(it);
          break;
        }
    reserved_ -= std::min(reserved_, finished.size());
    const bool done = stopping_ && waiters_.empty();
    lock.unlock();
    for (auto& [w, receipt] : finished) {
      try {
        w.done(std::move(receipt));
      } catch (...) {
        // The answer could not be built; the client's connection times out. The waiters
        // of others go on.
      }
    }
    finished.clear();
    lock.lock();
    if (done) return;
  }
}

}  // namespace assent::node
