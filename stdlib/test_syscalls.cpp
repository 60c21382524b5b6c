#include "stdlib/test_syscalls.hpp"

#include <algorithm>
#include <cstring>

#include "stdlib/host_syscalls.hpp"
#include "stdlib/syscall_helpers.hpp"

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
  const char* name = "test.set_caller";
  TEST_HOST(t);
  GUEST_READ(who, a[0], 32, "the identity");
  Identity id;
  std::memcpy(id.data(), who.span.data(), 32);
  t.set_caller(id);
  return Status::Ok;
}

Status advance_time(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.advance_time";
  TEST_HOST(t);
  t.advance_time(a[0]);
  return Status::Ok;
}

Status at(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.at";
  TEST_HOST(t);
  t.at(a[0]);
  return Status::Ok;
}

Status advance_blocks(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.advance_blocks";
  TEST_HOST(t);
  t.advance_blocks(a[0]);
  return Status::Ok;
}

Status expect_revert(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.expect_revert";
  TEST_HOST(t);
  LIMIT(a[1], kMaxEventBytes, "the message");
  GUEST_READ(message, a[0], a[1], "the message");
  t.expect_revert(std::string(message.span.begin(), message.span.end()));
  return Status::Ok;
}

Status expect_event(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.expect_event";
  TEST_HOST(t);
  LIMIT(a[1], 256, "the event name");
  GUEST_READ(event, a[0], a[1], "the event name");
  const std::string event_name(event.span.begin(), event.span.end());
  if (auto error = t.expect_event(event_name)) return ctx.fail(Status::Aborted, *error);
  return Status::Ok;
}

Status account(SyscallContext& ctx, SyscallArgs a, uint64_t&) {
  const char* name = "test.account";
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
  const char* name = "test.deploy";
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
  reg.add({"test.set_caller", 5, set_caller, "set_caller(who): later calls come from `who`"});
  reg.add({"test.advance_time", 5, advance_time, "advance_time(seconds)"});
  reg.add({"test.advance_blocks", 5, advance_blocks, "advance_blocks(n)"});
  reg.add({"test.at", 0, at, "at(line << 32 | column): where the test is"});
  reg.add({"test.expect_revert", 5, expect_revert,
           "expect_revert(message, len): the next call must fail with it"});
  reg.add(
      {"test.expect_event", 5, expect_event, "expect_event(name, len): the last call emitted it"});
  reg.add({"test.account", 5, account, "account(name, len, out): a named identity"});
  reg.add({"test.deploy", 1000, deploy,
           "deploy(module, module_len, args, args_len, out): a contract of the test"});
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
