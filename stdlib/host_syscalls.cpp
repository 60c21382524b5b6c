#include "stdlib/host_syscalls.hpp"

#include <openssl/evp.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <cstring>

#include "stdlib/crypto.hpp"
#include "stdlib/gas_schedule.hpp"
#include "stdlib/host.hpp"
#include "stdlib/syscall_helpers.hpp"
#include "stdlib/syscall_table.hpp"
#include "vm/gcc_false_positives.hpp"

namespace assent::stdlib {

namespace {

using vm::Status;
using vm::SyscallArgs;
using vm::SyscallContext;

constexpr uint64_t kAbsent = ~uint64_t{0};

// ---- storage

Status storage_get(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::StorageGet);
  HOST(h);
  LIMIT(a[1], kMaxKeyBytes, "key");
  GUEST_READ(key, a[0], a[1], "the key");
  CHARGE(a[1]);
  auto found = h.get(key.span);
  if (!found.ok()) return ctx.fail(Status::SyscallFailed, std::string(name) + ": " + found.error());
  const auto& value = *found;
  if (!value) {
    r = kAbsent;
    return Status::Ok;
  }
  const uint64_t n = std::min<uint64_t>(value->size(), a[3]);
  CHARGE(n);
  GUEST_WRITE(out, a[2], n, "the value buffer");
  if (n) std::memcpy(out.span.data(), value->data(), n);
  r = value->size();
  return Status::Ok;
}

Status storage_has(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::StorageHas);
  HOST(h);
  LIMIT(a[1], kMaxKeyBytes, "key");
  GUEST_READ(key, a[0], a[1], "the key");
  CHARGE(a[1]);
  auto found = h.has(key.span);
  if (!found.ok()) return ctx.fail(Status::SyscallFailed, std::string(name) + ": " + found.error());
  r = *found ? 1 : 0;
  return Status::Ok;
}

Status storage_set(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::StorageSet);
  HOST(h);
  LIMIT(a[1], kMaxKeyBytes, "key");
  LIMIT(a[3], kMaxValueBytes, "value");
  GUEST_READ(key, a[0], a[1], "the key");
  GUEST_READ(value, a[2], a[3], "the value");
  // Every node keeps what is written: each byte costs gas::kStateByteGas (the base cost covers
  // the entry's overhead, the state tree's path to it included).
  CHARGE_GAS(gas::kStateByteGas * (a[1] + a[3]));
  if (auto error = h.set(key.span, value.span)) return ctx.fail(Status::SyscallFailed, *error);
  r = 0;
  return Status::Ok;
}

Status storage_remove(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::StorageRemove);
  HOST(h);
  LIMIT(a[1], kMaxKeyBytes, "key");
  GUEST_READ(key, a[0], a[1], "the key");
  CHARGE(a[1]);
  bool existed = false;
  if (auto error = h.remove(key.span, existed)) return ctx.fail(Status::SyscallFailed, *error);
  r = existed ? 1 : 0;
  return Status::Ok;
}

// storage.next(prefix, prefix_len, after, after_len, out): the next key with the prefix
// after `after` (exclusive; after_len 0 starts at the prefix) into `out` (256 bytes);
// returns its length, or 2^64-1 when there is none. One key per call: iteration is bounded
// by gas.
Status storage_next(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::StorageNext);
  HOST(h);
  LIMIT(a[1], kMaxKeyBytes, "prefix");
  LIMIT(a[3], kMaxKeyBytes, "cursor");
  GUEST_READ(prefix, a[0], a[1], "the prefix");
  GUEST_READ(after, a[2], a[3], "the cursor");
  CHARGE(a[1] + a[3]);
  auto found = h.next_key(prefix.span, after.span);
  if (!found.ok()) return ctx.fail(Status::SyscallFailed, std::string(name) + ": " + found.error());
  const auto& key = *found;
  if (!key) {
    r = kAbsent;
    return Status::Ok;
  }
  CHARGE(key->size());
  GUEST_WRITE(out, a[4], key->size(), "the key buffer");
  std::memcpy(out.span.data(), key->data(), key->size());
  r = key->size();
  return Status::Ok;
}

// ---- events and context

Status event_emit(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::EventEmit);
  HOST(h);
  LIMIT(a[2], kMaxEventBytes, "event data");
  GUEST_READ(data, a[1], a[2], "the event data");
  // Kept in the event log and in the receipt; how many a transaction emits is the executor's to
  // bound (gas::kMaxEventsPerTransaction).
  CHARGE_GAS(gas::kEventBytePrice * a[2]);
  if (a[0] > UINT32_MAX)
    return ctx.fail(Status::SyscallFailed, "event.emit: no event #" + std::to_string(a[0]));
  if (auto error = h.emit(static_cast<uint32_t>(a[0]), data.span))
    return ctx.fail(Status::SyscallFailed, *error);
  r = 0;
  return Status::Ok;
}

Status write_identity(SyscallContext& ctx, std::string_view name, uint64_t ptr,
                      const Identity& id) {
  GUEST_WRITE(out, ptr, 32, "the output");
  std::memcpy(out.span.data(), id.data(), 32);
  return Status::Ok;
}

Status ctx_caller(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CtxCaller);
  HOST(h);
  r = 0;
  return write_identity(ctx, name, a[0], h.caller());
}
Status ctx_self(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CtxSelf);
  HOST(h);
  r = 0;
  return write_identity(ctx, name, a[0], h.self());
}
Status ctx_tx_hash(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CtxTxHash);
  HOST(h);
  r = 0;
  return write_identity(ctx, name, a[0], h.tx_hash());
}
Status ctx_now(SyscallContext& ctx, SyscallArgs, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CtxNow);
  HOST(h);
  r = h.now();
  return Status::Ok;
}
Status ctx_block_height(SyscallContext& ctx, SyscallArgs, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CtxBlockHeight);
  HOST(h);
  r = h.block_height();
  return Status::Ok;
}

// ---- crypto (OpenSSL 3)

Status crypto_sha256(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CryptoSha256);
  LIMIT(a[1], kMaxValueBytes, "input");
  GUEST_READ(data, a[0], a[1], "the input");
  GUEST_WRITE(out, a[2], 32, "the output");
  CHARGE_HASHED(a[1]);
  unsigned int len = 0;
  if (EVP_Digest(data.span.data(), data.span.size(), out.span.data(), &len, EVP_sha256(),
                 nullptr) != 1)
    return ctx.fail(Status::SyscallFailed, "crypto.sha256: OpenSSL failed");
  r = 0;
  return Status::Ok;
}

// crypto.ed25519_verify(key (32 bytes), message, message_len, signature (64 bytes)) -> 0/1
Status crypto_ed25519_verify(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CryptoEd25519Verify);
  LIMIT(a[2], kMaxValueBytes, "message");
  GUEST_READ(key, a[0], 32, "the public key");
  GUEST_READ(message, a[1], a[2], "the message");
  GUEST_READ(signature, a[3], 64, "the signature");
  CHARGE_HASHED(a[2]);
  r = ed25519_verify(key.span, message.span, signature.span) ? 1 : 0;
  return Status::Ok;
}

// ---- u256 (Boost.Multiprecision): values are 32 bytes, little-endian.

using boost::multiprecision::uint256_t;
using boost::multiprecision::uint512_t;

uint256_t load_u256(std::span<const uint8_t> bytes) {
  uint256_t v;
  boost::multiprecision::import_bits(v, bytes.begin(), bytes.end(), 8, false);
  return v;
}

void store_u256(const uint256_t& v, std::span<uint8_t> out) {
  std::memset(out.data(), 0, 32);
  std::vector<uint8_t> bytes;
  boost::multiprecision::export_bits(v, std::back_inserter(bytes), 8, false);
  std::memcpy(out.data(), bytes.data(), std::min<std::size_t>(bytes.size(), 32));
}

enum class U256Op { Add, Sub, Mul, Div, Mod };

// Returns 0 with the result written, 1 on overflow, 2 on division by zero. (Widening to
// uint512_t: vm/gcc_false_positives.hpp.)
ASSENT_GCC_FALSE_POSITIVE("-Warray-bounds")
ASSENT_GCC_FALSE_POSITIVE("-Wstringop-overread")
template <U256Op op>
Status u256_arith(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  const char* name = "u256";  // one handler for five rows: its messages name the family
  GUEST_READ(x, a[0], 32, "the first operand");
  GUEST_READ(y, a[1], 32, "the second operand");
  GUEST_WRITE(out, a[2], 32, "the result");
  const uint256_t lhs = load_u256(x.span), rhs = load_u256(y.span);
  const uint512_t wide_l = lhs, wide_r = rhs;
  uint512_t result = 0;
  r = 0;
  switch (op) {
    case U256Op::Add:
      result = wide_l + wide_r;
      break;
    case U256Op::Sub:
      if (lhs < rhs)
        r = 1;
      else
        result = wide_l - wide_r;
      break;
    case U256Op::Mul:
      result = wide_l * wide_r;
      break;
    case U256Op::Div:
    case U256Op::Mod:
      if (rhs == 0)
        r = 2;
      else
        result = op == U256Op::Div ? wide_l / wide_r : wide_l % wide_r;
      break;
  }
  if (r == 0 && result > uint512_t(std::numeric_limits<uint256_t>::max())) r = 1;
  if (r == 0) store_u256(static_cast<uint256_t>(result), out.span);
  return Status::Ok;
}
ASSENT_GCC_FALSE_POSITIVE_END
ASSENT_GCC_FALSE_POSITIVE_END

Status u256_cmp(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::U256Cmp);
  GUEST_READ(x, a[0], 32, "the first operand");
  GUEST_READ(y, a[1], 32, "the second operand");
  const uint256_t lhs = load_u256(x.span), rhs = load_u256(y.span);
  r = lhs < rhs ? ~uint64_t{0} : lhs == rhs ? 0 : 1;
  return Status::Ok;
}

// ---- cross-contract calls

// call.view / call.action(contract, method, method_len, args, args_len) -> result length.
// The callee gets all the gas left; what it used is charged here. A failing callee fails
// this call too, with the callee's message.
template <bool view>
Status call_contract(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(view ? Syscall::CallView : Syscall::CallAction);
  HOST(h);
  LIMIT(a[2], 64, "method name");
  LIMIT(a[4], kMaxValueBytes, "arguments");
  GUEST_READ(address, a[0], 32, "the contract address");
  GUEST_READ(method, a[1], a[2], "the method name");
  GUEST_READ(args, a[3], a[4], "the arguments");
  CHARGE(a[4]);
  Identity contract;
  std::memcpy(contract.data(), address.span.data(), 32);
  const std::string method_name(method.span.begin(), method.span.end());
  CallOutcome out = h.call(contract, method_name, args.span, view, ctx.gas_left);
  if (!ctx.charge(std::min(out.gas_used, ctx.gas_left))) return Status::OutOfGas;
  if (out.status != Status::Ok) {
    if (out.status == Status::OutOfGas) return Status::OutOfGas;
    return ctx.fail(out.status == Status::Aborted ? Status::Aborted : Status::SyscallFailed,
                    out.message);
  }
  ctx.call_result = std::move(out.return_data);
  r = ctx.call_result.size();
  return Status::Ok;
}

// call.result(out, capacity) -> length: the return data of the last call.
Status call_result(SyscallContext& ctx, SyscallArgs a, uint64_t& r) {
  constexpr std::string_view name = syscall_name(Syscall::CallResult);
  const uint64_t n = std::min<uint64_t>(ctx.call_result.size(), a[1]);
  GUEST_WRITE(out, a[0], n, "the result buffer");
  CHARGE(n);
  if (n) std::memcpy(out.span.data(), ctx.call_result.data(), n);
  r = ctx.call_result.size();
  return Status::Ok;
}

}  // namespace

void register_host_syscalls(vm::SyscallRegistry& reg) {
  vm::register_core_syscalls(reg);
#define ASSENT_HOST_ADD(id, name, gas, handler, summary) reg.add({name, gas, handler, summary});
  ASSENT_HOST_SYSCALLS(ASSENT_HOST_ADD)
#undef ASSENT_HOST_ADD
}

const vm::SyscallRegistry& node_syscalls() {
  static const vm::SyscallRegistry registry = [] {
    vm::SyscallRegistry r;
    register_host_syscalls(r);
    return r;
  }();
  return registry;
}

}  // namespace assent::stdlib
