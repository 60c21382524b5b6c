// The host of one contract call frame on a node: stdlib::Host over the frame's transaction.
// Storage keys are the contract's address and its own key; writes and events are refused in
// a view; a store failure traps the syscall and is recorded in the scope (it ends the
// transaction); calls the program makes are refused past the call depth, as actions from a
// view, and into a contract already on the stack (no re-entrancy).
//
// Under `assent test` every frame's host is a TestContractHost (test_hooks.hpp), which adds
// the test built-ins; nothing here knows of them.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "node/executor/frame.hpp"
#include "stdlib/host.hpp"

namespace assent::node {

class ContractHost : public stdlib::Host {
 public:
  ContractHost(Executor& exec, CallScope& scope, store::Txn& txn, const Identity& caller,
               const Identity& self, bool read_only, const vm::Module& module)
      : exec_(exec),
        scope_(scope),
        txn_(txn),
        caller_(caller),
        self_(self),
        read_only_(read_only),
        module_(module) {}

  Result<std::optional<Bytes>, std::string> get(std::span<const uint8_t> key) override;
  Result<bool, std::string> has(std::span<const uint8_t> key) override;
  Result<std::optional<Bytes>, std::string> next_key(std::span<const uint8_t> prefix,
                                                     std::span<const uint8_t> after) override;
  std::optional<std::string> set(std::span<const uint8_t> key,
                                 std::span<const uint8_t> value) override;
  std::optional<std::string> remove(std::span<const uint8_t> key, bool& existed) override;
  std::optional<std::string> emit(uint32_t index, std::span<const uint8_t> data) override;

  const Identity& caller() const override { return caller_; }
  const Identity& self() const override { return self_; }
  uint64_t now() const override { return scope_.info.time; }
  uint64_t block_height() const override { return scope_.info.height; }
  const Identity& tx_hash() const override { return scope_.tx_hash; }

  stdlib::CallOutcome call(const Identity& contract, std::string_view method,
                           std::span<const uint8_t> args, bool view, uint64_t gas) override;

  // What the frame changed (tagged state-tree keys) and emitted, its callees' included.
  std::set<Bytes> changes;
  std::vector<EventRecord> events;
  // The executor's reason the last call (or deploy) the program made failed, when it failed
  // for one: the program traps at that call (its syscall fails), and the frame's receipt
  // says why.
  std::optional<ExecOutcome> failed_call;

 protected:
  // Runs a call the program made, as `as`: the refusals first, then the callee, whose
  // changes and events join this frame's when it succeeds.
  [[nodiscard]] Receipt call_contract(const Identity& as, const Identity& contract,
                                      std::string_view method, std::span<const uint8_t> args,
                                      bool view, uint64_t gas);
  // What the program sees of a call's receipt (and `failed_call` remembers).
  stdlib::CallOutcome outcome(Receipt r);
  // Keeps the changes and events of a callee that succeeded.
  void join(const Receipt& r, const std::set<Bytes>& callee_changes);
  uint64_t* host_counter() const { return exec_.profile ? &exec_.profile->host_ns : nullptr; }
  // Records the scope's store failure (the first one counts) and says what the syscall fails
  // with: the transaction ends with it, whatever the contract does next.
  std::string store_failed(const store::LmdbError& e);

  Executor& exec_;
  CallScope& scope_;
  store::Txn& txn_;
  const Identity& caller_;
  const Identity& self_;
  bool read_only_;
  const vm::Module& module_;
};

}  // namespace assent::node
