// Tokens of the Assent language (docs/language.md, "Lexical structure").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/source.hpp"

namespace assent::compiler {

// clang-format off
#define ASSENT_KEYWORDS(X) \
  X(Action, "action") X(Break, "break") X(Caller, "caller") X(Continue, "continue")      \
  X(Contract, "contract") X(Else, "else") X(Emit, "emit") X(Enum, "enum")                  \
  X(Event, "event") X(False, "false") X(Fn, "fn") X(For, "for") X(If, "if")                \
  X(Import, "import") X(In, "in") X(Indexed, "indexed") X(Init, "init")                    \
  X(Interface, "interface") X(Let, "let") X(Now, "now") X(Record, "record")                \
  X(Require, "require") X(Return, "return") X(Storage, "storage") X(This, "this")          \
  X(True, "true") X(Var, "var") X(View, "view") X(While, "while")
// clang-format on

enum class Tok : uint8_t {
  End,
  Error,
  Ident,
  Int,
  Duration,
  String,
  HexBytes,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Semi,
  Colon,
  Dot,
  DotDot,
  Arrow,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Shl,
  Shr,
  Bang,
  AmpAmp,
  PipePipe,
  Assign,
  EqEq,
  NotEq,
  Lt,
  Le,
  Gt,
  Ge,
  PlusEq,
  MinusEq,
  StarEq,
  SlashEq,
  PercentEq,
#define ASSENT_KW_ENUM(name, text) Kw##name,
  ASSENT_KEYWORDS(ASSENT_KW_ENUM)
#undef ASSENT_KW_ENUM
};

struct Token {
  Tok kind = Tok::End;
  Span span;
  std::string text;      // identifier, literal digits, or the decoded string/bytes value
  uint64_t seconds = 0;  // Duration: the value in seconds
};

// `==`, `!=`, `<`, `<=`, `>`, `>=`: a bool from two values of one type, not chained.
constexpr bool is_comparison(Tok k) {
  return k == Tok::EqEq || k == Tok::NotEq || k == Tok::Lt || k == Tok::Le || k == Tok::Gt ||
         k == Tok::Ge;
}

// How a token is written, for messages: "`;`", "identifier", "end of file".
std::string describe(Tok kind);

}  // namespace assent::compiler
