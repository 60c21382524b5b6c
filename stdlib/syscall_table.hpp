// The one table of every syscall a contract or a test file can call: the VM's core rows
// (vm/syscalls.hpp), the host's and the test built-ins'. The host registers its rows from
// here (host_syscalls.cpp, test_syscalls.cpp), the compiler names the syscalls it calls by
// their `Syscall` enumerator and takes their arity from here, and a test checks that
// docs/syscalls.md lists exactly these rows at these base costs (tests/stdlib/syscalls_test.cpp).
// Header-only, so that the compiler reads it without linking the host (OpenSSL, Boost).
//
// Columns: X(Id, name, base gas, handler, summary)
//   Id        the enumerator of `Syscall`
//   name      what a module imports, `family.short_name`
//   base gas  charged before the syscall runs: a price of the gas schedule (gas_schedule.hpp),
//             whose comments say why; test syscalls never run on a chain and cost little
//   handler   the function that implements it, in the file that registers the row
//   summary   `short_name(arguments)`, then what it returns or does. Its argument list is the
//             signature: every argument and the result are 64-bit, so the arity is all there
//             is, and it is counted from here (a row whose summary does not start with its
//             short name fails to compile)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stdlib/gas_schedule.hpp"
#include "vm/syscalls.hpp"

// clang-format off
#define ASSENT_HOST_SYSCALLS(X)                                                                    \
  X(StorageGet,     "storage.get",     ::assent::stdlib::gas::kStorageRead,  storage_get,          \
    "get(key, key_len, out, capacity) -> value length, or 2^64-1 when absent")                     \
  X(StorageHas,     "storage.has",     ::assent::stdlib::gas::kStorageRead,  storage_has,          \
    "has(key, key_len) -> 1 or 0")                                                                 \
  X(StorageSet,     "storage.set",     ::assent::stdlib::gas::kStorageWrite, storage_set,          \
    "set(key, key_len, value, value_len)")                                                         \
  X(StorageRemove,  "storage.remove",  ::assent::stdlib::gas::kStorageWrite, storage_remove,       \
    "remove(key, key_len) -> 1 if it existed")                                                     \
  X(StorageNext,    "storage.next",    ::assent::stdlib::gas::kStorageRead,  storage_next,         \
    "next(prefix, prefix_len, after, after_len, out) -> key length or 2^64-1")                     \
  X(EventEmit,      "event.emit",      ::assent::stdlib::gas::kEventEmit,    event_emit,           \
    "emit(event_index, data, data_len)")                                                           \
  X(CtxCaller,      "ctx.caller",      ::assent::stdlib::gas::kContext,      ctx_caller,           \
    "caller(out): the identity that called")                                                       \
  X(CtxSelf,        "ctx.self",        ::assent::stdlib::gas::kContext,      ctx_self,             \
    "self(out): this contract's address")                                                          \
  X(CtxNow,         "ctx.now",         ::assent::stdlib::gas::kContext,      ctx_now,              \
    "now() -> block time in seconds")                                                              \
  X(CtxBlockHeight, "ctx.block_height", ::assent::stdlib::gas::kContext,     ctx_block_height,     \
    "block_height() -> height")                                                                    \
  X(CtxTxHash,      "ctx.tx_hash",     ::assent::stdlib::gas::kContext,      ctx_tx_hash,          \
    "tx_hash(out): the transaction's hash")                                                        \
  X(CryptoSha256,   "crypto.sha256",   ::assent::stdlib::gas::kSha256,       crypto_sha256,        \
    "sha256(data, len, out)")                                                                      \
  X(CryptoEd25519Verify, "crypto.ed25519_verify", ::assent::stdlib::gas::kEd25519Verify,           \
    crypto_ed25519_verify, "ed25519_verify(key, msg, msg_len, sig) -> 1 or 0")                     \
  X(U256Add,        "u256.add",        ::assent::stdlib::gas::kU256AddSub,   u256_arith<U256Op::Add>, \
    "add(a, b, out) -> 0, or 1 on overflow")                                                       \
  X(U256Sub,        "u256.sub",        ::assent::stdlib::gas::kU256AddSub,   u256_arith<U256Op::Sub>, \
    "sub(a, b, out) -> 0, or 1 on overflow")                                                       \
  X(U256Mul,        "u256.mul",        ::assent::stdlib::gas::kU256Mul,      u256_arith<U256Op::Mul>, \
    "mul(a, b, out) -> 0, or 1 on overflow")                                                       \
  X(U256Div,        "u256.div",        ::assent::stdlib::gas::kU256DivMod,   u256_arith<U256Op::Div>, \
    "div(a, b, out) -> 0, or 2 when b is 0")                                                       \
  X(U256Mod,        "u256.mod",        ::assent::stdlib::gas::kU256DivMod,   u256_arith<U256Op::Mod>, \
    "mod(a, b, out) -> 0, or 2 when b is 0")                                                       \
  X(U256Cmp,        "u256.cmp",        ::assent::stdlib::gas::kU256Cmp,      u256_cmp,             \
    "cmp(a, b) -> -1, 0 or 1")                                                                     \
  X(CallView,       "call.view",       ::assent::stdlib::gas::kCallView,     call_contract<true>,  \
    "view(contract, method, method_len, args, args_len) -> result length")                        \
  X(CallAction,     "call.action",     ::assent::stdlib::gas::kCallAction,   call_contract<false>, \
    "action(contract, method, method_len, args, args_len) -> result length")                      \
  X(CallResult,     "call.result",     ::assent::stdlib::gas::kCallResult,   call_result,          \
    "result(out, capacity) -> length of the last call's result")

// Only `assent test` registers these (test_syscalls.cpp), so a node refuses a module that
// imports one.
#define ASSENT_TEST_SYSCALLS(X)                                                                    \
  X(TestSetCaller,     "test.set_caller",     5,    set_caller,                                    \
    "set_caller(who): later calls come from `who`")                                                \
  X(TestAdvanceTime,   "test.advance_time",   5,    advance_time,   "advance_time(seconds)")       \
  X(TestAdvanceBlocks, "test.advance_blocks", 5,    advance_blocks, "advance_blocks(n)")           \
  X(TestAt,            "test.at",             0,    at,                                            \
    "at(line << 32 | column): where the test is")                                                  \
  X(TestExpectRevert,  "test.expect_revert",  5,    expect_revert,                                 \
    "expect_revert(message, len): the next call must fail with it")                                \
  X(TestExpectEvent,   "test.expect_event",   5,    expect_event,                                  \
    "expect_event(name, len): the last call emitted it")                                           \
  X(TestAccount,       "test.account",        5,    account,                                       \
    "account(name, len, out): a named identity")                                                   \
  X(TestDeploy,        "test.deploy",         1000, deploy,                                        \
    "deploy(module, module_len, args, args_len, out): a contract of the test")
// clang-format on

namespace assent::stdlib {

enum class Syscall : uint8_t {
#define ASSENT_SYSCALL_ID(id, name, gas, handler, summary) id,
  ASSENT_CORE_SYSCALLS(ASSENT_SYSCALL_ID)  //
  ASSENT_HOST_SYSCALLS(ASSENT_SYSCALL_ID)  //
  ASSENT_TEST_SYSCALLS(ASSENT_SYSCALL_ID)
#undef ASSENT_SYSCALL_ID
};

// Who provides a syscall: every VM, a node's host, or `assent test` alone.
enum class SyscallSet : uint8_t { Core, Host, Test };

struct SyscallInfo {
  std::string_view name;
  uint64_t gas;
  std::string_view summary;
  SyscallSet set;

  // The short name the summary begins with: the name after its family's '.'.
  constexpr std::string_view short_name() const { return name.substr(name.find('.') + 1); }
  // The arguments the summary's signature lists (r1..r5).
  constexpr std::size_t arity() const {
    const auto open = summary.find('('), close = summary.find(')');
    if (close == open + 1) return 0;
    std::size_t n = 1;
    for (auto i = open; i < close; ++i)
      n += summary[i] == ',' ? 1 : 0;
    return n;
  }
};

inline constexpr SyscallInfo kSyscalls[] = {
#define ASSENT_SYSCALL_CORE(id, name, gas, handler, summary) {name, gas, summary, SyscallSet::Core},
#define ASSENT_SYSCALL_HOST(id, name, gas, handler, summary) {name, gas, summary, SyscallSet::Host},
#define ASSENT_SYSCALL_TEST(id, name, gas, handler, summary) {name, gas, summary, SyscallSet::Test},
    ASSENT_CORE_SYSCALLS(ASSENT_SYSCALL_CORE)  //
    ASSENT_HOST_SYSCALLS(ASSENT_SYSCALL_HOST)  //
    ASSENT_TEST_SYSCALLS(ASSENT_SYSCALL_TEST)
#undef ASSENT_SYSCALL_CORE
#undef ASSENT_SYSCALL_HOST
#undef ASSENT_SYSCALL_TEST
};

constexpr const SyscallInfo& info(Syscall s) {
  return kSyscalls[static_cast<std::size_t>(s)];
}
constexpr std::string_view syscall_name(Syscall s) {
  return info(s).name;
}

// Every summary starts with its signature, `short_name(...)`, and at most five arguments
// (r1-r5) fit it.
static_assert([] {
  for (const auto& row : kSyscalls) {
    const std::string_view shortname = row.short_name();
    if (row.summary.substr(0, shortname.size()) != shortname) return false;
    if (row.summary.substr(shortname.size(), 1) != "(") return false;
    if (row.summary.find(')') == std::string_view::npos || row.arity() > 5) return false;
  }
  return true;
}());

}  // namespace assent::stdlib
