// The compiler survives any source (docs/language.md, "Limits"): inputs too large to keep as
// files of tests/lang are generated here. Each gets one diagnostic at the place that crosses
// a limit, quickly, and never a crash (these used to overflow the stack or run for minutes).
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "compiler/compile.hpp"
#include "compiler/limits.hpp"

using namespace assent;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

struct Refused {
  std::string message;
  uint32_t line = 0, column = 0;
  double seconds = 0;
};

// Compiles `text`; expects exactly one error, and returns it.
Refused refuse(const std::string& text) {
  const auto start = std::chrono::steady_clock::now();
  const auto c = compiler::compile("limits.assent", text);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(c.ok);
  REQUIRE_MESSAGE(c.problems.size() == 1, c.diagnostics.substr(0, 2000));
  return {c.problems[0].message, c.problems[0].line, c.problems[0].column, took.count()};
}

const std::string kTooDeep = "expression nests deeper than 256 levels";

}  // namespace

TEST_CASE("limits: 20,000 nested parentheses") {
  const auto r = refuse("fn main() -> u64 {\n  return " + repeat("(", 20000) + "1" +
                        repeat(")", 20000) + ";\n}\n");
  CHECK(r.message == kTooDeep);
  CHECK(r.line == 2);
  // At the 256th `(`, column 10 + 255: the function's block and the returned expression are
  // one level each.
  CHECK(r.column == 10 + compiler::kMaxNesting - 1);
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: 5,000 nested calls") {
  const auto r = refuse("fn f(x: u64) -> u64 { return x; }\nfn main() -> u64 {\n  return " +
                        repeat("f(", 5000) + "1" + repeat(")", 5000) + ";\n}\n");
  CHECK(r.message == kTooDeep);
  CHECK(r.line == 3);
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: 100,000 unary minus") {
  const auto r = refuse("fn main() -> i64 {\n  return " + repeat("-", 100000) + "1;\n}\n");
  CHECK(r.message == kTooDeep);
  CHECK(r.line == 2);
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: a sum of 30,000 terms is refused at its 256th `+`; 256 terms compile") {
  auto sum = [](std::size_t terms) {
    return "fn main() -> u64 {\n  return 1" + repeat(" + 1", terms - 1) + ";\n}\n";
  };
  const auto r = refuse(sum(30000));
  CHECK(r.message == kTooDeep);
  CHECK(r.line == 2);
  CHECK(r.column == 8 + 4 * compiler::kMaxNesting);  // the 256th `+`, whose tree is 257 deep
  CHECK(r.seconds < 10);
  const auto ok = compiler::compile("limits.assent", sum(compiler::kMaxNesting));
  CHECK_MESSAGE(ok.ok, ok.diagnostics);
}

TEST_CASE("limits: chains of members, calls and indexes") {
  for (const char* link : {".a", "(1)", "[0]"}) {
    CAPTURE(link);
    const auto r = refuse("fn main() -> u64 {\n  return x" + repeat(link, 30000) + ";\n}\n");
    CHECK(r.message == kTooDeep);
    CHECK(r.seconds < 10);
  }
}

TEST_CASE("limits: 20,000 nested blocks, a chain of 20,000 else-ifs, 20,000 nested types") {
  auto r = refuse("fn main() -> u64 {\n" + repeat("if true { ", 20000) + "return 1;" +
                  repeat(" }", 20000) + "\n  return 0;\n}\n");
  CHECK(r.message == "block nests deeper than 256 levels");
  CHECK(r.seconds < 10);
  std::string chain = "fn main() -> u64 {\n  let x: u64 = 1;\n  if x == 0 { return 0; }";
  for (int i = 1; i < 20000; ++i)
    chain += " else if x == " + std::to_string(i) + " { return 1; }";
  r = refuse(chain + "\n  return 9;\n}\n");
  CHECK(r.message == "block nests deeper than 256 levels");
  CHECK(r.seconds < 10);
  r = refuse("fn f(x: " + repeat("list<", 20000) + "u64" + repeat(">", 20000) +
             ") -> u64 { return 1; }\nfn main() -> u64 { return 1; }\n");
  CHECK(r.message == "type nests deeper than 256 levels");
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: 20,000 views fail at once, at the first past the function table") {
  std::string text = "contract C {\n";
  for (int i = 0; i < 20000; ++i)
    text += "  view v" + std::to_string(i) + "() -> u64 { return " + std::to_string(i) + "; }\n";
  const auto r = refuse(text + "}\n");
  CHECK(r.message == "this is the 4097th function (fn, action, view or init); the limit is 4096");
  CHECK(r.line == 2 + compiler::kMaxDeclarations);
  CHECK(r.column == 8);
  CHECK(r.seconds < 10);  // 37 s and 489 MB before the limit was checked early
}

TEST_CASE("limits: code past the module's instructions names the action that crosses it") {
  // 80 actions of 20 events of eight u256 fields: within the code's nodes (15,760), over the
  // module's instructions (about 78,000).
  std::string text =
      "contract C {\n  event E(a: u256, b: u256, c: u256, d: u256, e: u256, "
      "f: u256, g: u256, h: u256);\n";
  for (int i = 0; i < 80; ++i)
    text += "  action a" + std::to_string(i) + "(x: u256) {\n" +
            repeat("    emit E(x, x, x, x, x, x, x, x);\n", 20) + "  }\n";
  const auto r = refuse(text + "}\n");
  CHECK(r.message.find("instructions; the limit is 65536") != std::string::npos);
  CHECK(r.line > 1000);  // at an action's declaration, not line 0
  CHECK(r.column == 10);
  MESSAGE("refused after code generation in " << r.seconds << " s");
  CHECK(r.seconds < 10);
}

namespace {

// One view of `lets` lines `let vI = x + I;`: each is a checked addition of the same
// parameter, which LLVM's InstCombine compares with every check before it (quadratic).
std::string one_view_of_lets(int lets) {
  std::string text = "contract C {\n  view f(x: u64) -> u64 {\n";
  for (int i = 0; i < lets; ++i)
    text += "    let v" + std::to_string(i) + " = x + " + std::to_string(i) + ";\n";
  return text + "    return x;\n  }\n}\n";
}

}  // namespace

TEST_CASE("limits: one view of 8,000 checked additions is refused at once, at the 508th") {
  const auto r = refuse(one_view_of_lets(8000));
  CHECK(r.message == "the code of `f` passes the limit of 2048 nodes per function here");
  // The view counts 16 + 1 (its parameter); each `let vI = x + I;` is 4 nodes: the 508th let
  // (line 3 + 507) crosses 2048.
  CHECK(r.line == 3 + 507);
  CHECK(r.column == 5);
  MESSAGE("refused in " << r.seconds << " s (41 s to compile before the limit)");
  CHECK(r.seconds < 10);
  // Within the limit, the same view compiles, quickly.
  const auto start = std::chrono::steady_clock::now();
  const auto ok = compiler::compile("limits.assent", one_view_of_lets(500));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK_MESSAGE(ok.ok, ok.diagnostics.substr(0, 2000));
  MESSAGE("500 additions compiled in " << took.count() << " s");
  CHECK(took.count() < 10);
}

TEST_CASE("limits: 4,000 one-line views are refused at once, where the program's code passes") {
  std::string text = "contract C {\n";
  for (int i = 0; i < 4000; ++i)
    text += "  view v" + std::to_string(i) + "() -> u64 { return " + std::to_string(i) + "; }\n";
  const auto r = refuse(text + "}\n");
  CHECK(r.message == "the program's code passes the limit of 16384 nodes here");
  // Each view is 16 + 2 nodes (`return` and its literal): the 911th (line 912) crosses 16384,
  // at its declaration.
  CHECK(r.line == 912);
  CHECK(r.column == 8);
  MESSAGE("refused in " << r.seconds << " s (6.6 s before the limit)");
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: a loop counts 32 nodes more; the limit is reported at the statement") {
  // 8 views of 48 loops: within the limits (15,500 nodes), they compile quickly.
  auto views = [](int loops) {
    std::string text = "contract C {\n";
    for (int v = 0; v < 8; ++v)
      text += "  view f" + std::to_string(v) + "(x: u64) -> u64 {\n    var s: u64 = 0;\n" +
              repeat("    for i in 0..20 { s += x + i; }\n", loops) + "    return s;\n  }\n";
    return text + "}\n";
  };
  const auto start = std::chrono::steady_clock::now();
  const auto ok = compiler::compile("limits.assent", views(48));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK_MESSAGE(ok.ok, ok.diagnostics.substr(0, 2000));
  MESSAGE("8 views of 48 loops compiled in " << took.count() << " s");
  CHECK(took.count() < 10);
  // 200 loops in one view (37 s for eight such views when LLVM unrolled them): the view's
  // 17 nodes, `var s` (2), then 40 per loop: the 51st loop, on line 4 + 50, crosses 2048.
  const auto r =
      refuse("contract C {\n  view f(x: u64) -> u64 {\n    var s: u64 = 0;\n" +
             repeat("    for i in 0..20 { s += x + i; }\n", 200) + "    return s;\n  }\n}\n");
  CHECK(r.message == "the code of `f` passes the limit of 2048 nodes per function here");
  CHECK(r.line == 4 + 50);
  CHECK(r.seconds < 10);
}

TEST_CASE("limits: a 100-byte name, and literals past the read-only data") {
  auto r = refuse("contract C {\n  view " + std::string(100, 'a') + "() -> u64 { return 1; }\n}\n");
  CHECK(r.message == "function name `aaaaaaaaaaaaaaaa...` is 100 bytes long; the limit is 64");
  CHECK(r.line == 2);
  CHECK(r.column == 8);
  r = refuse("fn main() -> string {\n  return \"" +
             std::string(compiler::kMaxRodataBytes + 1, 'x') + "\";\n}\n");
  CHECK(r.message ==
        "string and bytes literals pass the limit of 1048576 bytes of read-only data here");
  CHECK(r.line == 2);
  CHECK(r.column == 10);
}
