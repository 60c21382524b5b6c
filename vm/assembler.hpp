// Assembler: a text syntax for modules, used by tests, benchmarks, the devnet demo and by
// anyone reading `assent disasm` output. Mnemonics and operand shapes come from the opcode
// table (isa_table.hpp); the syntax is documented in docs/vm.md "Assembly".
//
//   ; a comment
//   .rodata greeting "hello\n"      read-only data; `lddw r1, greeting` loads its address
//   .rodata table hex "0102ff"
//   .import vm.abort                syscalls are also imported on first use
//   .func main view                 starts function `main`, exported as a view
//   .export run function main       exports `main` again under another name
//   loop:                           a label, for jumps inside a function
//       mov64 r1, 10
//       jeq r1, 0, done             targets: labels, or +N / -N slots
//       ldxdw r2, [r10-8]
//       call helper                 a local call to a function
//       syscall vm.abort
//   done:
//       exit
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vm/module.hpp"
#include "vm/result.hpp"

namespace assent::vm {

struct AsmError {
  uint32_t line;
  uint32_t column;
  std::string message;

  // "file:line:col: error: message"
  std::string describe(std::string_view file) const;
};

// Assembles `source`. A source without any `.func` gets one function `main` at pc 0,
// exported as a plain function. Errors name the line and column of the offending token.
Result<Module, AsmError> assemble(std::string_view source);

}  // namespace assent::vm
