// How a call ended, as its receipt says: a trap of the program (the VM's statuses, with
// their values: vm/status.hpp), or one of the executor's own reasons for not running a call
// or not keeping what it did. Receipts store the value (docs/storage.md, `receipts`) and
// show the name (docs/api.md, "Receipt statuses").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vm/status.hpp"

namespace assent::node {

// The executor's outcomes: code, value (from 64, apart from the VM's; never reused), name,
// and what it means.
#define ASSENT_EXEC_OUTCOMES(X)                                                                  \
  X(NoContract, 64, "no-contract", "no contract is deployed at the address")                     \
  X(BadStoredCode, 65, "bad-stored-code",                                                        \
    "the contract's stored code is missing, or no longer decodes or verifies")                   \
  X(NoMethod, 66, "no-method", "the contract exports no such method (or it is `init`)")          \
  X(NotAView, 67, "not-a-view", "the method is an action, and a view may not change state")      \
  X(CallDepthLimit, 68, "call-depth-limit",                                                      \
    "contract-to-contract calls nested deeper than the executor allows")                         \
  X(ViewCallsAction, 69, "view-calls-action", "a view, or a call made as one, called an action") \
  X(ReentrantCall, 70, "reentrant-call",                                                         \
    "an action called a contract already running in the transaction")                            \
  X(ModuleRejected, 71, "module-rejected", "the deployed module does not decode or verify")      \
  X(NoInit, 72, "no-init", "arguments were given for an `init` the module does not have")        \
  X(ContractExists, 73, "contract-exists", "a contract is already deployed at the address")      \
  X(DeployRefused, 74, "deploy-refused",                                                         \
    "under `assent test`: a deploy by anything but the test, or of a contract it lacks")         \
  X(StoreFailed, 75, "store-failed",                                                             \
    "the node's store failed under the call: in a block, the block stops, and no receipt "       \
    "records this")                                                                              \
  X(NotPermitted, 76, "not-permitted",                                                           \
    "the chain's consortium does not let the sender do this (deploy, or govern)")                 \
  X(GovernanceRefused, 77, "governance-refused",                                                 \
    "a governance change that cannot apply to the consortium as it is (the message says why)")

enum class ExecOutcome : uint8_t {
#define ASSENT_OUTCOME_VM(code, value, name) code = value,
  ASSENT_VM_STATUSES(ASSENT_OUTCOME_VM)
#undef ASSENT_OUTCOME_VM
#define ASSENT_OUTCOME_EXEC(code, value, name, meaning) code = value,
      ASSENT_EXEC_OUTCOMES(ASSENT_OUTCOME_EXEC)
#undef ASSENT_OUTCOME_EXEC
};

// The outcome of a VM run that ended with `status`.
constexpr ExecOutcome outcome_of(vm::Status status) {
  return static_cast<ExecOutcome>(status);
}
// Whether the outcome is a trap of the program (a VM status), not one of the executor's.
constexpr bool is_vm_status(ExecOutcome outcome) {
  return static_cast<uint8_t>(outcome) < 64;
}
// What a contract that made a call sees of its callee's outcome: the VM's own status, and
// for the executor's reasons SyscallFailed (its call syscall failed).
vm::Status vm_status_of(ExecOutcome outcome);

std::string_view to_string(ExecOutcome outcome);
// What the outcome means (the table's last column; the VM's statuses: their names).
std::string_view meaning_of(ExecOutcome outcome);
// The outcome stored as `value`, if one is (a receipt decoder refuses any other byte).
[[nodiscard]] std::optional<ExecOutcome> outcome_from_value(uint8_t value);

// Every outcome, VM statuses first, in the order of the tables (docs and tests list them).
struct OutcomeRow {
  ExecOutcome code;
  std::string_view name;
  std::string_view meaning;  // empty for the VM's (docs/vm.md describes them)
};
std::span<const OutcomeRow> outcome_rows();

}  // namespace assent::node
