#include "stdlib/test_syscalls.hpp"

#include <algorithm>
#include <cstring>

#include "stdlib/host_syscalls.hpp"
#include "stdlib/syscall_helpers.hpp"
#include "stdlib/syscall_table.hpp"

namespace assent::stdlib {

namespace {

using vm::Status;
using vm::SyscallArgs;
using vm::SyscallContext;

// The test hooks of the host, or a failed syscall outside `assent test`.
#define TEST_HOST(var)                                                                    \
  HOST(var##_host);                                                                       \
  TestHost* var##_ptr = var##_host.test();                                                \
  if (var##_ptr == nullptr)                                                               \
    return ctx.fail(Status::SyscallFailed,                                                \
                    std::string(name) + ": test built-ins only run under `assent test`"); \
  TestHost& var = *var##_ptr

Status set_caller(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestSetCaller);
  TEST_HOST(t);
  GUEST_READ(who, a[0], 32, "the identity");
  Identity id;
  std::memcpy(id.data(), who.span.data(), 32);
  t.set_caller(id);
  return Status::Ok;
}

Status advance_time(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestAdvanceTime);
  TEST_HOST(t);
  t.advance_time(a[0]);
  return Status::Ok;
}

Status at(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestAt);
  TEST_HOST(t);
  t.at(a[0]);
  return Status::Ok;
}

Status advance_blocks(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestAdvanceBlocks);
  TEST_HOST(t);
  t.advance_blocks(a[0]);
  return Status::Ok;
}

Status expect_revert(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestExpectRevert);
  TEST_HOST(t);
  LIMIT(a[1], kMaxEventBytes, "the message");
  GUEST_READ(message, a[0], a[1], "the message");
  t.expect_revert(std::string(message.span.begin(), message.span.end()));
  return Status::Ok;
}

Status expect_event(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestExpectEvent);
  TEST_HOST(t);
  LIMIT(a[1], 256, "the event name");
  GUEST_READ(event, a[0], a[1], "the event name");
  const std::string event_name(event.span.begin(), event.span.end());
  if (auto error = t.expect_event(event_name)) return ctx.fail(Status::Aborted, *error);
  return Status::Ok;
}

Status account(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestAccount);
  LIMIT(a[1], 32, "the account name");
  GUEST_READ(text, a[0], a[1], "the account name");
  GUEST_WRITE(out, a[2], 32, "the identity");
  const Identity id =
      test_account(std::string_view(reinterpret_cast<const char*>(text.span.data()), a[1]));
  std::memcpy(out.span.data(), id.data(), 32);
  return Status::Ok;
}

// deploy(module, module_len, args, args_len, out): the new contract's address into out.
Status deploy(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  constexpr std::string_view name = syscall_name(Syscall::TestDeploy);
  TEST_HOST(t);
  LIMIT(a[1], 256, "the module name");
  LIMIT(a[3], kMaxValueBytes, "the init arguments");
  GUEST_READ(module, a[0], a[1], "the module name");
  GUEST_READ(args, a[2], a[3], "the init arguments");
  GUEST_WRITE(out, a[4], 32, "the address");
  Identity address{};
  const std::string_view module_name(reinterpret_cast<const char*>(module.span.data()), a[1]);
  CallOutcome o = t.deploy(module_name, args.span, ctx.gas_left, address);
  if (!ctx.charge(std::min(o.gas_used, ctx.gas_left))) return Status::OutOfGas;
  if (o.status != Status::Ok) {
    if (o.status == Status::OutOfGas) return Status::OutOfGas;
    return ctx.fail(o.status == Status::Aborted ? Status::Aborted : Status::SyscallFailed,
                    o.message);
  }
  std::memcpy(out.span.data(), address.data(), 32);
  return Status::Ok;
}

}  // namespace

Identity test_account(std::string_view name) {
  Identity id{};
  std::memcpy(id.data(), name.data(), std::min<std::size_t>(name.size(), 32));
  return id;
}

void register_test_syscalls(vm::SyscallRegistry& reg) {
#define ASSENT_TEST_ADD(id, name, gas, handler, summary) reg.add({name, gas, handler, summary});
  ASSENT_TEST_SYSCALLS(ASSENT_TEST_ADD)
#undef ASSENT_TEST_ADD
}

const vm::SyscallRegistry& test_syscalls() {
  static const vm::SyscallRegistry registry = [] {
    vm::SyscallRegistry r;
    register_host_syscalls(r);
    register_test_syscalls(r);
    return r;
  }();
  return registry;
}

}  // namespace assent::stdlib
