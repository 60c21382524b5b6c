// Disassembler: instructions back to the assembler's syntax (assembler.hpp), so that
// `assemble(disassemble(m))` gives back the same code, functions, imports and exports.
#pragma once

#include <span>
#include <string>

#include "vm/isa.hpp"
#include "vm/module.hpp"

namespace assent::vm {

// One instruction, e.g. "ldxw r1, [r10-8]" or "jeq r1, 0, +3". `next_imm` is the imm of the
// following slot (the high half of an lddw). Names of syscalls and call targets are not
// known here: calls print as "syscall #0" and "call +5".
std::string disassemble_instruction(const RawInstruction& insn, int32_t next_imm = 0);

// A whole module as an assembler listing: directives for read-only data, imports, functions
// and exports, labels at jump targets, and each instruction's pc in a trailing comment.
// Code that does not decode is shown as `.raw` bytes with the reason in a comment.
std::string disassemble(const Module& module);

}  // namespace assent::vm
