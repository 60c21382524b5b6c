// The lexer: source text to tokens. Bad characters and malformed literals are reported and
// skipped, so that parsing continues and further errors are found in the same run.
#pragma once

#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/token.hpp"

namespace assent::compiler {

// The tokens of `file`, ending with one Tok::End.
std::vector<Token> lex(const SourceFile& file, Diagnostics& diags);

}  // namespace assent::compiler
