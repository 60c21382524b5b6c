// How a run of a program ended. Returned as a value with the pc and a message; no trap ever
// leaves the VM as an exception or a signal.
#pragma once

#include <cstdint>
#include <string_view>

namespace assent::vm {

// One row per status: its code, its value (receipts store it: docs/storage.md, `receipts`;
// a value is never reused) and its name (messages and receipts show it).
#define ASSENT_VM_STATUSES(X)                                                    \
  /* the entry function returned; r0 holds its result */                         \
  X(Ok, 0, "ok")                                                                 \
  /* the next basic block or syscall costs more gas than is left */              \
  X(OutOfGas, 1, "out-of-gas")                                                   \
  /* a load or store outside the mapped regions, or a store to read-only data */ \
  X(MemoryFault, 2, "memory-fault")                                              \
  /* a local call beyond the machine's call depth */                             \
  X(CallDepthExceeded, 3, "call-depth-exceeded")                                 \
  /* the program called `vm.abort`: the message is the program's own */          \
  X(Aborted, 4, "aborted")                                                       \
  /* a syscall refused its arguments (bad pointer, bad length, ...) */           \
  X(SyscallFailed, 5, "syscall-failed")                                          \
  /* the run was asked to start at a function the program does not have */       \
  X(BadFunction, 6, "bad-function")

enum class Status : uint8_t {
#define ASSENT_VM_STATUS_CODE(code, value, name) code = value,
  ASSENT_VM_STATUSES(ASSENT_VM_STATUS_CODE)
#undef ASSENT_VM_STATUS_CODE
};

std::string_view to_string(Status status);

}  // namespace assent::vm
