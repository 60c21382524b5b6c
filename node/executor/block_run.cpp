// GCC 12 reports comparisons of std::set<Bytes>'s keys (vector<uint8_t>'s <=>) inside
// libstdc++'s out-of-line code, which only a pragma ahead of every include reaches
// (vm/gcc_false_positives.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
// BlockRun (node/executor/executor.hpp): one block's calls on its write transaction, the
// events they leave, and the state root at its end.
#include <algorithm>

#include "node/executor/executor.hpp"
#include "node/executor/frame.hpp"
#include "node/store/events.hpp"
#include "stdlib/crypto.hpp"
#include "stdlib/gas_schedule.hpp"

namespace assent::node {

using store::Txn;
using store::View;

BlockRun::BlockRun(Executor& exec, Txn txn, BlockInfo block)
    : exec_(exec), txn_(std::move(txn)), block_(block) {}

namespace {

// Writes a call's events and their indexes (the keys each found as it was emitted) into the
// block's transaction.
std::optional<store::LmdbError> persist_events(Executor& exec, Txn& txn, const BlockInfo& block,
                                               const Identity& tx_hash,
                                               const std::vector<EventRecord>& events) {
  for (const auto& ev : events) {
    store::StoredEvent stored{ev.contract, ev.name, block.height, block.time, tx_hash, ev.data};
    if (auto e = store::append_event(txn, exec.store().db(), stored, ev.indexed)) return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> BlockRun::count_event(std::size_t bytes) {
  tx_events_ += 1;
  tx_event_bytes_ += bytes;
  if (tx_events_ > stdlib::gas::kMaxEventsPerTransaction)
    return "event.emit: a transaction may emit at most " +
           std::to_string(stdlib::gas::kMaxEventsPerTransaction) +
           " events (docs/syscalls.md, \"Prices and limits\"); split the work across transactions";
  if (tx_event_bytes_ > stdlib::gas::kMaxEventBytesPerTransaction)
    return "event.emit: a transaction's events may carry at most " +
           std::to_string(stdlib::gas::kMaxEventBytesPerTransaction) +
           " bytes of data, and this one would bring them to " + std::to_string(tx_event_bytes_) +
           " (docs/syscalls.md, \"Prices and limits\"); emit less, or split the work across "
           "transactions";
  return std::nullopt;
}

Receipt BlockRun::settle(CallScope& scope, Receipt r, const std::set<Bytes>& changes) {
  if (!scope.store_error && r.ok())
    if (auto e = persist_events(exec_, txn_, block_, scope.tx_hash, r.events))
      scope.store_error = *e;
  if (scope.store_error) {
    if (!failed_) failed_ = scope.store_error;
    return store_failure_receipt(*scope.store_error);
  }
  if (r.ok()) changed_.insert(changes.begin(), changes.end());
  return r;
}

Receipt BlockRun::call(const Identity& caller, const Identity& contract, const std::string& method,
                       std::span<const uint8_t> args, uint64_t gas, const Identity& tx_hash) {
  tx_events_ = tx_event_bytes_ = 0;
  CallScope scope{this, block_, tx_hash, {}, {}};
  std::set<Bytes> changes;
  Receipt r = exec_.run(scope, {.txn = txn_,
                                .caller = caller,
                                .contract = contract,
                                .method = method,
                                .args = args,
                                .gas = gas,
                                .changes = &changes});
  return settle(scope, std::move(r), changes);
}

Receipt BlockRun::deploy(const Identity& deployer, uint64_t nonce,
                         std::span<const uint8_t> module_bytes, std::span<const uint8_t> init_args,
                         uint64_t gas, const Identity& tx_hash) {
  const Identity address = Executor::contract_address(deployer, nonce);
  tx_events_ = tx_event_bytes_ = 0;
  CallScope scope{this, block_, tx_hash, {}, {}};
  std::set<Bytes> changes;
  Receipt r = exec_.deploy(txn_, scope, deployer, address, module_bytes, init_args, gas, changes);
  return settle(scope, std::move(r), changes);
}

void BlockRun::changed_meta(std::string_view name) {
  changed_.insert(store::tagged_key(store::StateTag::Meta, store::view(name)));
}

void BlockRun::changed_record(store::StateTag tag, std::span<const uint8_t> key) {
  changed_.insert(store::tagged_key(tag, key));
}

std::optional<store::LmdbError> BlockRun::commit() {
  if (failed_) return failed_;
  return txn_.commit();
}

Result<Hash, store::LmdbError> BlockRun::finish() {
  if (failed_) return fail(*failed_);
  const auto& db = exec_.store().db();
  std::vector<store::Change> changes;
  for (const Bytes& key : changed_) {
    const auto record = store::untag(key);  // every key here was made by tagged_key
    if (!record) return fail(store::LmdbError{MDB_CORRUPTED, "a changed key has no state tag"});
    auto value = txn_.get(store::database_of(record->first, db), record->second);
    if (!value.ok()) return fail(value.error());
    store::Change c{stdlib::sha256(key), std::nullopt};
    if (*value) c.value = stdlib::sha256(**value);
    changes.push_back(c);
  }
  changed_.clear();
  const uint64_t base = block_.height == 0 ? 0 : block_.height - 1;
  auto root = exec_.store().tree().update(txn_, base, block_.height, std::move(changes));
  if (!root.ok()) return fail(root.error());
  // Pruning in the block's own transaction: a crash leaves both or neither.
  const uint64_t keep = exec_.config().keep_versions;
  const uint64_t every = std::max<uint64_t>(1, exec_.config().prune_every);
  if (keep > 0 && block_.height > keep && block_.height % every == 0)
    if (auto pruned = exec_.store().tree().prune(txn_, block_.height - keep + 1); !pruned.ok())
      return fail(pruned.error());
  return root->hash;
}

}  // namespace assent::node
