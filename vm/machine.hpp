// Machine: the memory a program runs in (stack, heap, input) and the entry point that runs a
// VerifiedProgram. A Machine is reused from run to run (its buffers are allocated once) and
// is not thread-safe: use one per thread. Runs are deterministic to the bit: the same
// program, function, input and gas limit give the same status, r0, gas, return data and
// memory on every machine.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vm/memory.hpp"
#include "vm/program.hpp"
#include "vm/status.hpp"

namespace assent::vm {

struct Frame;

struct MachineConfig {
  uint32_t heap_size = 32 * 1024;  // the most heap a run may map (`vm.heap_grow`)
  // Heap mapped when a run starts; 0 means all of heap_size. A run that needs more calls
  // `vm.heap_grow`. Only what a run mapped is zeroed before the next, so a small initial
  // heap keeps short calls cheap.
  uint32_t initial_heap = 0;
  uint32_t max_frames = 64;  // stack frames, the entry function's included (>= 1)
};

struct ExecResult {
  Status status = Status::Ok;
  uint64_t r0 = 0;
  // Gas consumed: instructions (1 each, charged per basic block on entry) plus syscalls.
  // A run that runs out of gas consumes its whole limit.
  uint64_t gas_used = 0;
  uint64_t instructions = 0;  // instructions charged for; equals gas_used - syscall gas
  uint32_t pc = 0;            // where the run ended: its exit, or the trapping instruction
  std::string message;        // why it trapped; for Aborted, the program's own message
  uint32_t source_line = 0;   // for Aborted: where in the source, when the program said
  uint32_t source_column = 0;
  std::vector<uint8_t> return_data;

  bool ok() const { return status == Status::Ok; }
  // "ok" or "memory-fault at pc 12: read of 8 bytes at 0x0000000000000010: unmapped"
  std::string describe() const;
};

class Machine {
 public:
  explicit Machine(MachineConfig config = {});
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Runs function `function` (an index into program.module().functions) with r1 = the
  // address of a copy of `input` in the input region, r2 = its length, and `gas_limit` gas.
  // `host` is handed to syscalls untouched (SyscallContext::host). Never throws for
  // anything the program does; every trap comes back in the result.
  ExecResult run(const VerifiedProgram& program, uint32_t function, std::span<const uint8_t> input,
                 uint64_t gas_limit, void* host = nullptr);

  // The memory of the last run, as it was when the run ended (for tests and debugging).
  std::span<const uint8_t> heap() const;  // the part the last run had mapped
  std::span<const uint8_t> stack() const;
  std::span<const uint8_t> input() const;
  const MachineConfig& config() const { return config_; }

 private:
  MachineConfig config_;
  std::unique_ptr<uint8_t[]> stack_;
  std::unique_ptr<uint8_t[]> heap_;
  std::unique_ptr<Frame[]> frames_;  // saved registers of the callers, max_frames - 1
  std::vector<uint8_t> input_;
  uint32_t dirty_frames_ = 0;  // frames the last run may have written
  uint64_t dirty_heap_ = 0;    // heap bytes the last run had mapped
};

}  // namespace assent::vm
