// Internal to vm/: the interpreter loop, between Machine (which sets up memory) and the
// program. Everything the loop needs is in RunState, so the loop itself allocates nothing.
#pragma once

#include <cstdint>

#include "vm/memory.hpp"
#include "vm/program.hpp"
#include "vm/status.hpp"
#include "vm/syscalls.hpp"

namespace assent::vm {

struct Frame {
  const Slot* return_to;
  uint64_t saved[5];  // r6-r9 and r10 of the caller
};

struct RunState {
  // In.
  const Slot* slots = nullptr;
  const uint32_t* block_costs = nullptr;
  const SyscallSpec* const* syscalls = nullptr;
  RegionView read[kRegionCount]{};
  RegionView write[kRegionCount]{};
  Frame* frames = nullptr;
  uint32_t max_depth = 0;  // local calls that may be nested
  uint64_t gas = 0;        // in: the limit; out: what is left
  SyscallContext* ctx = nullptr;
  uint32_t entry = 0;
  uint64_t r1 = 0, r2 = 0, r10 = 0;

  // Out.
  Status status = Status::Ok;
  uint64_t r0 = 0;
  uint32_t pc = 0;
  uint32_t deepest = 0;  // the deepest call depth reached
  uint64_t fault_addr = 0;
  uint64_t fault_size = 0;
  bool fault_write = false;
};

void interpret(RunState& state, Dispatch dispatch);

}  // namespace assent::vm
