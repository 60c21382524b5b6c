#include "vm/isa.hpp"

#include <bit>
#include <cstring>

namespace assent::vm {

static_assert(std::endian::native == std::endian::little,
              "the VM's memory and encodings are little-endian; a big-endian host needs swaps");

RawInstruction decode_raw(const uint8_t* bytes) {
  RawInstruction insn;
  insn.opcode = bytes[0];
  insn.dst = bytes[1] & 0x0f;
  insn.src = bytes[1] >> 4;
  std::memcpy(&insn.off, bytes + 2, sizeof insn.off);
  std::memcpy(&insn.imm, bytes + 4, sizeof insn.imm);
  return insn;
}

void encode_raw(const RawInstruction& insn, uint8_t* out) {
  out[0] = insn.opcode;
  out[1] = static_cast<uint8_t>((insn.dst & 0x0f) | (insn.src << 4));
  std::memcpy(out + 2, &insn.off, sizeof insn.off);
  std::memcpy(out + 4, &insn.imm, sizeof insn.imm);
}

namespace {

std::string hex_byte(uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

// Opcodes that are valid eBPF but deliberately outside Assent's ISA, with the reason.
std::optional<std::string_view> unsupported_reason(uint8_t opcode) {
  const uint8_t cls = opcode & 0x07;
  const uint8_t mode = opcode & 0xe0;
  if (cls == 0x03 && mode == 0xc0)
    return "atomic operations are not supported (contracts run single-threaded)";
  if (cls == 0x00 && (mode == 0x20 || mode == 0x40))
    return "legacy packet loads (ABS/IND) are not supported";
  if (opcode == 0x8d) return "callx (indirect call) is not supported; call functions directly";
  return std::nullopt;
}

bool uses_dst(Format f) {
  return f != Format::Jump && f != Format::JumpLong && f != Format::CallHelper &&
         f != Format::CallLocal && f != Format::Exit;
}
bool writes_dst(Format f) {
  return f == Format::AluImm || f == Format::AluReg || f == Format::Unary || f == Format::Endian ||
         f == Format::Load || f == Format::LoadImm64;
}
bool uses_src_reg(Format f) {
  return f == Format::AluReg || f == Format::Load || f == Format::StoreReg || f == Format::JumpReg;
}
bool uses_off(Format f) {
  // ALU formats use off as their selector, checked by variant lookup before this.
  return f == Format::AluImm || f == Format::AluReg || f == Format::Load || f == Format::StoreImm ||
         f == Format::StoreReg || f == Format::Jump || f == Format::JumpImm || f == Format::JumpReg;
}
bool uses_imm(Format f) {
  return f == Format::AluImm || f == Format::Endian || f == Format::StoreImm ||
         f == Format::LoadImm64 || f == Format::JumpLong || f == Format::JumpImm ||
         f == Format::CallHelper || f == Format::CallLocal;
}
DecodeResult fail(InstructionProblem problem, std::string message) {
  return DecodeResult{std::nullopt, DecodeFailure{problem, std::move(message)}};
}

std::string_view field_name_for_selector(Format f) {
  switch (f) {
    case Format::Endian:
      return "imm";
    case Format::CallHelper:
    case Format::CallLocal:
      return "src";
    default:
      return "offset";
  }
}

}  // namespace

DecodeResult decode_op(const RawInstruction& insn) {
  if (auto reason = unsupported_reason(insn.opcode))
    return fail(InstructionProblem::Unsupported,
                "opcode " + hex_byte(insn.opcode) + ": " + std::string(*reason));

  const OpcodeVariants& variants = kVariantsByOpcode[insn.opcode];
  if (variants.count == 0)
    return fail(InstructionProblem::UnknownOpcode, "unknown opcode " + hex_byte(insn.opcode));

  std::optional<Op> found;
  for (uint8_t i = 0; i < variants.count; ++i) {
    const OpInfo& candidate = info(variants.ops[i]);
    if (selector_of(candidate.format, insn) == candidate.selector) {
      found = variants.ops[i];
      break;
    }
  }
  if (!found) {
    const OpInfo& first = info(variants.ops[0]);
    const int32_t value = selector_of(first.format, insn);
    if (first.format == Format::CallHelper && value == 2)
      return fail(InstructionProblem::Unsupported,
                  "call by BTF id (src 2) is not supported; use a syscall import or a local call");
    std::string allowed;
    for (uint8_t i = 0; i < variants.count; ++i) {
      if (i) allowed += i + 1 == variants.count ? " or " : ", ";
      allowed += std::to_string(info(variants.ops[i]).selector);
    }
    return fail(InstructionProblem::BadVariant,
                "opcode " + hex_byte(insn.opcode) + " (" + std::string(first.mnemonic) + ") has " +
                    std::string(field_name_for_selector(first.format)) + " " +
                    std::to_string(value) + "; it must be " + allowed);
  }

  const Op op = *found;
  const OpInfo& oi = info(op);
  const std::string name(oi.mnemonic);
  const Format f = oi.format;

  if (f == Format::LoadImm64 && insn.src != 0)
    return fail(InstructionProblem::Unsupported,
                "lddw with src " + std::to_string(insn.src) +
                    " (a map or BTF pseudo-load) is not supported; only src 0 loads a constant");
  if (!uses_dst(f) && insn.dst != 0)
    return fail(InstructionProblem::NonZeroField,
                name + " uses no dst register, but dst is " + std::to_string(insn.dst));
  const bool src_is_selector = f == Format::CallHelper || f == Format::CallLocal;
  if (!uses_src_reg(f) && !src_is_selector && insn.src != 0)
    return fail(InstructionProblem::NonZeroField,
                name + " uses no src register, but src is " + std::to_string(insn.src));
  if (!uses_off(f) && insn.off != 0)
    return fail(InstructionProblem::NonZeroField,
                name + " uses no offset, but offset is " + std::to_string(insn.off));
  if (!uses_imm(f) && insn.imm != 0)
    return fail(InstructionProblem::NonZeroField,
                name + " uses no immediate, but imm is " + std::to_string(insn.imm));
  if (insn.dst > 10)
    return fail(InstructionProblem::BadRegister,
                name + ": dst register r" + std::to_string(insn.dst) + " does not exist (r0-r10)");
  if (uses_src_reg(f) && insn.src > 10)
    return fail(InstructionProblem::BadRegister,
                name + ": src register r" + std::to_string(insn.src) + " does not exist (r0-r10)");
  if (writes_dst(f) && insn.dst == 10)
    return fail(InstructionProblem::WritesFrameRegister,
                name + " writes r10, the read-only frame pointer");
  if (divides_by_immediate(op) && insn.imm == 0)
    return fail(InstructionProblem::DivisionByZeroImmediate,
                name + " by the immediate 0; the result would be constant, write it directly");
  return DecodeResult{op, {}};
}

}  // namespace assent::vm
