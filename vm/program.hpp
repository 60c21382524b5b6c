// VerifiedProgram: what the verifier hands to the interpreter, and the only thing the
// interpreter runs. Move-only; constructed only by `verify` (verifier.hpp), so holding one
// proves every check of docs/vm.md "Verification" has passed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vm/isa.hpp"
#include "vm/module.hpp"
#include "vm/syscalls.hpp"

namespace assent::vm {

enum class Dispatch : uint8_t {
  Threaded,  // computed goto through a handler address per slot (GCC, Clang)
  Switch,    // one switch over the operation code (any compiler; the baseline)
};

// One decoded slot. `handler` is a label address (Threaded) or 2*op + charged (Switch);
// "charged" marks the first instruction of a basic block, where the block's gas is taken.
// Jump offsets are the instruction's own: the target is this slot + 1 + off (or imm).
struct Slot {
  uint64_t handler;
  uint8_t dst;
  uint8_t src;
  int16_t off;
  int32_t imm;
};
static_assert(sizeof(Slot) == 16);

class VerifiedProgram {
 public:
  VerifiedProgram(VerifiedProgram&&) noexcept = default;
  VerifiedProgram& operator=(VerifiedProgram&&) noexcept = default;
  VerifiedProgram(const VerifiedProgram&) = delete;
  VerifiedProgram& operator=(const VerifiedProgram&) = delete;

  const Module& module() const { return module_; }
  Dispatch dispatch() const { return dispatch_; }
  std::span<const Slot> slots() const { return slots_; }
  // Gas of the basic block starting at each slot (0 where no block starts).
  std::span<const uint32_t> block_costs() const { return block_costs_; }
  // Syscall of each import, in import order.
  std::span<const SyscallSpec* const> syscalls() const { return syscalls_; }
  bool is_function_start(uint32_t pc) const { return module_.function_at(pc) != nullptr; }

 private:
  VerifiedProgram() = default;
  friend class Verifier;

  Module module_;
  Dispatch dispatch_ = Dispatch::Threaded;
  std::vector<Slot> slots_;
  std::vector<uint32_t> block_costs_;
  std::vector<const SyscallSpec*> syscalls_;
};

}  // namespace assent::vm
