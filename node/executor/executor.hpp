// The executor: deploys modules and runs contract calls against the store, each call in
// its own nested LMDB transaction (committed on success, aborted on any trap), and keeps
// what a block changed so that the state root can be updated at its end.
//
//   Executor exec(store);
//   auto block = exec.begin_block({height, time});      // one LMDB write transaction
//   Receipt r = block->call(caller, contract, "grant", args, gas, tx_hash);
//   auto root = block->finish();                          // state root; then commit()
//
// Views outside blocks run on read transactions (`Executor::view`), from any thread.
//
// The parts: executor.cpp (programs, frames, deploys), block_run.cpp (BlockRun),
// contract_host.hpp (a frame's stdlib::Host), test_hooks.hpp (the same under `assent test`,
// with the test built-ins), outcome.hpp (how a call ended), frame.hpp (what they share).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "node/executor/outcome.hpp"
#include "node/executor/test_state.hpp"
#include "node/store/state_keys.hpp"
#include "node/store/store.hpp"
#include "stdlib/host.hpp"
#include "vm/machine.hpp"
#include "vm/program.hpp"

namespace assent::node {

using stdlib::Identity;
using store::Bytes;
using store::Hash;

struct BlockInfo {
  uint64_t height = 0;
  uint64_t time = 0;  // seconds since 1970
};

struct EventRecord {
  Identity contract{};
  uint32_t index = 0;  // in the contract's ABI
  std::string name;
  Bytes data;  // ABI-encoded fields
  // The values of its `indexed` fields, found as it was emitted (its keys in the event index).
  // Not part of a stored receipt: a decoded receipt has none.
  std::vector<Identity> indexed;
};

struct Receipt {
  ExecOutcome status = ExecOutcome::Ok;
  uint64_t gas_used = 0;
  Bytes return_data;
  std::vector<EventRecord> events;
  std::string message;               // why it failed
  uint32_t line = 0, column = 0;     // where in the contract's source, when known
  std::optional<Identity> contract;  // the address a deploy created

  bool ok() const { return status == ExecOutcome::Ok; }
  std::string describe() const;  // "ok" or "aborted: expiry must be in the future (line 22:9)"
};

// Why the executor did not run a call: the outcome a receipt records, and the particulars.
struct ExecError {
  ExecOutcome code;
  std::string message;
};

// Where call time goes, for benchmarks: in the machine (VM and syscalls), in host functions
// (their LMDB reads and writes included), and in each call's nested LMDB transaction.
// Off unless Executor::profile is set.
struct ExecutorProfile {
  uint64_t machine_ns = 0;
  uint64_t host_ns = 0;
  uint64_t txn_ns = 0;
};

struct ExecutorConfig {
  uint32_t max_call_depth = 8;       // contract-to-contract calls
  uint32_t heap_limit = 256 * 1024;  // per call
  uint32_t initial_heap = 4096;
  // The syscalls modules may import; null: a node's (stdlib::node_syscalls).
  const vm::SyscallRegistry* syscalls = nullptr;
  // State tree versions kept whole (for proofs at past heights); older nodes are pruned as
  // blocks commit. 0: keep every version.
  uint64_t keep_versions = 1000;
  // Pruning runs every this many blocks: batched, its deletes touch each page fewer times.
  uint64_t prune_every = 16;
};

class Executor;
class BlockRun;
struct CallScope;  // node/executor/frame.hpp: what one transaction's frames share
struct FrameCall;  // and what one frame is asked to run

// One block's worth of calls, on one write transaction. Not thread-safe.
class BlockRun {
 public:
  BlockRun(Executor& exec, store::Txn txn, BlockInfo block);

  // Stores the module (by code id), creates a contract at the address derived from the
  // deployer and nonce, and runs its `init` (if any) with `init_args`. Nothing of a
  // failed deploy remains but its receipt.
  [[nodiscard]] Receipt deploy(const Identity& deployer, uint64_t nonce,
                               std::span<const uint8_t> module_bytes,
                               std::span<const uint8_t> init_args, uint64_t gas,
                               const Identity& tx_hash);
  // Runs an action (or a plain function) of a contract.
  [[nodiscard]] Receipt call(const Identity& caller, const Identity& contract,
                             const std::string& method, std::span<const uint8_t> args, uint64_t gas,
                             const Identity& tx_hash);

  // A named value in `meta` that is part of the state (a sender's next nonce) was written:
  // the state tree covers it too.
  void changed_meta(std::string_view name);
  // A record of `tag` the chain wrote itself (the consortium's: genesis, governance) was
  // written or deleted: the state tree covers it too.
  void changed_record(store::StateTag tag, std::span<const uint8_t> key);
  // The store failed under something the chain ran in this block outside the executor (a
  // governance change): as a call's store failure, it stops the block.
  void store_failed(store::LmdbError error) {
    if (!failed_) failed_ = std::move(error);
  }

  // Counts an event of `bytes` bytes of data against the running transaction's limits
  // (stdlib/gas_schedule.hpp); the message says which one it passes.
  [[nodiscard]] std::optional<std::string> count_event(std::size_t bytes);

  // The store failure a call of this block met, if any: the block cannot be finished or
  // committed then (its state is not what the transactions made), and the chain stops it.
  const std::optional<store::LmdbError>& store_failure() const { return failed_; }

  // Updates the state tree with everything the block changed; returns the new root. The
  // transaction stays open for the node to add the block itself, then `commit`.
  [[nodiscard]] Result<Hash, store::LmdbError> finish();
  [[nodiscard]] std::optional<store::LmdbError> commit();
  store::Txn& txn() { return txn_; }
  Executor& executor() { return exec_; }
  const BlockInfo& block() const { return block_; }

 private:
  Executor& exec_;
  store::Txn txn_;
  BlockInfo block_;
  // Settles a call or deploy of the block after it ran: its store failure fails the block;
  // otherwise its events go into the store and its changes into the block's.
  [[nodiscard]] Receipt settle(CallScope& scope, Receipt r, const std::set<Bytes>& changes);
  std::set<Bytes> changed_;  // tagged keys of the state tree
  std::optional<store::LmdbError> failed_;
  // The running transaction's events so far, nested calls' included.
  uint64_t tx_events_ = 0;
  uint64_t tx_event_bytes_ = 0;
};

class Executor {
 public:
  explicit Executor(store::Store& store, ExecutorConfig config = {});

  [[nodiscard]] Result<std::unique_ptr<BlockRun>, store::LmdbError> begin_block(BlockInfo block);
  // Runs a view on a snapshot; never writes.
  [[nodiscard]] Receipt view(store::Txn& read, BlockInfo block, const Identity& caller,
                             const Identity& contract, const std::string& method,
                             std::span<const uint8_t> args, uint64_t gas);

  // The verified program of a deployed contract (cached by code id), or why there is none:
  // NoContract, BadStoredCode, or StoreFailed (with the store's error in `store_error`, when
  // given).
  [[nodiscard]] Result<std::shared_ptr<const vm::VerifiedProgram>, ExecError> program_of(
      const store::Txn& txn, const Identity& contract,
      std::optional<store::LmdbError>* store_error = nullptr);
  store::Store& store() { return store_; }
  const ExecutorConfig& config() const { return config_; }

  static Identity contract_address(const Identity& deployer, uint64_t nonce);
  // When set, calls add their timings here (not thread-safe: one writer at a time).
  ExecutorProfile* profile = nullptr;
  // Under `assent test`: the test's state, which the test built-ins change.
  TestState* test = nullptr;
  const vm::SyscallRegistry& syscalls() const;
  static Hash state_leaf_key(const Identity& contract, std::span<const uint8_t> key);

 private:
  friend class BlockRun;
  friend class ContractHost;
  friend class TestContractHost;
  // Runs `call` as the next frame of `scope`.
  [[nodiscard]] Receipt run(CallScope& scope, const FrameCall& call);
  // Stores `module_bytes` and creates the contract at `address` in a child of `parent`,
  // running its init as `deployer` on top of the scope's stack; the receipt carries the
  // init's events.
  [[nodiscard]] Receipt deploy(store::Txn& parent, CallScope& scope, const Identity& deployer,
                               const Identity& address, std::span<const uint8_t> module_bytes,
                               std::span<const uint8_t> init_args, uint64_t gas,
                               std::set<Bytes>& changes);

  store::Store& store_;
  ExecutorConfig config_;
  std::mutex cache_mutex_;
  std::map<Hash, std::shared_ptr<const vm::VerifiedProgram>> cache_;  // by code id
  std::map<Identity, std::shared_ptr<const vm::VerifiedProgram>> by_address_;
  uint64_t generation_ = 0;  // unique per executor, for per-thread caches
  [[nodiscard]] Result<std::shared_ptr<const vm::VerifiedProgram>, ExecError> load_program(
      const store::Txn& txn, const Identity& contract,
      std::optional<store::LmdbError>* store_error);
};

}  // namespace assent::node
