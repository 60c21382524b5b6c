#include "vm/syscalls.hpp"

namespace assent::vm {

bool SyscallRegistry::add(SyscallSpec spec) {
  if (find(spec.name) != nullptr) return false;
  specs_.push_back(std::make_unique<SyscallSpec>(std::move(spec)));
  return true;
}

const SyscallSpec* SyscallRegistry::find(std::string_view name) const {
  for (const auto& s : specs_)
    if (s->name == name) return s.get();
  return nullptr;
}

namespace {

// vm.abort(ptr, len, position): ends the run with Status::Aborted and the message at
// [ptr, ptr+len); `position` (line << 32 | column of the source, or 0) is kept for the
// receipt.
Status sys_abort(SyscallContext& ctx, SyscallArgs args, uint64_t&) {
  const uint64_t len = args[1];
  if (len > kMaxAbortMessage)
    return ctx.fail(Status::SyscallFailed, "vm.abort: message of " + std::to_string(len) +
                                               " bytes exceeds the limit of 1024");
  auto bytes = ctx.read(args[0], len);
  if (!bytes.ok)
    return ctx.fail(Status::SyscallFailed, "vm.abort: message pointer is not readable memory");
  if (!ctx.charge_bytes(len)) return Status::OutOfGas;
  ctx.message.assign(bytes.span.begin(), bytes.span.end());
  ctx.abort_position = args[2];
  return Status::Aborted;
}

// vm.set_return(ptr, len): sets the run's return data (replacing any set before).
Status sys_set_return(SyscallContext& ctx, SyscallArgs args, uint64_t& result) {
  const uint64_t len = args[1];
  if (len > kMaxReturnData)
    return ctx.fail(Status::SyscallFailed,
                    "vm.set_return: " + std::to_string(len) + " bytes exceed the limit of 65536");
  auto bytes = ctx.read(args[0], len);
  if (!bytes.ok)
    return ctx.fail(Status::SyscallFailed, "vm.set_return: pointer is not readable memory");
  if (!ctx.charge_bytes(len)) return Status::OutOfGas;
  ctx.return_data.assign(bytes.span.begin(), bytes.span.end());
  result = 0;
  return Status::Ok;
}

// vm.heap_grow(bytes): maps the heap up to `bytes`; returns the mapped size.
Status sys_heap_grow(SyscallContext& ctx, SyscallArgs args, uint64_t& result) {
  const uint64_t wanted = args[0];
  if (wanted > ctx.heap_limit())
    return ctx.fail(Status::SyscallFailed, "vm.heap_grow: " + std::to_string(wanted) +
                                               " bytes of heap exceed the limit of " +
                                               std::to_string(ctx.heap_limit()));
  const uint64_t old_size = ctx.heap_size();
  if (wanted > old_size && !ctx.charge_bytes(wanted - old_size)) return Status::OutOfGas;
  result = ctx.grow_heap(wanted);
  return Status::Ok;
}

}  // namespace

void register_core_syscalls(SyscallRegistry& registry) {
  registry.add(
      {"vm.abort", 10, sys_abort, "abort(ptr, len): end the run as aborted with a message"});
  registry.add(
      {"vm.set_return", 10, sys_set_return, "set_return(ptr, len): set the run's return data"});
  registry.add({"vm.heap_grow", 10, sys_heap_grow,
                "heap_grow(bytes): map the heap up to `bytes`; returns the mapped size"});
}

}  // namespace assent::vm
