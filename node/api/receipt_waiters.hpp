// Clients waiting for a transaction's receipt (`"wait": true`), none of them holding a
// thread: each is a callback, called once, with the receipt when a block holding it commits,
// or with nothing when its deadline passes or the node stops. At most `capacity` wait at
// once; beyond that the API answers 503 before it queues the transaction.
//
// One thread of its own looks the receipts up (one read transaction a pass) and calls the
// callbacks, so that the orderer's thread only signals a commit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "node/chain/chain.hpp"

namespace assent::node {

class ReceiptWaiters {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void(std::optional<StoredReceipt>)>;

  ReceiptWaiters(Chain& chain, std::size_t capacity);
  ~ReceiptWaiters();

  // Takes a place for a waiter; false when `capacity` are taken. A place taken is given
  // back by `add` (which fills it) or `give_back`.
  [[nodiscard]] bool reserve();
  void give_back();
  // Waits for `tx` in a reserved place until `deadline`.
  void add(const Hash& tx, Clock::time_point deadline, Done done);
  // A block committed: look again.
  void committed();
  // Every waiter is called with nothing, and the callbacks have returned when this does;
  // later adds are called with nothing at once.
  void stop();
  std::size_t waiting() const;

 private:
  struct Waiter {
    Hash tx;
    Clock::time_point deadline;
    Done done;
  };
  void run();

  Chain& chain_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::size_t reserved_ = 0;  // places taken, filled or not
  std::multimap<Clock::time_point, Waiter> waiters_;
  bool look_ = false;  // a commit or a new waiter since the last pass
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace assent::node
