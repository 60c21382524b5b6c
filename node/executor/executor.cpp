// GCC 12 reports comparisons of std::set<Bytes>'s keys (vector<uint8_t>'s <=>) inside
// libstdc++'s out-of-line code, which only a pragma ahead of every include reaches
// (vm/gcc_false_positives.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include "node/executor/executor.hpp"

#include <atomic>
#include <cstring>

#include "node/executor/contract_host.hpp"
#include "node/executor/frame.hpp"
#include "node/executor/test_hooks.hpp"
#include "stdlib/crypto.hpp"
#include "stdlib/gas_schedule.hpp"
#include "stdlib/host_syscalls.hpp"
#include "vm/gcc_false_positives.hpp"
#include "vm/hex.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

using store::Txn;

std::string Receipt::describe() const {
  if (ok()) return "ok";
  std::string out = std::string(to_string(status)) + ": " + message;
  if (line != 0) out += " (line " + std::to_string(line) + ":" + std::to_string(column) + ")";
  return out;
}

namespace {

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
  return store::leaf_key(store::StateTag::State, contract, key);
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
  if (!*code_id)
    return fail(ExecError{ExecOutcome::NoContract, "no contract at " + to_hex(contract)});
  if ((*code_id)->size() != 32)
    return fail(ExecError{ExecOutcome::BadStoredCode,
                          "the contract " + to_hex(contract) + "'s code id is " +
                              std::to_string((*code_id)->size()) + " bytes, not 32"});
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

Receipt Executor::run(CallScope& scope, const FrameCall& call) {
  const auto& [txn, caller, contract, method, args, gas, read_only, allow_init, changes] = call;
  auto found = program_of(txn, contract, &scope.store_error);
  if (!found.ok()) return failure(found.error().code, found.error().message);
  const vm::VerifiedProgram& program = **found;
  const vm::Module& module = program.module();
  const vm::Export* e = module.find_export(method);
  if (e == nullptr || (e->kind == vm::ExportKind::Init && !allow_init)) {
    std::string names;
    for (const auto& x : module.exports)
      if (x.kind != vm::ExportKind::Init) names += (names.empty() ? "" : ", ") + x.name;
    return failure(ExecOutcome::NoMethod, "the contract has no method `" + std::string(method) +
                                              "`" + (names.empty() ? "" : "; it has: " + names));
  }
  if (read_only && e->kind == vm::ExportKind::Action)
    return failure(ExecOutcome::NotAView,
                   '`' + std::string(method) + "` is an action; it cannot run as a view");

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
  // Only under `assent test` does a frame carry the test built-ins.
  std::optional<ContractHost> node_host;
  std::optional<TestContractHost> test_host;
  ContractHost& host =
      test ? static_cast<ContractHost&>(test_host.emplace(*this, *test, scope, *frame, caller,
                                                          contract, read_only, module))
           : node_host.emplace(*this, scope, *frame, caller, contract, read_only, module);
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
  return run(scope, {.txn = read,
                     .caller = caller,
                     .contract = contract,
                     .method = method,
                     .args = args,
                     .gas = gas,
                     .read_only = true});
}

Result<std::unique_ptr<BlockRun>, store::LmdbError> Executor::begin_block(BlockInfo block) {
  auto txn = store_.begin_write();
  if (!txn.ok()) return fail(txn.error());
  return std::make_unique<BlockRun>(*this, std::move(txn).value(), block);
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
  std::set<Bytes> init_changes{store::tagged_key(store::StateTag::Contract, address)};
  if (has_init) {
    Receipt init = run(scope, {.txn = child,
                               .caller = deployer,
                               .contract = address,
                               .method = "init",
                               .args = init_args,
                               .gas = gas - code_gas,
                               .allow_init = true,
                               .changes = &init_changes});
    init.gas_used += code_gas;
    if (!init.ok()) return init;
    r = std::move(init);
  }
  if (auto e = child.commit()) return stored(*e);
  changes.insert(init_changes.begin(), init_changes.end());
  r.contract = address;
  return r;
}

}  // namespace assent::node
