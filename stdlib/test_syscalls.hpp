// The syscalls of test files (`test.*`): set the caller, move time and blocks, expect a
// revert or an event, name accounts, deploy contracts. Only `assent test` registers them,
// so a node's verifier refuses any module that uses them.
#pragma once

#include <string_view>

#include "stdlib/host.hpp"
#include "vm/syscalls.hpp"

namespace assent::stdlib {

void register_test_syscalls(vm::SyscallRegistry& registry);

// The registry of `assent test`: the node's syscalls and the test ones, built once.
const vm::SyscallRegistry& test_syscalls();

// The identity a test calls `name`: its bytes, zero-padded to 32.
Identity test_account(std::string_view name);

}  // namespace assent::stdlib
