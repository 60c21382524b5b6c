// How a run of a program ended. Returned as a value with the pc and a message; no trap ever
// leaves the VM as an exception or a signal.
#pragma once

#include <cstdint>
#include <string_view>

namespace assent::vm {

enum class Status : uint8_t {
  Ok,                 // the entry function returned; r0 holds its result
  OutOfGas,           // the next basic block or syscall costs more gas than is left
  MemoryFault,        // a load or store outside the mapped regions, or a store to read-only data
  CallDepthExceeded,  // a local call beyond the machine's call depth
  Aborted,            // the program called `vm.abort`: the message is the program's own
  SyscallFailed,      // a syscall refused its arguments (bad pointer, bad length, ...)
};

std::string_view to_string(Status status);

}  // namespace assent::vm
