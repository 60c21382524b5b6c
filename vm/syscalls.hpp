// Syscalls: host functions a program calls by name. A module lists the names it imports;
// the verifier resolves each against a SyscallRegistry, so an unknown name fails the load,
// never the run. Calling convention (docs/syscalls.md): arguments in r1-r5, result in r0,
// r1-r5 are left as they were, r6-r10 are preserved.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/memory.hpp"
#include "vm/status.hpp"

namespace assent::vm {

// What a syscall sees of the running machine. Valid only during the syscall.
// Guest pointers must go through `read`/`write`, which translate and bounds-check them.
class SyscallContext {
 public:
  SyscallContext(RegionView* read_table, RegionView* write_table, void* host, uint64_t heap_limit)
      : read_table_(read_table), write_table_(write_table), host_(host), heap_limit_(heap_limit) {}

  // Host view of the guest range [addr, addr + len), or an empty optional-like null span
  // with `ok == false` when it is not mapped (or not writable, for `write`).
  // A zero-length range is always valid and empty.
  struct Bytes {
    std::span<uint8_t> span;
    bool ok = false;
  };
  Bytes read(uint64_t addr, uint64_t len) const { return view(read_table_, addr, len); }
  Bytes write(uint64_t addr, uint64_t len) const { return view(write_table_, addr, len); }

  // Charges gas beyond the syscall's base cost. Returns false when too little is left; the
  // syscall must then return Status::OutOfGas.
  [[nodiscard]] bool charge(uint64_t amount) {
    if (amount > gas_left) return false;
    gas_left -= amount;
    syscall_gas += amount;
    return true;
  }
  // Gas for touching `bytes` bytes: one unit per started 32-byte word.
  [[nodiscard]] bool charge_bytes(uint64_t bytes) { return charge((bytes + 31) / 32); }

  // Maps the heap up to at least `bytes` (rounded up to 4 KiB, capped at the limit); never
  // shrinks it. Newly mapped heap is zero (the machine clears all a run mapped before the
  // next). Returns the mapped size. The caller checks `bytes <= heap_limit()` first.
  uint64_t grow_heap(uint64_t bytes) {
    RegionView& r = read_table_[static_cast<int>(RegionId::Heap)];
    if (bytes > r.size) {
      const uint64_t rounded = (bytes + 4095) & ~uint64_t{4095};
      r.size = rounded < heap_limit_ ? rounded : heap_limit_;
      write_table_[static_cast<int>(RegionId::Heap)].size = r.size;
    }
    return r.size;
  }
  uint64_t heap_size() const { return read_table_[static_cast<int>(RegionId::Heap)].size; }
  uint64_t heap_limit() const { return heap_limit_; }

  // Fails the call with a message, e.g. `return ctx.fail(Status::SyscallFailed, "...")`.
  Status fail(Status status, std::string text) {
    message = std::move(text);
    return status;
  }

  // The embedder's per-run object (the executor's call context); the VM never looks at it.
  template <class T>
  T* host() const {
    return static_cast<T*>(host_);
  }

  uint64_t gas_left = 0;
  uint64_t syscall_gas = 0;  // all gas charged by syscalls in this run, base costs included
  std::string message;
  std::vector<uint8_t> return_data;
  std::vector<uint8_t> call_result;  // return data of the last cross-contract call
  uint64_t abort_position = 0;       // vm.abort's r3: line << 32 | column, 0 if unknown

 private:
  Bytes view(const RegionView* table, uint64_t addr, uint64_t len) const {
    if (len == 0) return Bytes{{}, true};
    uint8_t* p = translate_range(table, addr, len);
    if (p == nullptr) return Bytes{};
    return Bytes{std::span<uint8_t>(p, len), true};
  }

  RegionView* read_table_;
  RegionView* write_table_;
  void* host_;
  uint64_t heap_limit_;
};

using SyscallArgs = std::span<const uint64_t, 5>;
using SyscallFn = Status (*)(SyscallContext& ctx, SyscallArgs args, uint64_t& result);

struct SyscallSpec {
  std::string name;  // e.g. "vm.abort"
  uint64_t cost;     // base gas, charged before the call
  SyscallFn fn;
  std::string summary;  // one line for docs and `assent syscalls`
};

class SyscallRegistry {
 public:
  // Registers a syscall. Names are unique; registering a name twice replaces nothing and
  // returns false.
  bool add(SyscallSpec spec);
  const SyscallSpec* find(std::string_view name) const;
  const std::vector<std::unique_ptr<SyscallSpec>>& all() const { return specs_; }

 private:
  // unique_ptr keeps each spec's address stable: verified programs point at them.
  std::vector<std::unique_ptr<SyscallSpec>> specs_;
};

// The syscalls every Assent VM has, one row each (docs/syscalls.md):
//   X(Id, name, base gas, handler (in syscalls.cpp), summary)
// The summary begins with the signature, `short_name(arguments)`: the compiler takes each
// syscall's arity from it (stdlib/syscall_table.hpp, which joins these rows to the host's).
// clang-format off
#define ASSENT_CORE_SYSCALLS(X)                                                          \
  X(VmAbort,     "vm.abort",      10, sys_abort,                                         \
    "abort(ptr, len, position): end the run as aborted with a message")                  \
  X(VmSetReturn, "vm.set_return", 10, sys_set_return,                                    \
    "set_return(ptr, len): set the run's return data")                                   \
  X(VmHeapGrow,  "vm.heap_grow",  10, sys_heap_grow,                                     \
    "heap_grow(bytes): map the heap up to `bytes`; returns the mapped size")
// clang-format on

// Registers the rows of ASSENT_CORE_SYSCALLS.
void register_core_syscalls(SyscallRegistry& registry);
// A registry of the core syscalls alone, made once (what raw programs and `assent run` get).
const SyscallRegistry& core_syscalls();

// Limits of the core syscalls.
inline constexpr uint64_t kMaxAbortMessage = 1024;
inline constexpr uint64_t kMaxReturnData = 64 * 1024;

}  // namespace assent::vm
