// One compilation: source text to a verified-ready .acm module, with diagnostics.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vm/module.hpp"

namespace assent::compiler {

struct CompileOptions {
  int opt_level = 2;       // 0, 1 or 2
  std::string stdlib_dir;  // where `import name;` finds name.assent; empty: the built-in path
  bool want_llvm_ir = false;
  bool want_assembly = false;
  // A test file (`assent test`): test built-ins (set_caller, advance_time, expect_revert, ...)
  // are allowed, and `import name;` also finds the contract `name.assent` in `contracts_dir`
  // (empty: the directory of the file), which the test can deploy and call.
  bool test = false;
  std::string contracts_dir;
};

struct Problem {  // one diagnostic, for tests and tools
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

struct Compilation {
  bool ok = false;
  std::string diagnostics;  // rendered for people, empty when ok
  std::vector<Problem> problems;
  vm::Module module;
  std::vector<uint8_t> bytes;  // the encoded module
  std::string llvm_ir;         // optimised IR, when asked for
  std::string assembly;        // BPF assembly, when asked for
};

// Compiles `text`, named `file` in messages. Never throws for bad input: every problem is a
// diagnostic. The same input gives byte-identical modules.
Compilation compile(const std::string& file, const std::string& text,
                    const CompileOptions& options = {});

// Only the front end (lexer, parser, checker): no LLVM. For the fuzzer and editors.
Compilation check_only(const std::string& file, const std::string& text,
                       const CompileOptions& options = {});

inline constexpr const char* kCompilerVersion = "assentc 0.1.0";

}  // namespace assent::compiler
