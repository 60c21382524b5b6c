// Internal to the syscalls of this folder: reaching the host and guest memory, with the
// failure messages every syscall gives. Each expects `ctx` (a vm::SyscallContext) and
// `name` (the syscall's name) in scope.
#pragma once

#include <string>

#include "stdlib/host.hpp"
#include "vm/syscalls.hpp"

// The host of the call, or a failed syscall when the program runs without one (as under
// `assent run`, which has no contract state).
#define HOST(var)                                                                                  \
  Host* var##_ptr = ctx.host<Host>();                                                              \
  if (var##_ptr == nullptr)                                                                        \
    return ctx.fail(                                                                               \
        vm::Status::SyscallFailed,                                                                 \
        std::string(name) + ": no contract context here; run it on a node or with `assent test`"); \
  Host& var = *var##_ptr

// Reads a guest range the syscall needs, or fails the syscall naming it.
#define GUEST_READ(var, ptr, len, what)      \
  auto var = ctx.read((ptr), (len));         \
  if (!var.ok)                               \
  return ctx.fail(vm::Status::SyscallFailed, \
                  std::string(name) + ": " what " is not readable memory")
#define GUEST_WRITE(var, ptr, len, what)     \
  auto var = ctx.write((ptr), (len));        \
  if (!var.ok)                               \
  return ctx.fail(vm::Status::SyscallFailed, \
                  std::string(name) + ": " what " is not writable memory")
#define LIMIT(value, limit, what)                                                            \
  if ((value) > (limit))                                                                     \
  return ctx.fail(vm::Status::SyscallFailed, std::string(name) + ": " what " of " +          \
                                                 std::to_string(value) + " bytes exceeds " + \
                                                 std::to_string(limit))
#define CHARGE(bytes) \
  if (!ctx.charge_bytes(bytes)) return vm::Status::OutOfGas
// Charges `amount` gas (a price from gas_schedule.hpp times what it is for).
#define CHARGE_GAS(amount) \
  if (!ctx.charge(amount)) return vm::Status::OutOfGas
// Gas for hashing `bytes`: kHashWordPrice per started 32-byte word.
#define CHARGE_HASHED(bytes) CHARGE_GAS(gas::kHashWordPrice*(((bytes) + 31) / 32))
