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

// The names of the core syscalls, for their messages.
enum class Core : uint8_t {
#define ASSENT_CORE_ID(id, name, gas, handler, summary) id,
  ASSENT_CORE_SYSCALLS(ASSENT_CORE_ID)
#undef ASSENT_CORE_ID
};
constexpr std::string_view kCoreNames[] = {
#define ASSENT_CORE_NAME(id, name, gas, handler, summary) name,
    ASSENT_CORE_SYSCALLS(ASSENT_CORE_NAME)
#undef ASSENT_CORE_NAME
};
std::string name_of(Core c) {
  return std::string(kCoreNames[static_cast<std::size_t>(c)]);
}

// vm.abort(ptr, len, position): ends the run with Status::Aborted and the message at
// [ptr, ptr+len); `position` (line << 32 | column of the source, or 0) is kept for the
// receipt.
Status sys_abort(SyscallContext& ctx, SyscallArgs args, uint64_t&) {
  const uint64_t len = args[1];
  if (len > kMaxAbortMessage)
    return ctx.fail(Status::SyscallFailed,
                    name_of(Core::VmAbort) + ": message of " + std::to_string(len) +
                        " bytes exceeds the limit of " + std::to_string(kMaxAbortMessage));
  auto bytes = ctx.read(args[0], len);
  if (!bytes.ok)
    return ctx.fail(Status::SyscallFailed,
                    name_of(Core::VmAbort) + ": message pointer is not readable memory");
  if (!ctx.charge_bytes(len)) return Status::OutOfGas;
  ctx.message.assign(bytes.span.begin(), bytes.span.end());
  ctx.abort_position = args[2];
  return Status::Aborted;
}

// vm.set_return(ptr, len): sets the run's return data (replacing any set before).
Status sys_set_return(SyscallContext& ctx, SyscallArgs args, uint64_t& result) {
  const uint64_t len = args[1];
  if (len > kMaxReturnData)
    return ctx.fail(Status::SyscallFailed, name_of(Core::VmSetReturn) + ": " + std::to_string(len) +
                                               " bytes exceed the limit of " +
                                               std::to_string(kMaxReturnData));
  auto bytes = ctx.read(args[0], len);
  if (!bytes.ok)
    return ctx.fail(Status::SyscallFailed,
                    name_of(Core::VmSetReturn) + ": pointer is not readable memory");
  if (!ctx.charge_bytes(len)) return Status::OutOfGas;
  ctx.return_data.assign(bytes.span.begin(), bytes.span.end());
  result = 0;
  return Status::Ok;
}

// vm.heap_grow(bytes): maps the heap up to `bytes`; returns the mapped size.
Status sys_heap_grow(SyscallContext& ctx, SyscallArgs args, uint64_t& result) {
  const uint64_t wanted = args[0];
  if (wanted > ctx.heap_limit())
    return ctx.fail(Status::SyscallFailed,
                    name_of(Core::VmHeapGrow) + ": " + std::to_string(wanted) +
                        " bytes of heap exceed the limit of " + std::to_string(ctx.heap_limit()));
  const uint64_t old_size = ctx.heap_size();
  if (wanted > old_size && !ctx.charge_bytes(wanted - old_size)) return Status::OutOfGas;
  result = ctx.grow_heap(wanted);
  return Status::Ok;
}

}  // namespace

void register_core_syscalls(SyscallRegistry& registry) {
#define ASSENT_CORE_ADD(id, name, gas, handler, summary) \
  registry.add({name, gas, handler, summary});
  ASSENT_CORE_SYSCALLS(ASSENT_CORE_ADD)
#undef ASSENT_CORE_ADD
}

const SyscallRegistry& core_syscalls() {
  static const SyscallRegistry registry = [] {
    SyscallRegistry r;
    register_core_syscalls(r);
    return r;
  }();
  return registry;
}

}  // namespace assent::vm
