// Instruction set: the operations of isa_table.hpp as types and constexpr facts, the raw
// 8-byte encoding, and the decoding of raw instructions into operations.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vm/isa_table.hpp"

namespace assent::vm {

// Operand shape of an operation. Each shape fixes which fields an instruction uses; every
// field it does not use must be zero (RFC 9669), which the verifier checks.
enum class Format : uint8_t {
  AluImm,      // op dst, imm        dst written, src = 0, off = selector
  AluReg,      // op dst, src        dst written, imm = 0, off = selector
  Unary,       // op dst             src = off = imm = 0
  Endian,      // op dst             src = off = 0, imm = selector (16/32/64)
  Load,        // op dst, [src+off]  imm = 0
  StoreImm,    // op [dst+off], imm  src = 0
  StoreReg,    // op [dst+off], src  imm = 0
  LoadImm64,   // op dst, imm64      two slots; src = off = 0; second slot all zero but imm
  Jump,        // op +off            dst = src = imm = 0
  JumpLong,    // op +imm            dst = src = off = 0
  JumpImm,     // op dst, imm, +off  src = 0
  JumpReg,     // op dst, src, +off  imm = 0
  CallHelper,  // op name            dst = off = 0, src = 0, imm = import index
  CallLocal,   // op +imm            dst = off = 0, src = 1
  Exit,        // op                 all zero
};

enum class Op : uint8_t {
#define ASSENT_OP_ENUM(id, opcode, mnemonic, format, selector) id,
  ASSENT_VM_INSTRUCTIONS(ASSENT_OP_ENUM)
#undef ASSENT_OP_ENUM
#define ASSENT_FRAME_ENUM(id, base) id,
      ASSENT_VM_FRAME_FORMS(ASSENT_FRAME_ENUM)
#undef ASSENT_FRAME_ENUM
};

struct OpInfo {
  uint8_t opcode;
  std::string_view mnemonic;
  Format format;
  int32_t selector;
};

inline constexpr OpInfo kOpInfo[] = {
#define ASSENT_OP_INFO(id, opcode, mnemonic, format, selector) \
  {opcode, mnemonic, Format::format, selector},
    ASSENT_VM_INSTRUCTIONS(ASSENT_OP_INFO)
#undef ASSENT_OP_INFO
};

// Operations that instructions decode to; the frame forms follow them in `Op`.
inline constexpr std::size_t kOpCount = std::size(kOpInfo);

// The operation each frame form stands for, indexed by (form - kOpCount).
inline constexpr Op kFrameFormBase[] = {
#define ASSENT_FRAME_BASE(id, base) Op::base,
    ASSENT_VM_FRAME_FORMS(ASSENT_FRAME_BASE)
#undef ASSENT_FRAME_BASE
};
// Every operation the interpreter has a handler for.
inline constexpr std::size_t kHandlerCount = kOpCount + std::size(kFrameFormBase);
static_assert(kHandlerCount < 256, "Op must fit in a byte");

constexpr bool is_frame_form(Op op) {
  return static_cast<std::size_t>(op) >= kOpCount;
}
// The instruction an operation executes: itself, or what a frame form stands for.
constexpr Op base_op(Op op) {
  return is_frame_form(op) ? kFrameFormBase[static_cast<std::size_t>(op) - kOpCount] : op;
}
constexpr const OpInfo& info(Op op) {
  return kOpInfo[static_cast<std::size_t>(base_op(op))];
}

// The frame form of a load or store, if it has one.
constexpr std::optional<Op> frame_form_of(Op op) {
  for (std::size_t i = 0; i < std::size(kFrameFormBase); ++i)
    if (kFrameFormBase[i] == op) return static_cast<Op>(kOpCount + i);
  return std::nullopt;
}

// Every operation with a given opcode byte, in table order. At most four operations share
// an opcode (mov64 and its three sign-extending forms).
struct OpcodeVariants {
  std::array<Op, 4> ops{};
  uint8_t count = 0;
};

inline constexpr std::array<OpcodeVariants, 256> kVariantsByOpcode = [] {
  std::array<OpcodeVariants, 256> table{};
  for (std::size_t i = 0; i < kOpCount; ++i) {
    auto& v = table[kOpInfo[i].opcode];
    v.ops[v.count++] = static_cast<Op>(i);  // a fifth variant would overflow at compile time
  }
  return table;
}();

// One 8-byte slot as it is encoded: opcode, dst:4 | src:4 (low nibble dst), off, imm.
struct RawInstruction {
  uint8_t opcode = 0;
  uint8_t dst = 0;
  uint8_t src = 0;
  int16_t off = 0;
  int32_t imm = 0;

  friend bool operator==(const RawInstruction&, const RawInstruction&) = default;
};

// Bytes of one slot; lddw takes two. Everything that counts instructions in bytes uses it.
inline constexpr std::size_t kInstructionSize = 8;

RawInstruction decode_raw(const uint8_t* bytes);
void encode_raw(const RawInstruction& insn, uint8_t* out);

// The field that picks between operations sharing an opcode byte.
constexpr int32_t selector_of(Format format, const RawInstruction& insn) {
  switch (format) {
    case Format::AluImm:
    case Format::AluReg:
      return insn.off;
    case Format::Endian:
      return insn.imm;
    case Format::CallHelper:
    case Format::CallLocal:
      return insn.src;
    default:
      return 0;
  }
}

// Why a single instruction, looked at alone, is not acceptable.
enum class InstructionProblem : uint8_t {
  UnknownOpcode,           // no operation has this opcode byte
  Unsupported,             // a real eBPF instruction Assent leaves out (atomics, callx, ...)
  BadVariant,              // known opcode, but the selecting field names no variant
  NonZeroField,            // a field the operation does not use is not zero
  BadRegister,             // a register number above r10
  WritesFrameRegister,     // dst is r10, which is read-only
  DivisionByZeroImmediate  // div/mod/sdiv/smod by an immediate 0
};

struct DecodeFailure {
  InstructionProblem problem;
  std::string message;  // plain words, e.g. "add64 uses no offset, but offset is 1"
};

// Decodes and checks one instruction's fields. For lddw only the first slot is checked; the
// second slot is the caller's business (see verifier.cpp).
// Returns the operation, or a failure naming the rule.
struct DecodeResult {
  std::optional<Op> op;
  DecodeFailure failure;
};
DecodeResult decode_op(const RawInstruction& insn);

// True for operations that end a basic block by transferring control.
constexpr bool is_branch(Format f) {
  return f == Format::Jump || f == Format::JumpLong || f == Format::JumpImm ||
         f == Format::JumpReg || f == Format::CallLocal || f == Format::Exit;
}

constexpr bool is_unconditional_end(Format f) {
  return f == Format::Jump || f == Format::JumpLong || f == Format::Exit;
}

constexpr std::size_t slot_count(Op op) {
  return info(op).format == Format::LoadImm64 ? 2 : 1;
}

constexpr bool is_memory_access(Format f) {
  return f == Format::Load || f == Format::StoreImm || f == Format::StoreReg;
}

// Bytes a load or store touches: the size field of its opcode (RFC 9669, bits 3-4: W, H, B,
// DW). 0 for any other operation.
constexpr uint32_t access_size(Op op) {
  constexpr uint32_t kBytesBySizeField[] = {4, 2, 1, 8};
  const OpInfo& oi = info(op);
  return is_memory_access(oi.format) ? kBytesBySizeField[(oi.opcode >> 3) & 3] : 0;
}

// Division or remainder (signed or not) by the immediate: the arithmetic code of the opcode
// (RFC 9669, bits 4-7) is DIV (0x30) or MOD (0x90), and its source is the immediate.
constexpr bool divides_by_immediate(Op op) {
  const OpInfo& oi = info(op);
  const uint8_t code = oi.opcode & 0xf0;
  return oi.format == Format::AluImm && (code == 0x30 || code == 0x90);
}

static_assert(access_size(Op::Ldxsb) == 1 && access_size(Op::Sth) == 2 &&
              access_size(Op::Stxw) == 4 && access_size(Op::LdxdwFrame) == 8 &&
              access_size(Op::Add64Imm) == 0);
static_assert(divides_by_immediate(Op::Sdiv32Imm) && divides_by_immediate(Op::Mod64Imm) &&
              !divides_by_immediate(Op::Div64Reg) && !divides_by_immediate(Op::Mul32Imm));

}  // namespace assent::vm
