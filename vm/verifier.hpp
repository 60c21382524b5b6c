// The verifier: checks a module's code statically and produces a VerifiedProgram.
// What it checks is listed, rule by rule, in docs/vm.md "Verification"; what it cannot check
// statically (memory accesses, call depth, gas) the interpreter enforces at run time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "vm/module.hpp"
#include "vm/program.hpp"
#include "vm/result.hpp"
#include "vm/syscalls.hpp"

namespace assent::vm {

enum class VerifyRule : uint8_t {
  EmptyProgram,            // no instructions
  TruncatedInstruction,    // code whose length is not a multiple of 8 bytes
  ProgramTooLarge,         // more than kMaxInstructions slots
  UnknownOpcode,           // an opcode byte no operation has
  UnsupportedInstruction,  // valid eBPF that Assent leaves out (atomics, callx, ...)
  InvalidVariant,          // the selecting field of a shared opcode names no operation
  NonZeroField,            // a field the operation does not use is not zero
  InvalidRegister,         // a register above r10
  WritesFrameRegister,     // an instruction writes r10
  DivisionByZero,          // div or mod by an immediate 0
  IncompleteWideLoad,      // lddw without a well-formed second slot
  JumpOutOfBounds,         // a jump target outside the code
  JumpIntoWideLoad,        // a jump target in the second slot of lddw
  JumpOutsideFunction,     // a jump from one function into another
  BadCallTarget,           // a local call to something other than a function start
  UnknownSyscall,          // an imported syscall the registry does not have, or a bad index
  FallsOffEnd,             // a function whose last instruction is not exit or a jump
};

std::string_view to_string(VerifyRule rule);

struct VerifyError {
  VerifyRule rule;
  uint32_t pc;  // slot index of the offending instruction
  std::string message;

  // "pc 12: jump-out-of-bounds: ja +40 targets pc 53, past the end of the code (20 slots)"
  std::string describe() const;
};

// Verifies a loaded module against the syscalls of `registry`. The program keeps pointers
// into `registry`, which must outlive it.
Result<VerifiedProgram, VerifyError> verify(Module module, const SyscallRegistry& registry,
                                            Dispatch dispatch = Dispatch::Threaded);

// Verifies a bare instruction stream (no module): its functions are pc 0 and every local
// call target, named `main`, `fn_<pc>`; it imports nothing, so any syscall is refused.
// The result exports `main` as a plain function.
Result<VerifiedProgram, VerifyError> verify_raw(std::span<const uint8_t> code,
                                                const SyscallRegistry& registry,
                                                Dispatch dispatch = Dispatch::Threaded);

}  // namespace assent::vm
