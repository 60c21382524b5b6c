// The parser's state and its grammar functions, shared by the files that implement them:
// parser.cpp (token access, nesting, recovery, the file), parser_decls.cpp (declarations
// and types), parser_stmts.cpp (blocks and statements), parser_exprs.cpp (expressions).
// Internal to the parser; the compiler calls `parse` (parser.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/limits.hpp"
#include "compiler/token.hpp"

namespace assent::compiler {

// One parse of one file's tokens into a Program, by recursive descent.
class Parser {
 public:
  Parser(std::vector<Token>& tokens, Program& program, Diagnostics& diags)
      : t_(tokens), program_(program), diags_(diags) {}

  void file();

 private:
  // ---- token access
  const Token& peek(std::size_t ahead = 0) const {
    return t_[std::min(pos_ + ahead, t_.size() - 1)];
  }
  bool at(Tok k) const { return peek().kind == k; }
  const Token& advance() {
    const Token& tok = t_[pos_];
    if (tok.kind == Tok::Error) after_bad_token_ = true;
    if (pos_ + 1 < t_.size()) ++pos_;
    return tok;
  }
  bool accept(Tok k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  bool expect(Tok k, std::string_view context) {
    if (accept(k)) return true;
    error_here("expected " + describe(k) + " " + std::string(context) + ", found " +
               describe(peek().kind));
    return false;
  }
  void error_here(std::string message, std::string hint = {}) {
    // One error per position: recovery may look at the same token again. After a token the
    // lexer could not read (and reported), stay quiet until the next statement.
    if (at(Tok::Error) || after_bad_token_) return;
    if (last_error_pos_ == pos_ && pos_ != 0) return;
    last_error_pos_ = pos_;
    diags_.error(peek().span, std::move(message), std::move(hint));
  }
  bool ident(std::string& out, Span& span, std::string_view what) {
    if (!at(Tok::Ident)) {
      const bool keyword = peek().kind >= Tok::KwAction;
      error_here("expected " + std::string(what) + ", found " + describe(peek().kind),
                 keyword ? describe(peek().kind) + " is a reserved word; choose another name" : "");
      // A keyword in a name's place is a naming mistake: step over it, so that recovery does
      // not take it for the start of a declaration.
      if (keyword) advance();
      return false;
    }
    out = peek().text;
    span = peek().span;
    advance();
    return true;
  }

  // ---- nesting (compiler/limits.hpp): every recursive descent below is bounded, so that no
  // source can exhaust the stack here or in any later pass.
  //
  // One level of nesting, for as long as it lives; past the limit `ok` is false and the
  // error is reported at the token that goes one level too deep.
  struct Level {
    Parser& p;
    bool block;
    bool ok;
    Level(Parser& parser, std::string_view what)
        : p(parser), block(what == "block"), ok(++p.depth_ <= kMaxNesting) {
      if (block) ++p.block_depth_;
      if (!ok) p.too_deep(what);
    }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;
    ~Level() {
      --p.depth_;
      if (block) --p.block_depth_;
    }
  };
  static std::string too_deep_message(std::string_view what) {
    return std::string(what) + " nests deeper than " + std::to_string(kMaxNesting) + " levels";
  }
  static constexpr const char* kTooDeepHint =
      "each parenthesis, operator, call and block is one level; split the code with `let` "
      "bindings or functions";
  void too_deep(std::string_view what) {
    // Mostly blocks: say so, even if an expression took the last level.
    if (!nesting_reported_)
      error_here(too_deep_message(block_depth_ * 2 >= depth_ ? "block" : what), kTooDeepHint);
    nesting_reported_ = true;
    skip_nested();
  }
  // After a nesting error: steps over the rest of the construct, up to the `;` that ends it or
  // the bracket that closes its enclosing level, so that the levels being left report nothing
  // more (one error, not one per level).
  void skip_nested();
  // Sets the height of a node just built from its children's. Chains (`a + b + c`, `x.f.g`,
  // `f(1)(2)`) deepen the tree without deepening the parser's own recursion, so the height is
  // checked here as well: past the limit the node is refused at `at`, its operator.
  ExprPtr finish(ExprPtr e, Span at);

  // ---- recovery (parser.cpp)
  void sync_item();
  void sync_stmt();

  // ---- declarations (parser_decls.cpp)
  void item(bool in_contract);
  void enum_decl();
  void record_decl();
  void interface_decl();
  void contract_decl();
  void storage_block(ContractDecl& c);
  void event_decl(ContractDecl& c);
  std::unique_ptr<FnDecl> fn_decl(FnKind kind, bool in_contract);
  bool params(std::vector<Param>& out, bool event);
  bool type(TypeExpr& out);

  // ---- statements (parser_stmts.cpp)
  bool block(std::vector<StmtPtr>& out);
  StmtPtr stmt();
  StmtPtr if_stmt();

  // ---- expressions (parser_exprs.cpp)
  ExprPtr expr() { return binary(0); }
  ExprPtr expr_no_struct() {
    const bool saved = no_struct_;
    no_struct_ = true;
    ExprPtr e = expr();
    no_struct_ = saved;
    return e;
  }
  ExprPtr binary(int min_prec);
  ExprPtr unary();
  ExprPtr postfix();
  ExprPtr primary();
  bool call_args(std::vector<ExprPtr>& out, Tok close);

  std::vector<Token>& t_;
  Program& program_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
  std::size_t last_error_pos_ = SIZE_MAX;
  bool no_struct_ = false;  // inside if/while/for heads, `x {` starts a block
  bool after_bad_token_ = false;
  std::size_t depth_ = 0;        // levels of Level now alive
  std::size_t block_depth_ = 0;  // those of them that are blocks
  // One nesting error per declaration: what follows a skipped construct is often as deep.
  bool nesting_reported_ = false;
};

}  // namespace assent::compiler
