// Internal to the compiler: the state of a front-end run, which owns the source files that
// diagnostics and the tree point into.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/compile.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/types.hpp"

namespace assent::compiler {

struct Frontend {
  std::vector<std::unique_ptr<SourceFile>> files;
  Diagnostics diags;
  Program program;
  Types types;

  // Reads, parses and checks; true when there is no error.
  bool run(const std::string& file, const std::string& text, const CompileOptions& options);
  void report(Compilation& out) const;
};

std::string default_stdlib_dir();

}  // namespace assent::compiler
