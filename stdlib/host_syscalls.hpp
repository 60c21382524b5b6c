// The host functions contracts call: storage, events, context, crypto, u256 arithmetic and
// cross-contract calls (docs/syscalls.md lists each with its gas). Registered by name into
// a SyscallRegistry from the rows of syscall_table.hpp; each expects SyscallContext::host to
// be a stdlib::Host.
#pragma once

#include "vm/syscalls.hpp"

namespace assent::stdlib {

// Registers the core syscalls of the VM and every host function.
void register_host_syscalls(vm::SyscallRegistry& registry);

// The registry of a node: the core syscalls and the host functions, built once.
const vm::SyscallRegistry& node_syscalls();

}  // namespace assent::stdlib
