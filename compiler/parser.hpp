// The parser: tokens to a Program, by recursive descent (grammar in docs/language.md).
// After a syntax error it skips to the next statement or declaration and goes on, so one
// run reports several independent errors.
#pragma once

#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/token.hpp"

namespace assent::compiler {

// Parses one file's tokens into `program` (declarations accumulate across files).
void parse(std::vector<Token> tokens, Program& program, Diagnostics& diags);

}  // namespace assent::compiler
