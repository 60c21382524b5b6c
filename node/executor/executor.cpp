#include "node/executor/executor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <utility>

#include "node/store/events.hpp"
#include "stdlib/abi_codec.hpp"
#include "stdlib/crypto.hpp"
#include "stdlib/gas_schedule.hpp"
#include "stdlib/host_syscalls.hpp"
#include "vm/hex.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

using store::Txn;
using store::View;

std::string Receipt::describe() const {
  if (ok()) return "ok";
  std::string out = std::string(to_string(status)) + ": " + message;
  if (line != 0) out += " (line " + std::to_string(line) + ":" + std::to_string(column) + ")";
  return out;
}

namespace {

Bytes concat(View a, View b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes tagged(char tag, View a, View b = {}) {
  Bytes out{static_cast<uint8_t>(tag)};
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Receipt failure(ExecOutcome status, std::string message) {
  Receipt r;
  r.status = status;
  r.message = std::move(message);
  return r;
}

// Adds the time of its scope to a counter, when there is one.
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

 private:
  uint64_t* counter_;
  std::chrono::steady_clock::time_point start_;
};

// One machine per call depth and thread: a cross-contract call runs while its caller's
// machine is mid-run, and views run on API threads.
vm::Machine& machine_for(std::size_t depth, const ExecutorConfig& config) {
  thread_local std::vector<std::unique_ptr<vm::Machine>> machines;
  while (machines.size() <= depth)
    machines.push_back(std::make_unique<vm::Machine>(
        vm::MachineConfig{config.heap_limit, config.initial_heap, 64}));
  return *machines[depth];
}

}  // namespace

// The host of one contract call frame (stdlib::Host over the frame's transaction), and under
// `assent test` the test hooks (applied by the frame of the test itself, the first one).
class ContractHost final : public stdlib::Host, public stdlib::TestHost {
 public:
  ContractHost(Executor& exec, CallScope& scope, Txn& txn, const Identity& caller,
               const Identity& self, bool read_only, const vm::Module& module)
      : exec_(exec),
        scope_(scope),
        txn_(txn),
        caller_(caller),
        self_(self),
        read_only_(read_only),
        module_(module) {}

  uint64_t* host_counter() const { return exec_.profile ? &exec_.profile->host_ns : nullptr; }

  Result<std::optional<Bytes>, std::string> get(std::span<const uint8_t> key) override {
    Timed host(host_counter());
    const Bytes full = concat(self_, key);
    auto v = txn_.get(exec_.store_.db().state, full);
    if (!v.ok()) return fail(store_failed(v.error()));
    if (!*v) return std::optional<Bytes>();
    return std::optional<Bytes>(Bytes((*v)->begin(), (*v)->end()));
  }
  Result<bool, std::string> has(std::span<const uint8_t> key) override {
    Timed host(host_counter());
    const Bytes full = concat(self_, key);
    auto v = txn_.get(exec_.store_.db().state, full);
    if (!v.ok()) return fail(store_failed(v.error()));
    return v->has_value();
  }
  Result<std::optional<Bytes>, std::string> next_key(std::span<const uint8_t> prefix,
                                                     std::span<const uint8_t> after) override {
    const Bytes full_prefix = concat(self_, prefix);
    // The smallest key greater than X is at or after X followed by a zero byte.
    Bytes from = after.empty() ? full_prefix : concat(self_, after);
    if (!after.empty()) from.push_back(0);
    auto found = txn_.seek(exec_.store_.db().state, from);
    if (!found.ok()) return fail(store_failed(found.error()));
    const auto& entry = *found;
    if (!entry || entry->first.size() < full_prefix.size() ||
        !std::equal(full_prefix.begin(), full_prefix.end(), entry->first.begin()))
      return std::optional<Bytes>();
    return std::optional<Bytes>(Bytes(entry->first.begin() + 32, entry->first.end()));
  }
  std::optional<std::string> set(std::span<const uint8_t> key,
                                 std::span<const uint8_t> value) override {
    Timed host(host_counter());
    if (read_only_) return "a view cannot write state";
    const Bytes full = concat(self_, key);
    if (auto e = txn_.put(exec_.store_.db().state, full, value)) return store_failed(*e);
    changes.insert(tagged('s', self_, key));
    return std::nullopt;
  }
  std::optional<std::string> remove(std::span<const uint8_t> key, bool& existed) override {
    if (read_only_) return "a view cannot write state";
    auto r = txn_.del(exec_.store_.db().state, concat(self_, key));
    if (!r.ok()) return store_failed(r.error());
    existed = *r;
    // Removing a key that is not there changes nothing: the state tree is not touched.
    if (existed) changes.insert(tagged('s', self_, key));
    return std::nullopt;
  }
  std::optional<std::string> emit(uint32_t index, std::span<const uint8_t> data) override {
    Timed host(host_counter());
    if (read_only_) return "a view cannot emit events";
    if (index >= module_.abi.events.size())
      return "event.emit: the module declares no event #" + std::to_string(index);
    const vm::Event& ev = module_.abi.events[index];
    if (!abi::fields_valid(ev.fields, module_.abi, data))
      return "event.emit: the data of `" + ev.name + "` does not match its fields";
    // Per transaction, nested calls included (views never get here: they cannot emit).
    if (scope_.block != nullptr) {
      if (auto error = scope_.block->count_event(data.size())) return error;
    }
    events.push_back({self_, index, ev.name, Bytes(data.begin(), data.end())});
    return std::nullopt;
  }
  const Identity& caller() const override { return caller_; }
  const Identity& self() const override { return self_; }
  uint64_t now() const override {
    return scope_.info.time + (exec_.test ? exec_.test->time_offset : 0);
  }
  uint64_t block_height() const override {
    return scope_.info.height + (exec_.test ? exec_.test->height_offset : 0);
  }
  const Identity& tx_hash() const override { return scope_.tx_hash; }

  stdlib::CallOutcome call(const Identity& contract, std::string_view method,
                           std::span<const uint8_t> args, bool view, uint64_t gas) override {
    // An expected revert covers the refusals below too.
    const std::optional<std::string> expected = take_expected_revert();
    const std::string what = "`" + std::string(method) + "`";
    if (scope_.stack.size() >= exec_.config().max_call_depth)
      return test_outcome(failure(ExecOutcome::CallDepthLimit,
                                  "call depth limit of " +
                                      std::to_string(exec_.config().max_call_depth) + " reached"),
                          what, expected);
    if (!view && read_only_)
      return test_outcome(failure(ExecOutcome::ViewCallsAction, "a view cannot call an action"),
                          what, expected);
    if (!view &&
        std::find(scope_.stack.begin(), scope_.stack.end(), contract) != scope_.stack.end())
      return test_outcome(failure(ExecOutcome::ReentrantCall,
                                  "re-entrant call into contract " + to_hex(contract) + " refused"),
                          what, expected);
    std::set<Bytes> sub_changes;
    Receipt r = exec_.run(txn_, scope_, test_frame() ? test_caller() : self_, contract,
                          std::string(method), args, gas, read_only_ || view, false, &sub_changes);
    if (r.ok()) {
      changes.insert(sub_changes.begin(), sub_changes.end());
      events.insert(events.end(), r.events.begin(), r.events.end());
    }
    return test_outcome(std::move(r), what, expected);
  }

  // ---- stdlib::TestHost
  stdlib::TestHost* test() override { return exec_.test ? this : nullptr; }
  void set_caller(const Identity& who) override { exec_.test->caller = who; }
  void advance_time(uint64_t seconds) override { exec_.test->time_offset += seconds; }
  void advance_blocks(uint64_t blocks) override { exec_.test->height_offset += blocks; }
  void at(uint64_t position) override {
    exec_.test->line = static_cast<uint32_t>(position >> 32);
    exec_.test->column = static_cast<uint32_t>(position);
  }
  void expect_revert(std::string message) override {
    exec_.test->expected_revert = std::move(message);
  }
  std::optional<std::string> expect_event(std::string_view name) override {
    const auto& seen = exec_.test->last_events;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return std::nullopt;
    std::string list;
    for (const auto& s : seen)
      list += (list.empty() ? "" : ", ") + s;
    return "expected the last call to emit `" + std::string(name) + "`, but it emitted " +
           (list.empty() ? "no event" : list);
  }
  stdlib::CallOutcome deploy(std::string_view module, std::span<const uint8_t> init_args,
                             uint64_t gas, Identity& address) override {
    TestState& t = *exec_.test;
    const std::optional<std::string> expected = take_expected_revert();
    const std::string what = "deploying `" + std::string(module) + "`";
    // Only the test itself deploys (a contract's init cannot: no deploys within deploys).
    if (!test_frame() || read_only_)
      return test_outcome(failure(ExecOutcome::DeployRefused, "only a test function deploys"), what,
                          expected);
    auto it = t.modules.find(std::string(module));
    if (it == t.modules.end())
      return test_outcome(
          failure(ExecOutcome::DeployRefused, "no contract `" + std::string(module) + "` here"),
          what, expected);
    const Identity deployer = test_caller();
    address = Executor::contract_address(deployer, ++t.deploys);
    std::set<Bytes> sub_changes;
    Receipt r =
        exec_.deploy(txn_, scope_, deployer, address, it->second, init_args, gas, sub_changes);
    if (r.ok()) {
      changes.insert(sub_changes.begin(), sub_changes.end());
      events.insert(events.end(), r.events.begin(), r.events.end());
    }
    return test_outcome(std::move(r), what, expected);
  }

  std::set<Bytes> changes;
  std::vector<EventRecord> events;
  // The executor's reason the last call (or deploy) the program made failed, when it failed
  // for one: the program traps at that call (its syscall fails), and the frame's receipt
  // says why.
  std::optional<ExecOutcome> failed_call;

 private:
  // Records the scope's store failure (the first one counts) and says what the syscall fails
  // with: the transaction ends with it, whatever the contract does next.
  std::string store_failed(const store::LmdbError& e) {
    if (!scope_.store_error) scope_.store_error = e;
    return "the store failed: " + e.message;
  }
  // The frame of a test function itself: the one the test built-ins act for.
  bool test_frame() const { return exec_.test != nullptr && scope_.stack.size() == 1; }
  Identity test_caller() const { return exec_.test->caller.value_or(self_); }
  std::optional<std::string> take_expected_revert() {
    if (!test_frame()) return std::nullopt;
    return std::exchange(exec_.test->expected_revert, std::nullopt);
  }
  // After a call by the test: its events are remembered, and an expected revert that came
  // makes it a success with no result, while one that did not fails the test.
  stdlib::CallOutcome test_outcome(Receipt r, const std::string& what,
                                   const std::optional<std::string>& expected) {
    if (test_frame()) {
      exec_.test->last_events.clear();
      for (const auto& e : r.events)
        exec_.test->last_events.push_back(e.name);
    }
    failed_call.reset();
    if (!expected) {
      if (!r.ok() && !is_vm_status(r.status)) failed_call = r.status;
      if (test_frame() && !r.ok() && r.line != 0)
        r.message += " (line " + std::to_string(r.line) + ":" + std::to_string(r.column) +
                     " of the contract)";
      return {vm_status_of(r.status), r.gas_used, std::move(r.return_data), r.message};
    }
    if (r.ok())
      return {vm::Status::Aborted,
              r.gas_used,
              {},
              "expected " + what + " to revert with \"" + *expected + "\", but it succeeded"};
    if (r.message.find(*expected) == std::string::npos)
      return {vm::Status::Aborted,
              r.gas_used,
              {},
              "expected " + what + " to revert with \"" + *expected +
                  "\", but it failed with: " + r.describe()};
    return {vm::Status::Ok, r.gas_used, {}, {}};
  }

  Executor& exec_;
  CallScope& scope_;
  Txn& txn_;
  const Identity& caller_;
  const Identity& self_;
  bool read_only_;
  const vm::Module& module_;
};

Executor::Executor(store::Store& store, ExecutorConfig config) : store_(store), config_(config) {
  static std::atomic<uint64_t> generations{0};
  generation_ = ++generations;
}

const vm::SyscallRegistry& Executor::syscalls() const {
  return config_.syscalls ? *config_.syscalls : stdlib::node_syscalls();
}

Identity Executor::contract_address(const Identity& deployer, uint64_t nonce) {
  const auto n = store::be64(nonce);
  return stdlib::sha256({store::view("assent.contract"), deployer, n});
}

Hash Executor::state_leaf_key(const Identity& contract, std::span<const uint8_t> key) {
  return stdlib::sha256(tagged('s', contract, key));
}

Result<std::shared_ptr<const vm::VerifiedProgram>, ExecError> Executor::program_of(
    const Txn& txn, const Identity& contract, std::optional<store::LmdbError>* store_error) {
  // A contract's code never changes once deployed, so what a committed snapshot shows can be
  // remembered by address (a write transaction's view may still be rolled back).
  // Each thread keeps its own copy, so that readers on several threads do not contend; the
  // executor's generation tells apart executors that lived at the same address.
  thread_local std::map<std::pair<uint64_t, Identity>, std::shared_ptr<const vm::VerifiedProgram>>
      local;
  const auto key = std::make_pair(generation_, contract);
  if (auto it = local.find(key); it != local.end()) return it->second;
  std::shared_ptr<const vm::VerifiedProgram> program;
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = by_address_.find(contract); it != by_address_.end()) program = it->second;
  }
  if (!program) {
    auto loaded = load_program(txn, contract, store_error);
    if (!loaded.ok() || !txn.read_only()) return loaded;
    program = *loaded;
    std::lock_guard lock(cache_mutex_);
    by_address_.emplace(contract, program);
  }
  if (local.size() > 4096) local.clear();
  local.emplace(key, program);
  return program;
}

Result<std::shared_ptr<const vm::VerifiedProgram>, ExecError> Executor::load_program(
    const Txn& txn, const Identity& contract, std::optional<store::LmdbError>* store_error) {
  auto failed = [&](const store::LmdbError& e) {
    if (store_error) *store_error = e;
    return fail(ExecError{ExecOutcome::StoreFailed, "the store failed: " + e.message});
  };
  auto code_id = txn.get(store_.db().contracts, contract);
  if (!code_id.ok()) return failed(code_id.error());
  if (!*code_id || (*code_id)->size() != 32)
    return fail(ExecError{ExecOutcome::NoContract, "no contract at " + to_hex(contract)});
  Hash id;
  std::memcpy(id.data(), (*code_id)->data(), 32);
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(id); it != cache_.end()) return it->second;
  }
  auto bytes = txn.get(store_.db().code, id);
  if (!bytes.ok()) return failed(bytes.error());
  if (!*bytes)
    return fail(ExecError{ExecOutcome::BadStoredCode,
                          "the code of contract " + to_hex(contract) + " is missing"});
  auto module = vm::read_module(**bytes);
  if (!module.ok())
    return fail(ExecError{ExecOutcome::BadStoredCode,
                          "stored module is invalid: " + module.error().describe()});
  auto program = vm::verify(std::move(module).value(), syscalls());
  if (!program.ok())
    return fail(ExecError{ExecOutcome::BadStoredCode,
                          "stored module fails verification: " + program.error().describe()});
  auto shared = std::make_shared<const vm::VerifiedProgram>(std::move(program).value());
  std::lock_guard lock(cache_mutex_);
  return cache_.emplace(id, std::move(shared)).first->second;
}

namespace {

// The receipt of a transaction the store failed under: what it did is not kept.
Receipt store_failure_receipt(const store::LmdbError& e) {
  return failure(ExecOutcome::StoreFailed, "the store failed: " + e.message);
}

}  // namespace

Receipt Executor::run(Txn& txn, CallScope& scope, const Identity& caller, const Identity& contract,
                      const std::string& method, std::span<const uint8_t> args, uint64_t gas,
                      bool read_only, bool allow_init, std::set<Bytes>* changes) {
  auto found = program_of(txn, contract, &scope.store_error);
  if (!found.ok()) return failure(found.error().code, found.error().message);
  const vm::VerifiedProgram& program = **found;
  const vm::Module& module = program.module();
  const vm::Export* e = module.find_export(method);
  if (e == nullptr || (e->kind == vm::ExportKind::Init && !allow_init)) {
    std::string names;
    for (const auto& x : module.exports)
      if (x.kind != vm::ExportKind::Init) names += (names.empty() ? "" : ", ") + x.name;
    return failure(ExecOutcome::NoMethod, "the contract has no method `" + method + "`" +
                                              (names.empty() ? "" : "; it has: " + names));
  }
  if (read_only && e->kind == vm::ExportKind::Action)
    return failure(ExecOutcome::NotAView, "`" + method + "` is an action; it cannot run as a view");

  std::optional<Txn> child;
  Txn* frame = &txn;
  if (!read_only) {
    Timed lmdb(profile ? &profile->txn_ns : nullptr);
    auto nested = txn.child();
    if (!nested.ok()) {
      scope.store_error = nested.error();
      return store_failure_receipt(nested.error());
    }
    child.emplace(std::move(nested).value());
    frame = &*child;
  }
  scope.stack.push_back(contract);
  ContractHost host(*this, scope, *frame, caller, contract, read_only, module);
  vm::Machine& machine = machine_for(scope.stack.size() - 1, config_);
  vm::ExecResult x;
  {
    Timed timed(profile && scope.stack.size() == 1 ? &profile->machine_ns : nullptr);
    x = machine.run(program, e->function, args, gas, &host);
  }
  scope.stack.pop_back();
  // A frame that met a store failure (its own or a nested call's) ends the transaction,
  // whatever the program made of it.
  if (scope.store_error) return store_failure_receipt(*scope.store_error);

  Receipt r;
  r.status = x.status == vm::Status::SyscallFailed && host.failed_call ? *host.failed_call
                                                                       : outcome_of(x.status);
  r.gas_used = x.gas_used;
  r.message = x.message;
  r.line = x.source_line;
  r.column = x.source_column;
  if (!x.ok()) return r;  // the child transaction aborts when it goes out of scope
  r.return_data = x.return_data;
  r.events = std::move(host.events);
  if (child) {
    Timed lmdb(profile ? &profile->txn_ns : nullptr);
    if (auto e2 = child->commit()) {
      scope.store_error = *e2;
      return store_failure_receipt(*e2);
    }
  }
  if (changes) changes->insert(host.changes.begin(), host.changes.end());
  return r;
}

Receipt Executor::view(Txn& read, BlockInfo block, const Identity& caller, const Identity& contract,
                       const std::string& method, std::span<const uint8_t> args, uint64_t gas) {
  CallScope scope{nullptr, block, {}, {}, {}};
  return run(read, scope, caller, contract, method, args, gas, true, false, nullptr);
}

Result<std::unique_ptr<BlockRun>, store::LmdbError> Executor::begin_block(BlockInfo block) {
  auto txn = store_.begin_write();
  if (!txn.ok()) return fail(txn.error());
  return std::make_unique<BlockRun>(*this, std::move(txn).value(), block);
}

BlockRun::BlockRun(Executor& exec, Txn txn, BlockInfo block)
    : exec_(exec), txn_(std::move(txn)), block_(block) {}

namespace {

// Writes a call's events and their indexes into the block's transaction.
std::optional<store::LmdbError> persist_events(Executor& exec, Txn& txn, const BlockInfo& block,
                                               const Identity& tx_hash,
                                               const std::vector<EventRecord>& events) {
  for (const auto& ev : events) {
    std::optional<store::LmdbError> store_error;
    auto program = exec.program_of(txn, ev.contract, &store_error);
    // The contract emitted in this transaction: only a store that fails has no program for it.
    if (!program.ok())
      return store_error.value_or(store::LmdbError{MDB_CORRUPTED, program.error().message});
    const vm::Module& m = (*program)->module();
    const auto ids = abi::indexed_identities(m.abi.events.at(ev.index), m.abi, ev.data);
    store::StoredEvent stored{ev.contract, ev.name, block.height, block.time, tx_hash, ev.data};
    if (auto e = store::append_event(txn, exec.store().db(), stored, ids)) return e;
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
  Receipt r = exec_.run(txn_, scope, caller, contract, method, args, gas, false, false, &changes);
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

Receipt Executor::deploy(Txn& parent, CallScope& scope, const Identity& deployer,
                         const Identity& address, std::span<const uint8_t> module_bytes,
                         std::span<const uint8_t> init_args, uint64_t gas,
                         std::set<Bytes>& changes) {
  // Storing code costs gas by its size, as every byte that persists does, before anything runs
  // (the contract's entry, its code id and its leaf in the state tree count as one state entry).
  const uint64_t code_gas =
      stdlib::gas::state_gas(module_bytes.size() + stdlib::gas::kStateEntryBytes);
  if (gas < code_gas) {
    Receipt r = failure(ExecOutcome::OutOfGas, "storing " + std::to_string(module_bytes.size()) +
                                                   " bytes of code costs " +
                                                   std::to_string(code_gas) + " gas");
    r.gas_used = gas;
    return r;
  }
  auto module = vm::read_module(module_bytes);
  if (!module.ok())
    return failure(ExecOutcome::ModuleRejected, "module rejected: " + module.error().describe());
  auto program = vm::verify(std::move(module).value(), syscalls());
  if (!program.ok())
    return failure(ExecOutcome::ModuleRejected,
                   "module rejected by the verifier: " + program.error().describe());
  const bool has_init = program->module().find_export("init") != nullptr;
  if (!has_init && !init_args.empty())
    return failure(ExecOutcome::NoInit,
                   "the module has no `init`, but arguments were given for it");

  const Hash code_id = stdlib::sha256(module_bytes);
  const auto& db = store_.db();
  auto stored = [&](const store::LmdbError& e) {
    scope.store_error = e;
    return store_failure_receipt(e);
  };
  auto nested = parent.child();
  if (!nested.ok()) return stored(nested.error());
  Txn child = std::move(nested).value();
  auto existing = child.get(db.contracts, address);
  if (!existing.ok()) return stored(existing.error());
  if (*existing)
    return failure(ExecOutcome::ContractExists, "a contract already exists at " + to_hex(address));
  if (auto e = child.put(db.code, code_id, module_bytes)) return stored(*e);
  if (auto e = child.put(db.contracts, address, code_id)) return stored(*e);

  Receipt r;
  r.gas_used = code_gas;
  std::set<Bytes> init_changes{tagged('c', address)};
  if (has_init) {
    Receipt init = run(child, scope, deployer, address, "init", init_args, gas - code_gas, false,
                       true, &init_changes);
    init.gas_used += code_gas;
    if (!init.ok()) return init;
    r = std::move(init);
  }
  if (auto e = child.commit()) return stored(*e);
  changes.insert(init_changes.begin(), init_changes.end());
  r.contract = address;
  return r;
}

void BlockRun::changed_meta(std::string_view name) {
  changed_.insert(tagged('m', View(reinterpret_cast<const uint8_t*>(name.data()), name.size())));
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
    const View rest(key.data() + 1, key.size() - 1);
    auto value = txn_.get(key[0] == 's' ? db.state : key[0] == 'c' ? db.contracts : db.meta, rest);
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
