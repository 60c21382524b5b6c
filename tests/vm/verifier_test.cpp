// The verifier: every rule rejects at the right pc, with a message in plain words.
#include <doctest/doctest.h>

#include "vm/hex.hpp"
#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

VerifyError rejected(std::string_view source) {
  auto p = verify(test::assemble_ok(source), test::core_registry());
  REQUIRE_MESSAGE(!p.ok(), "expected a rejection of:\n" << source);
  return p.error();
}

VerifyError rejected_raw(std::string_view hex) {
  auto code = parse_hex(hex);
  REQUIRE(code.ok());
  auto p = verify_raw(*code, test::core_registry());
  REQUIRE_MESSAGE(!p.ok(), "expected a rejection of " << hex);
  return p.error();
}

TEST_CASE("verifier: accepted programs carry block costs at their leaders") {
  VerifiedProgram p = test::program_from(R"(
    mov64 r0, 0
    jeq r1, 0, end
    mov64 r0, 1
end:
    exit
)");
  const auto costs = p.block_costs();
  REQUIRE(costs.size() == 4);
  CHECK(costs[0] == 2);  // mov, jeq
  CHECK(costs[1] == 0);
  CHECK(costs[2] == 1);  // fall-through block
  CHECK(costs[3] == 1);  // jump target
}

TEST_CASE("verifier: each rule, with its pc") {
  SUBCASE("empty") {
    auto e = rejected_raw("");
    CHECK(e.rule == VerifyRule::EmptyProgram);
  }
  SUBCASE("truncated") {
    auto e = rejected_raw("95 00 00 00 00 00 00 00 95");
    CHECK(e.rule == VerifyRule::TruncatedInstruction);
    CHECK(e.pc == 1);
  }
  SUBCASE("unknown opcode") {
    auto e =
        rejected_raw("b7 00 00 00 00 00 00 00 ff 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::UnknownOpcode);
    CHECK(e.pc == 1);
    CHECK(e.describe() == "pc 1: unknown-opcode: unknown opcode 0xff");
  }
  SUBCASE("atomics") {
    auto e = rejected_raw("db 1a f8 ff 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::UnsupportedInstruction);
    CHECK(e.message.find("atomic") != std::string::npos);
  }
  SUBCASE("legacy packet load") {
    CHECK(rejected_raw("20 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00").rule ==
          VerifyRule::UnsupportedInstruction);
  }
  SUBCASE("lddw pseudo-load") {
    auto e =
        rejected_raw("18 11 00 00 01 00 00 00 00 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::UnsupportedInstruction);
    CHECK(e.message.find("src 1") != std::string::npos);
  }
  SUBCASE("call by BTF id") {
    CHECK(rejected_raw("85 20 00 00 01 00 00 00 95 00 00 00 00 00 00 00").rule ==
          VerifyRule::UnsupportedInstruction);
  }
  SUBCASE("invalid variant: sdiv with offset 2") {
    auto e = rejected_raw("3f 10 02 00 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::InvalidVariant);
    CHECK(e.message == "opcode 0x3f (div64) has offset 2; it must be 0 or 1");
  }
  SUBCASE("non-zero unused field") {
    auto e = rejected_raw("95 00 00 00 01 00 00 00");
    CHECK(e.rule == VerifyRule::NonZeroField);
    CHECK(e.message == "exit uses no immediate, but imm is 1");
  }
  SUBCASE("register above r10") {
    auto e = rejected_raw("bf b0 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::InvalidRegister);
  }
  SUBCASE("write to r10") {
    auto e = rejected("mov64 r10, 0\nexit\n");
    CHECK(e.rule == VerifyRule::WritesFrameRegister);
    CHECK(e.pc == 0);
    CHECK(rejected("ldxdw r10, [r1+0]\nexit\n").rule == VerifyRule::WritesFrameRegister);
  }
  SUBCASE("r10 may be read and used as a base") {
    CHECK(test::run_both("mov64 r0, r10\nstdw [r10-8], 1\nexit\n").ok());
  }
  SUBCASE("division by an immediate zero") {
    auto e = rejected("mov64 r0, 1\ndiv64 r0, 0\nexit\n");
    CHECK(e.rule == VerifyRule::DivisionByZero);
    CHECK(e.pc == 1);
    CHECK(rejected("smod32 r0, 0\nexit\n").rule == VerifyRule::DivisionByZero);
  }
  SUBCASE("lddw without its second slot") {
    auto e = rejected_raw("18 00 00 00 01 00 00 00");
    CHECK(e.rule == VerifyRule::IncompleteWideLoad);
    auto e2 =
        rejected_raw("18 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e2.rule == VerifyRule::IncompleteWideLoad);
    CHECK(e2.pc == 1);
  }
  SUBCASE("jump out of the code") {
    auto e = rejected("mov64 r0, 0\nja +5\nexit\n");
    CHECK(e.rule == VerifyRule::JumpOutOfBounds);
    CHECK(e.pc == 1);
    CHECK(e.message == "ja +5 targets pc 7, outside the code (3 slots)");
    CHECK(rejected("ja -2\nexit\n").rule == VerifyRule::JumpOutOfBounds);
  }
  SUBCASE("jump into the middle of lddw") {
    auto e = rejected("ja +1\nlddw r0, 1\nexit\n");
    CHECK(e.rule == VerifyRule::JumpIntoWideLoad);
    CHECK(e.pc == 0);
  }
  SUBCASE("jump into another function") {
    auto e = rejected(".func main\nja other_label\n.func other\nother_label:\nexit\n");
    CHECK(e.rule == VerifyRule::JumpOutsideFunction);
    CHECK(e.message.find("leaves function `main`") != std::string::npos);
  }
  SUBCASE("call to something other than a function start") {
    auto e = rejected(".func main\ncall +1\nexit\nexit\n");
    CHECK(e.rule == VerifyRule::BadCallTarget);
    CHECK(e.message == "call +1 targets pc 2, which is not the start of a function");
  }
  SUBCASE("raw programs: local call targets become functions") {
    auto e = rejected_raw("85 10 00 00 05 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::BadCallTarget);
  }
  SUBCASE("unknown syscall fails the load, naming it") {
    auto e = rejected("mov64 r0, 0\nsyscall storage.teleport\nexit\n");
    CHECK(e.rule == VerifyRule::UnknownSyscall);
    CHECK(e.pc == 1);
    CHECK(e.message ==
          "the module imports syscall `storage.teleport`, which this node does not provide");
  }
  SUBCASE("raw programs import nothing") {
    auto e = rejected_raw("85 00 00 00 05 00 00 00 95 00 00 00 00 00 00 00");
    CHECK(e.rule == VerifyRule::UnknownSyscall);
    CHECK(e.message.find("syscall #5 is not imported") != std::string::npos);
  }
  SUBCASE("falling off the end of a function") {
    auto e = rejected("mov64 r0, 0\n");
    CHECK(e.rule == VerifyRule::FallsOffEnd);
    auto e2 = rejected(".func main\nmov64 r0, 1\n.func next\nexit\n");
    CHECK(e2.rule == VerifyRule::FallsOffEnd);
    CHECK(e2.pc == 0);
    CHECK(e2.message.find("`main`") != std::string::npos);
  }
  SUBCASE("a conditional jump at the end falls off") {
    CHECK(rejected("loop:\njeq r0, 0, loop\n").rule == VerifyRule::FallsOffEnd);
  }
  SUBCASE("too large") {
    std::vector<uint8_t> code((kMaxInstructions + 1) * 8, 0);
    auto p = verify_raw(code, test::core_registry());
    REQUIRE(!p.ok());
    CHECK(p.error().rule == VerifyRule::ProgramTooLarge);
  }
}

TEST_CASE("verifier: modules built in memory are checked like loaded ones") {
  Module m = test::assemble_ok("exit\n");
  m.functions.push_back({"ghost", 5});
  auto p = verify(m, test::core_registry());
  REQUIRE(!p.ok());
  CHECK(p.error().rule == VerifyRule::BadCallTarget);

  Module m2 = test::assemble_ok("exit\n");
  m2.exports[0].function = 3;
  auto p2 = verify(m2, test::core_registry());
  REQUIRE(!p2.ok());
  CHECK(p2.error().message.find("export `main`") != std::string::npos);
}

TEST_CASE("verifier: VerifiedProgram is move-only") {
  static_assert(!std::is_copy_constructible_v<VerifiedProgram>);
  static_assert(std::is_nothrow_move_constructible_v<VerifiedProgram>);
  static_assert(!std::is_default_constructible_v<VerifiedProgram>);
}

}  // namespace
}  // namespace assent::vm
