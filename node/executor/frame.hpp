// Internal to the executor: what the frames of one transaction share, what one frame is
// asked to run, and the small helpers its parts (executor.cpp, block_run.cpp,
// contract_host.cpp, test_hooks.cpp) have in common.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "node/executor/executor.hpp"
#include "node/store/state_keys.hpp"

namespace assent::node {

// What the frames of one transaction (or view) share: its block (null for a view), the
// block's context, the transaction, the contracts on the call stack, and the first store
// failure any frame met. A store failure ends the whole transaction whatever its frames did
// with it, and in a block the block too: it says nothing about the transaction (another
// node's store would not have failed), so no stored receipt may record it.
struct CallScope {
  BlockRun* block = nullptr;
  BlockInfo info;
  Identity tx_hash{};
  std::vector<Identity> stack;
  std::optional<store::LmdbError> store_error;
};

// One frame: `method` of `contract` for `caller`, with `args` and at most `gas`. `txn` is
// the caller's transaction: the frame writes in a child of it, unless `read_only` (a view),
// and the state keys it changed go to `changes` when it succeeds (null: not kept).
struct FrameCall {
  store::Txn& txn;
  const Identity& caller;
  const Identity& contract;
  std::string_view method;
  std::span<const uint8_t> args;
  uint64_t gas = 0;
  bool read_only = false;
  bool allow_init = false;  // `init` may run (a deploy's frame only)
  std::set<Bytes>* changes = nullptr;
};

inline Receipt failure(ExecOutcome status, std::string message) {
  Receipt r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

// The receipt of a call the store failed under: what it did is not kept.
inline Receipt store_failure_receipt(const store::LmdbError& e) {
  return failure(ExecOutcome::StoreFailed, "the store failed: " + e.message);
}

inline Bytes concat(store::View a, store::View b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Adds the time of its scope to a counter, when there is one (ExecutorProfile).
class Timed {
 public:
  explicit Timed(uint64_t* counter) : counter_(counter) {
    if (counter_) start_ = std::chrono::steady_clock::now();
  }
  ~Timed() {
    if (counter_)
      *counter_ += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::steady_clock::now() - start_)
                                             .count());
  }
  Timed(const Timed&) = delete;
  Timed& operator=(const Timed&) = delete;

 private:
  uint64_t* counter_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace assent::node
