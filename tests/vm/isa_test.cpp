// The opcode table: consistent with itself, and with what decoding does.
#include <doctest/doctest.h>

#include <set>

#include "vm/disassembler.hpp"
#include "vm/isa.hpp"

namespace assent::vm {
namespace {

TEST_CASE("isa: each (opcode, selector) names one operation") {
  std::set<std::pair<uint8_t, int32_t>> seen;
  for (std::size_t i = 0; i < kOpCount; ++i) {
    const OpInfo& oi = kOpInfo[i];
    CAPTURE(oi.mnemonic);
    CHECK(seen.insert({oi.opcode, oi.selector}).second);
  }
  CHECK(kOpCount == 137);
}

TEST_CASE("isa: a mnemonic has one row per operand shape") {
  std::set<std::pair<std::string_view, Format>> seen;
  for (std::size_t i = 0; i < kOpCount; ++i)
    CHECK(seen.insert({kOpInfo[i].mnemonic, kOpInfo[i].format}).second);
}

TEST_CASE("isa: every operation decodes from its canonical encoding") {
  for (std::size_t i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const OpInfo& oi = info(op);
    CAPTURE(oi.mnemonic);
    RawInstruction insn{oi.opcode, 1, 0, 0, 0};
    switch (oi.format) {
      case Format::AluImm:
        insn.off = static_cast<int16_t>(oi.selector);
        insn.imm = 3;
        break;
      case Format::AluReg:
        insn.off = static_cast<int16_t>(oi.selector);
        insn.src = 2;
        break;
      case Format::Endian:
        insn.imm = oi.selector;
        break;
      case Format::Load:
        insn.src = 2;
        insn.off = 8;
        break;
      case Format::StoreImm:
        insn.off = -8;
        insn.imm = 1;
        break;
      case Format::StoreReg:
        insn.src = 2;
        insn.off = -8;
        break;
      case Format::JumpImm:
        insn.off = 1;
        break;
      case Format::JumpReg:
        insn.src = 2;
        insn.off = 1;
        break;
      case Format::Jump:
        insn.dst = 0;
        insn.off = 1;
        break;
      case Format::JumpLong:
        insn.dst = 0;
        insn.imm = 1;
        break;
      case Format::CallHelper:
        insn.dst = 0;
        break;
      case Format::CallLocal:
        insn.dst = 0;
        insn.src = 1;
        insn.imm = 1;
        break;
      case Format::Exit:
        insn.dst = 0;
        break;
      default:
        break;
    }
    const DecodeResult d = decode_op(insn);
    REQUIRE_MESSAGE(d.op.has_value(), d.failure.message);
    CHECK(*d.op == op);
    uint8_t bytes[8];
    encode_raw(insn, bytes);
    CHECK(decode_raw(bytes) == insn);
    CHECK(disassemble_instruction(insn).rfind(std::string(oi.mnemonic), 0) == 0);
  }
}

TEST_CASE("isa: no opcode byte outside the table decodes") {
  int known = 0;
  for (int opcode = 0; opcode < 256; ++opcode) {
    if (kVariantsByOpcode[opcode].count > 0) {
      ++known;
      continue;
    }
    const DecodeResult d = decode_op(RawInstruction{static_cast<uint8_t>(opcode), 0, 0, 0, 0});
    CHECK_FALSE(d.op.has_value());
  }
  CHECK(known == 117);
}

TEST_CASE("isa: disassembly of single instructions") {
  CHECK(disassemble_instruction({0x79, 1, 10, -8, 0}) == "ldxdw r1, [r10-8]");
  CHECK(disassemble_instruction({0x62, 1, 0, 4, -1}) == "stw [r1+4], -1");
  CHECK(disassemble_instruction({0x15, 3, 0, -2, 7}) == "jeq r3, 7, -2");
  CHECK(disassemble_instruction({0x18, 1, 0, 0, 1}, 2) == "lddw r1, 0x200000001");
  CHECK(disassemble_instruction({0xbf, 1, 2, 16, 0}) == "movsx1664 r1, r2");
  CHECK(disassemble_instruction({0xdc, 1, 0, 0, 32}) == "be32 r1");
  CHECK(disassemble_instruction({0x06, 0, 0, 0, 70000}) == "gotol +70000");
  CHECK(disassemble_instruction({0xc3, 1, 2, 0, 0}).rfind("(invalid: opcode 0xc3: atomic", 0) == 0);
}

}  // namespace
}  // namespace assent::vm
