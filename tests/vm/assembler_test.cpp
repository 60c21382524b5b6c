// The assembler: syntax, labels, directives, and errors that point at line and column.
#include <doctest/doctest.h>

#include "vm/disassembler.hpp"
#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

AsmError asm_error(std::string_view source) {
  auto m = assemble(source);
  REQUIRE_MESSAGE(!m.ok(), "expected an error for:\n" << source);
  return m.error();
}

TEST_CASE("assembler: functions, exports, imports and rodata") {
  Module m = test::assemble_ok(R"(
.rodata a "xy"
.rodata b hex "0a0b"
.import vm.abort
.export alias view helper
.func main action
    lddw r1, b
    syscall vm.set_return
    call helper
    exit
.func helper
    exit
)");
  CHECK(m.rodata == std::vector<uint8_t>{'x', 'y', 0x0a, 0x0b});
  CHECK(m.imports == std::vector<std::string>{"vm.abort", "vm.set_return"});
  REQUIRE(m.functions.size() == 2);
  CHECK(m.functions[1].entry == 5);
  REQUIRE(m.exports.size() == 2);
  CHECK(m.exports[0].name == "alias");  // in source order
  CHECK(m.exports[0].kind == ExportKind::View);
  CHECK(m.exports[0].function == 1);
  CHECK(m.exports[1].name == "main");
  CHECK(m.exports[1].kind == ExportKind::Action);
  // lddw of `b` loads the address of offset 2 of read-only data.
  CHECK(m.code[4] == 0x02);
  CHECK(m.code[5] == 0x00);
  CHECK(m.code[8 + 4] == 0x01);  // high half: region 1
}

TEST_CASE("assembler: the listing of a module assembles back to the same module") {
  Module m = test::assemble_ok(R"(
.rodata s "abc"
.func main view
    mov64 r0, 0
top:
    jsgt r0, 10, out
    add32 r0, -1
    lddw r1, s
    syscall vm.abort
    call f
    ja top
out:
    exit
.func f
    gotol +0
    exit
)");
  const std::string listing = disassemble(m);
  auto again = assemble(listing);
  REQUIRE_MESSAGE(again.ok(), again.error().describe("listing") << "\n" << listing);
  CHECK(again->code == m.code);
  CHECK(again->functions == m.functions);
  CHECK(again->imports == m.imports);
  CHECK(again->exports == m.exports);
  CHECK(again->rodata == m.rodata);
}

TEST_CASE("assembler: errors name the line and column") {
  auto e = asm_error("mov64 r0, 1\n  frobnicate r1\n");
  CHECK(e.line == 2);
  CHECK(e.column == 3);
  CHECK(e.describe("x.s") == "x.s:2:3: error: unknown instruction `frobnicate`");

  e = asm_error("ja nowhere\n");
  CHECK(e.line == 1);
  CHECK(e.column == 4);
  CHECK(e.message == "unknown label `nowhere`");

  e = asm_error("x:\nx:\nexit\n");
  CHECK(e.line == 2);
}

TEST_CASE("assembler: each mistake gets its own message") {
  struct Case {
    const char* source;
    const char* message;
  };
  const Case cases[] = {
      {"add64 r0, [r1+0]\n", "bad operands for `add64`; expected\n  add64 rD, IMM\n  add64 rD, rS"},
      {"call nobody\nexit\n", "unknown function `nobody`"},
      {"mov64 r0, 0x1ffffffff\n", "immediate 0x1ffffffff does not fit in 32 bits"},
      {"ldxdw r0, [r11+0]\n", "expected a register inside `[...]`, e.g. [r10-8]"},
      {"ldxdw r0, [r1+40000]\n", "displacement 40000 does not fit in 16 bits"},
      {".func a\nexit\n.func a\nexit\n", "function `a` is defined twice"},
      {".rodata s \"unterminated\n", "unterminated string"},
      {"lddw r1, missing\n", "unknown .rodata symbol `missing`"},
      {".func a\n.func b\nexit\n", "function `a` has no instructions"},
      {".bogus\n", "unknown directive `.bogus`"},
      {"mov64 r0 1\n", "expected a comma before this operand"},
      {"jeq r1, 0, +40000\nexit\n", "offset +40000 does not fit in 16 bits"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.source);
    CHECK(asm_error(c.source).message == c.message);
  }
}

TEST_CASE("assembler: numbers in decimal, hex and negative; .raw slots") {
  Module m = test::assemble_ok("mov32 r0, 0xffffffff\nmov64 r1, -2\n.raw \"9500000000000000\"\n");
  CHECK(m.code[4] == 0xff);
  CHECK(m.code[7] == 0xff);
  CHECK(m.code[8 + 4] == 0xfe);
  CHECK(m.code[16] == 0x95);
}

}  // namespace
}  // namespace assent::vm
