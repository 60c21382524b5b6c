// The parser's frame: nesting, recovery after an error, and the file's imports and items.
#include "compiler/parser.hpp"

#include "compiler/parser_impl.hpp"

namespace assent::compiler {

ExprPtr Parser::finish(ExprPtr e, Span at) {
  uint32_t below = 0;
  if (e->lhs) below = std::max(below, e->lhs->height);
  if (e->rhs) below = std::max(below, e->rhs->height);
  for (const auto& a : e->args)
    below = std::max(below, a->height);
  for (const auto& f : e->fields)
    if (f.value) below = std::max(below, f.value->height);
  e->height = below + 1;
  if (e->height <= kMaxNesting) return e;
  if (!after_bad_token_ && !nesting_reported_)
    diags_.error(at, too_deep_message("expression"), kTooDeepHint);
  nesting_reported_ = true;
  skip_nested();
  return nullptr;
}

void Parser::skip_nested() {
  std::size_t open = 0;
  while (!at(Tok::End)) {
    const Tok k = peek().kind;
    if (open == 0 && k == Tok::Semi) return;
    if (k == Tok::LParen || k == Tok::LBracket || k == Tok::LBrace) ++open;
    if (k == Tok::RParen || k == Tok::RBracket || k == Tok::RBrace) {
      if (open == 0) return;
      --open;
    }
    advance();
  }
}

namespace {

bool starts_item(Tok k) {
  return k == Tok::KwEnum || k == Tok::KwRecord || k == Tok::KwFn || k == Tok::KwContract ||
         k == Tok::KwInterface || k == Tok::KwImport || k == Tok::KwAction || k == Tok::KwView ||
         k == Tok::KwInit || k == Tok::KwStorage || k == Tok::KwEvent;
}

bool starts_stmt(Tok k) {
  return k == Tok::KwLet || k == Tok::KwVar || k == Tok::KwIf || k == Tok::KwWhile ||
         k == Tok::KwFor || k == Tok::KwReturn || k == Tok::KwRequire || k == Tok::KwEmit ||
         k == Tok::KwBreak || k == Tok::KwContinue;
}

}  // namespace

void Parser::sync_item() {
  after_bad_token_ = false;
  int depth = 0;
  while (!at(Tok::End)) {
    if (depth == 0 && starts_item(peek().kind)) return;
    if (at(Tok::LBrace)) ++depth;
    if (at(Tok::RBrace)) {
      if (depth == 0) return;
      --depth;
    }
    advance();
  }
}

void Parser::sync_stmt() {
  after_bad_token_ = false;
  int depth = 0;
  while (!at(Tok::End)) {
    if (depth == 0 && at(Tok::Semi)) {
      advance();
      return;
    }
    if (depth == 0 && (at(Tok::RBrace) || starts_stmt(peek().kind))) return;
    if (at(Tok::LBrace)) ++depth;
    if (at(Tok::RBrace)) --depth;
    advance();
  }
}

void Parser::file() {
  while (!at(Tok::End)) {
    if (at(Tok::KwImport)) {
      advance();
      Import imp;
      if (ident(imp.name, imp.span, "a module name after `import`") &&
          expect(Tok::Semi, "after the import")) {
        program_.imports.push_back(imp);
        continue;
      }
      sync_item();
      continue;
    }
    item(false);
  }
}

void parse(std::vector<Token> tokens, Program& program, Diagnostics& diags) {
  Parser(tokens, program, diags).file();
}

}  // namespace assent::compiler
