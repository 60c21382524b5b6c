// Fuzz target: any text through the lexer, parser and checker, as a contract and as a test
// file (which may import the reference contracts and use the test built-ins). No input may
// crash or hang the front end; each gets diagnostics (with positions inside the text) or a
// checked program.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/compile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  assent::compiler::CompileOptions test;
  test.test = true;
  test.contracts_dir = ASSENT_CONTRACTS_DIR;
  for (const auto& options : {assent::compiler::CompileOptions{}, test}) {
    const auto result = assent::compiler::check_only("fuzz.assent", text, options);
    if (!result.ok && result.problems.empty()) __builtin_trap();
    for (const auto& p : result.problems)
      if (p.file == "fuzz.assent" && (p.line == 0 || p.message.empty())) __builtin_trap();
  }
  return 0;
}
