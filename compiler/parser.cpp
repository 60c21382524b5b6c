#include "compiler/parser.hpp"

#include <algorithm>

#include "compiler/limits.hpp"

namespace assent::compiler {

namespace {

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

  // ---- recovery
  void sync_item();
  void sync_stmt();

  // ---- declarations
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

  // ---- statements
  bool block(std::vector<StmtPtr>& out);
  StmtPtr stmt();
  StmtPtr if_stmt();

  // ---- expressions
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

ExprPtr make_expr(ExprKind kind, Span span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

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

void Parser::item(bool in_contract) {
  const std::size_t start = pos_;
  nesting_reported_ = false;
  switch (peek().kind) {
    case Tok::KwEnum:
      enum_decl();
      break;
    case Tok::KwRecord:
      record_decl();
      break;
    case Tok::KwInterface:
      interface_decl();
      break;
    case Tok::KwFn: {
      advance();
      if (auto f = fn_decl(FnKind::Fn, in_contract)) program_.fns.push_back(std::move(f));
      break;
    }
    case Tok::KwContract:
      if (in_contract) {
        error_here("a contract cannot contain another contract");
        advance();
        accept(Tok::Ident);
        if (at(Tok::LBrace)) {  // skip the inner contract whole
          int depth = 0;
          do {
            if (at(Tok::LBrace)) ++depth;
            if (at(Tok::RBrace)) --depth;
            advance();
          } while (depth > 0 && !at(Tok::End));
        }
        break;
      }
      contract_decl();
      break;
    case Tok::KwAction:
    case Tok::KwView:
    case Tok::KwInit:
    case Tok::KwStorage:
    case Tok::KwEvent:
      if (!in_contract) {
        error_here(describe(peek().kind) + " declarations belong inside a contract",
                   "put it in `contract Name { ... }`");
        advance();
        sync_item();
        return;
      }
      [[fallthrough]];
    default:
      if (in_contract) {
        auto& c = *program_.contract;
        if (at(Tok::KwStorage)) {
          storage_block(c);
          break;
        }
        if (at(Tok::KwEvent)) {
          event_decl(c);
          break;
        }
        if (at(Tok::KwAction) || at(Tok::KwView) || at(Tok::KwInit)) {
          const Tok k = advance().kind;
          const FnKind kind = k == Tok::KwAction ? FnKind::Action
                              : k == Tok::KwView ? FnKind::View
                                                 : FnKind::Init;
          if (auto f = fn_decl(kind, true)) program_.fns.push_back(std::move(f));
          break;
        }
      }
      error_here("expected a declaration, found " + describe(peek().kind),
                 in_contract ? "a contract holds enum, record, storage, event, init, action, view "
                               "and fn declarations"
                             : "a file holds import, enum, record, interface, fn and contract "
                               "declarations");
      advance();
      sync_item();
      return;
  }
  if (pos_ == start) {  // nothing consumed: make progress
    advance();
    sync_item();
  }
}

void Parser::enum_decl() {
  advance();
  auto e = std::make_unique<EnumDecl>();
  if (!ident(e->name, e->span, "an enum name") || !expect(Tok::LBrace, "to open the enum")) {
    sync_item();
    return;
  }
  while (!at(Tok::RBrace) && !at(Tok::End)) {
    std::string name;
    Span span;
    if (!ident(name, span, "an enum variant")) {
      sync_item();
      return;
    }
    e->variants.push_back({name, span});
    if (!accept(Tok::Comma)) break;
  }
  if (!expect(Tok::RBrace, "to close the enum")) {
    sync_item();
    return;
  }
  program_.enums.push_back(std::move(e));
}

void Parser::record_decl() {
  advance();
  auto r = std::make_unique<RecordDecl>();
  if (!ident(r->name, r->span, "a record name") || !expect(Tok::LBrace, "to open the record")) {
    sync_item();
    return;
  }
  while (!at(Tok::RBrace) && !at(Tok::End)) {
    Param f;
    if (!ident(f.name, f.span, "a field name") || !expect(Tok::Colon, "after the field name") ||
        !type(f.type)) {
      sync_item();
      return;
    }
    r->fields.push_back(std::move(f));
    if (!accept(Tok::Comma) && !accept(Tok::Semi)) break;
  }
  if (!expect(Tok::RBrace, "to close the record")) {
    sync_item();
    return;
  }
  program_.records.push_back(std::move(r));
}

void Parser::interface_decl() {
  advance();
  auto i = std::make_unique<InterfaceDecl>();
  if (!ident(i->name, i->span, "an interface name") ||
      !expect(Tok::LBrace, "to open the interface")) {
    sync_item();
    return;
  }
  while (!at(Tok::RBrace) && !at(Tok::End)) {
    InterfaceMethod m;
    if (accept(Tok::KwView)) {
      m.kind = FnKind::View;
    } else if (accept(Tok::KwAction)) {
      m.kind = FnKind::Action;
    } else {
      error_here("expected `view` or `action` in an interface, found " + describe(peek().kind),
                 "an interface lists the views and actions of another contract");
      // Skip this member and go on with the next.
      while (!at(Tok::Semi) && !at(Tok::RBrace) && !at(Tok::End))
        advance();
      accept(Tok::Semi);
      continue;
    }
    if (!ident(m.name, m.span, "a method name") || !params(m.params, false)) {
      sync_item();
      return;
    }
    if (accept(Tok::Arrow)) {
      m.result.emplace();
      if (!type(*m.result)) {
        sync_item();
        return;
      }
    }
    if (!expect(Tok::Semi, "after an interface method")) {
      sync_item();
      return;
    }
    i->methods.push_back(std::move(m));
  }
  expect(Tok::RBrace, "to close the interface");
  program_.interfaces.push_back(std::move(i));
}

void Parser::contract_decl() {
  advance();
  auto c = std::make_unique<ContractDecl>();
  if (!ident(c->name, c->span, "a contract name") || !expect(Tok::LBrace, "to open the contract")) {
    sync_item();
    return;
  }
  if (program_.contract) {
    diags_.error(c->span, "a file may hold one contract; `" + program_.contract->name +
                              "` is already declared");
  }
  program_.contract = std::move(c);
  while (!at(Tok::RBrace) && !at(Tok::End))
    item(true);
  expect(Tok::RBrace, "to close the contract");
}

void Parser::storage_block(ContractDecl& c) {
  advance();
  if (!expect(Tok::LBrace, "to open the storage block")) {
    sync_item();
    return;
  }
  while (!at(Tok::RBrace) && !at(Tok::End)) {
    auto f = std::make_unique<StorageField>();
    if (!ident(f->name, f->span, "a storage field name") ||
        !expect(Tok::Colon, "after the field name") || !type(f->type)) {
      sync_stmt();
      continue;
    }
    c.storage.push_back(std::move(f));
    if (!accept(Tok::Semi) && !accept(Tok::Comma) && !at(Tok::RBrace)) {
      error_here("expected `;` after a storage field, found " + describe(peek().kind));
      sync_stmt();
    }
  }
  expect(Tok::RBrace, "to close the storage block");
}

void Parser::event_decl(ContractDecl& c) {
  advance();
  auto e = std::make_unique<EventDecl>();
  if (!ident(e->name, e->span, "an event name") || !params(e->params, true) ||
      !expect(Tok::Semi, "after the event")) {
    sync_item();
    return;
  }
  c.events.push_back(std::move(e));
}

std::unique_ptr<FnDecl> Parser::fn_decl(FnKind kind, bool in_contract) {
  auto f = std::make_unique<FnDecl>();
  f->kind = kind;
  f->in_contract = in_contract;
  if (kind == FnKind::Init) {
    f->name = "init";
    f->span = t_[pos_ - 1].span;
  } else if (!ident(f->name, f->span, "a function name")) {
    sync_item();
    return nullptr;
  }
  if (!params(f->params, false)) {
    sync_item();
    return nullptr;
  }
  if (accept(Tok::Arrow)) {
    f->result.emplace();
    if (!type(*f->result)) {
      sync_item();
      return nullptr;
    }
  }
  if (!block(f->body)) return f;  // a body with errors still declares the function
  return f;
}

bool Parser::params(std::vector<Param>& out, bool event) {
  if (!expect(Tok::LParen, "to open the parameter list")) return false;
  while (!at(Tok::RParen) && !at(Tok::End)) {
    Param p;
    if (event && accept(Tok::KwIndexed)) p.indexed = true;
    if (!ident(p.name, p.span, "a parameter name") ||
        !expect(Tok::Colon, "after the parameter name") || !type(p.type))
      return false;
    out.push_back(std::move(p));
    if (!accept(Tok::Comma)) break;
  }
  return expect(Tok::RParen, "to close the parameter list");
}

bool Parser::type(TypeExpr& out) {
  out.span = peek().span;
  const Level level(*this, "type");
  if (!level.ok) return false;
  if (accept(Tok::LParen)) {
    do {
      TypeExpr member;
      if (!type(member)) return false;
      out.args.push_back(std::move(member));
    } while (accept(Tok::Comma));
    out.span = out.span.to(peek().span);
    return expect(Tok::RParen, "to close the tuple type");
  }
  if (!ident(out.name, out.span, "a type")) return false;
  if (accept(Tok::Lt)) {
    do {
      TypeExpr arg;
      if (!type(arg)) return false;
      out.args.push_back(std::move(arg));
    } while (accept(Tok::Comma));
    out.span = out.span.to(peek().span);
    // `>>` closes two argument lists at once: split it.
    if (at(Tok::Shr)) {
      Token& tok = t_[pos_];
      tok.kind = Tok::Gt;
      tok.span.begin += 1;
      return true;
    }
    return expect(Tok::Gt, "to close the type arguments");
  }
  return true;
}

bool Parser::block(std::vector<StmtPtr>& out) {
  const Level level(*this, "block");
  if (!level.ok) return false;
  if (!expect(Tok::LBrace, "to open a block")) return false;
  while (!at(Tok::RBrace) && !at(Tok::End)) {
    const std::size_t start = pos_;
    if (StmtPtr s = stmt()) {
      out.push_back(std::move(s));
      after_bad_token_ = false;
    } else {
      sync_stmt();
    }
    if (pos_ == start) advance();
  }
  return expect(Tok::RBrace, "to close the block");
}

StmtPtr Parser::stmt() {
  auto s = std::make_unique<Stmt>();
  s->span = peek().span;
  switch (peek().kind) {
    case Tok::KwLet:
    case Tok::KwVar: {
      s->kind = advance().kind == Tok::KwLet ? StmtKind::Let : StmtKind::Var;
      if (!ident(s->name, s->name_span, "a name")) return nullptr;
      if (accept(Tok::Colon)) {
        s->declared.emplace();
        if (!type(*s->declared)) return nullptr;
      }
      if (!expect(Tok::Assign, "in a binding") || !(s->value = expr())) return nullptr;
      if (s->kind == StmtKind::Let && accept(Tok::KwElse)) {
        s->has_else = true;
        if (!block(s->body)) return nullptr;
        accept(Tok::Semi);
        return s;
      }
      if (!expect(Tok::Semi, "after the binding")) return nullptr;
      return s;
    }
    case Tok::KwIf:
      return if_stmt();
    case Tok::KwWhile:
      advance();
      s->kind = StmtKind::While;
      if (!(s->cond = expr_no_struct()) || !block(s->body)) return nullptr;
      return s;
    case Tok::KwFor:
      advance();
      s->kind = StmtKind::For;
      if (!ident(s->name, s->name_span, "a loop variable") ||
          !expect(Tok::KwIn, "after the loop variable") || !(s->value = expr_no_struct()))
        return nullptr;
      if (accept(Tok::DotDot) && !(s->range_end = expr_no_struct())) return nullptr;
      if (!block(s->body)) return nullptr;
      return s;
    case Tok::KwReturn:
      advance();
      s->kind = StmtKind::Return;
      if (!at(Tok::Semi) && !(s->value = expr())) return nullptr;
      if (!expect(Tok::Semi, "after return")) return nullptr;
      return s;
    case Tok::KwBreak:
    case Tok::KwContinue:
      s->kind = advance().kind == Tok::KwBreak ? StmtKind::Break : StmtKind::Continue;
      if (!expect(Tok::Semi, "after " + describe(t_[pos_ - 1].kind))) return nullptr;
      return s;
    case Tok::KwRequire:
      advance();
      s->kind = StmtKind::Require;
      if (!expect(Tok::LParen, "after require") || !(s->cond = expr()) ||
          !expect(Tok::Comma, "between the condition and the message") || !(s->message = expr()) ||
          !expect(Tok::RParen, "to close require") || !expect(Tok::Semi, "after require(...)"))
        return nullptr;
      return s;
    case Tok::KwEmit:
      advance();
      s->kind = StmtKind::Emit;
      if (!ident(s->name, s->name_span, "an event name after emit") ||
          !expect(Tok::LParen, "after the event name") || !call_args(s->args, Tok::RParen) ||
          !expect(Tok::RParen, "to close the event's values") || !expect(Tok::Semi, "after emit"))
        return nullptr;
      return s;
    default:
      break;
  }
  ExprPtr e = expr();
  if (!e) return nullptr;
  switch (peek().kind) {
    case Tok::Assign:
    case Tok::PlusEq:
    case Tok::MinusEq:
    case Tok::StarEq:
    case Tok::SlashEq:
    case Tok::PercentEq:
      s->kind = StmtKind::Assign;
      s->op = advance().kind;
      s->target = std::move(e);
      if (!(s->value = expr())) return nullptr;
      break;
    default:
      s->kind = StmtKind::ExprStmt;
      s->value = std::move(e);
  }
  if (!expect(Tok::Semi, "after the statement")) return nullptr;
  return s;
}

StmtPtr Parser::if_stmt() {
  auto s = std::make_unique<Stmt>();
  s->span = advance().span;
  s->kind = StmtKind::If;
  if (!(s->cond = expr_no_struct()) || !block(s->body)) return nullptr;
  if (accept(Tok::KwElse)) {
    s->has_else = true;
    if (at(Tok::KwIf)) {
      // `else if` nests the second `if` in the first's else branch: one level each.
      const Level level(*this, "block");
      if (!level.ok) return nullptr;
      StmtPtr nested = if_stmt();
      if (!nested) return nullptr;
      s->else_body.push_back(std::move(nested));
    } else if (!block(s->else_body)) {
      return nullptr;
    }
  }
  return s;
}

int precedence(Tok k) {
  switch (k) {
    case Tok::PipePipe:
      return 1;
    case Tok::AmpAmp:
      return 2;
    case Tok::EqEq:
    case Tok::NotEq:
    case Tok::Lt:
    case Tok::Le:
    case Tok::Gt:
    case Tok::Ge:
    case Tok::KwIn:
      return 3;
    case Tok::Pipe:
      return 4;
    case Tok::Caret:
      return 5;
    case Tok::Amp:
      return 6;
    case Tok::Shl:
    case Tok::Shr:
      return 7;
    case Tok::Plus:
    case Tok::Minus:
      return 8;
    case Tok::Star:
    case Tok::Slash:
    case Tok::Percent:
      return 9;
    default:
      return 0;
  }
}

ExprPtr Parser::binary(int min_prec) {
  ExprPtr lhs = unary();
  if (!lhs) return nullptr;
  for (;;) {
    const Tok op = peek().kind;
    const int prec = precedence(op);
    if (prec == 0 || prec <= min_prec) return lhs;
    const Span op_span = advance().span;
    ExprPtr rhs = binary(prec);
    if (!rhs) return nullptr;
    auto e = make_expr(ExprKind::Binary, lhs->span.to(rhs->span));
    e->op = op;
    e->lhs = std::move(lhs);
    e->rhs = std::move(rhs);
    if (!(lhs = finish(std::move(e), op_span))) return nullptr;
    // Comparisons do not chain: `a < b < c` is a mistake, not a bool compared with c.
    if (prec == 3 && precedence(peek().kind) == 3) {
      error_here("comparisons cannot be chained", "combine them with `&&`");
      return nullptr;
    }
  }
}

ExprPtr Parser::unary() {
  // Every operand comes through here: each `(`, unary operator, argument, index and literal
  // member is one level.
  const Level level(*this, "expression");
  if (!level.ok) return nullptr;
  if (at(Tok::Bang) || at(Tok::Minus)) {
    const Token& op = advance();
    ExprPtr operand = unary();
    if (!operand) return nullptr;
    auto e = make_expr(ExprKind::Unary, op.span.to(operand->span));
    e->op = op.kind;
    e->lhs = std::move(operand);
    return finish(std::move(e), op.span);
  }
  return postfix();
}

ExprPtr Parser::postfix() {
  ExprPtr e = primary();
  while (e) {
    const Span op_span = peek().span;
    if (accept(Tok::Dot)) {
      auto m = make_expr(ExprKind::Member, e->span);
      Span name_span;
      if (!ident(m->text, name_span, "a field or method name after `.`")) return nullptr;
      m->span = e->span.to(name_span);
      m->lhs = std::move(e);
      e = finish(std::move(m), op_span);
    } else if (at(Tok::LParen)) {
      advance();
      auto c = make_expr(ExprKind::Call, e->span);
      if (!call_args(c->args, Tok::RParen)) return nullptr;
      c->span = e->span.to(t_[pos_].span);
      if (!expect(Tok::RParen, "to close the call")) return nullptr;
      c->lhs = std::move(e);
      e = finish(std::move(c), op_span);
    } else if (at(Tok::LBracket)) {
      advance();
      auto i = make_expr(ExprKind::Index, e->span);
      if (!(i->rhs = expr())) return nullptr;
      i->span = e->span.to(peek().span);
      if (!expect(Tok::RBracket, "to close the index")) return nullptr;
      i->lhs = std::move(e);
      e = finish(std::move(i), op_span);
    } else {
      break;
    }
  }
  return e;
}

bool Parser::call_args(std::vector<ExprPtr>& out, Tok close) {
  // Between delimiters a brace cannot open the statement's block, so set and record
  // literals are allowed again: `if covers({P.A}, p) { ... }`.
  const bool saved = no_struct_;
  no_struct_ = false;
  bool ok = true;
  while (!at(close) && !at(Tok::End)) {
    ExprPtr a = expr();
    if (!a) {
      ok = false;
      break;
    }
    out.push_back(std::move(a));
    if (!accept(Tok::Comma)) break;
  }
  no_struct_ = saved;
  return ok;
}

ExprPtr Parser::primary() {
  const Token& tok = peek();
  switch (tok.kind) {
    case Tok::Error: {  // reported by the lexer; stand in for it so parsing goes on
      auto e = make_expr(ExprKind::IntLit, tok.span);
      e->text = "0";
      advance();
      return e;
    }
    case Tok::KwInit:
      error_here("`init` runs once, at deployment; it cannot be called");
      return nullptr;
    case Tok::Int: {
      auto e = make_expr(ExprKind::IntLit, tok.span);
      e->text = tok.text;
      advance();
      return e;
    }
    case Tok::Duration: {
      auto e = make_expr(ExprKind::DurationLit, tok.span);
      e->seconds = tok.seconds;
      advance();
      return e;
    }
    case Tok::String:
    case Tok::HexBytes: {
      auto e =
          make_expr(tok.kind == Tok::String ? ExprKind::StringLit : ExprKind::BytesLit, tok.span);
      e->text = tok.text;
      advance();
      return e;
    }
    case Tok::KwTrue:
    case Tok::KwFalse: {
      auto e = make_expr(ExprKind::BoolLit, tok.span);
      e->bool_value = tok.kind == Tok::KwTrue;
      advance();
      return e;
    }
    case Tok::KwCaller:
      advance();
      return make_expr(ExprKind::Caller, tok.span);
    case Tok::KwNow:
      advance();
      return make_expr(ExprKind::Now, tok.span);
    case Tok::KwThis:
      advance();
      return make_expr(ExprKind::This, tok.span);
    case Tok::Ident: {
      auto e = make_expr(ExprKind::Name, tok.span);
      e->text = tok.text;
      advance();
      if (at(Tok::LBrace) && !no_struct_) {
        advance();
        e->kind = ExprKind::RecordLit;
        while (!at(Tok::RBrace) && !at(Tok::End)) {
          FieldInit f;
          if (!ident(f.name, f.span, "a field name")) return nullptr;
          if (accept(Tok::Colon)) {
            if (!(f.value = expr())) return nullptr;
          } else {  // shorthand: `grantee` means `grantee: grantee`
            f.value = make_expr(ExprKind::Name, f.span);
            f.value->text = f.name;
          }
          e->fields.push_back(std::move(f));
          if (!accept(Tok::Comma)) break;
        }
        e->span = e->span.to(peek().span);
        if (!expect(Tok::RBrace, "to close the record literal")) return nullptr;
        return finish(std::move(e), tok.span);
      }
      return e;
    }
    case Tok::LParen: {
      advance();
      const bool saved = no_struct_;
      no_struct_ = false;
      ExprPtr first = expr();
      if (!first) {
        no_struct_ = saved;
        return nullptr;
      }
      if (at(Tok::Comma)) {
        auto t = make_expr(ExprKind::TupleLit, tok.span);
        t->args.push_back(std::move(first));
        while (accept(Tok::Comma)) {
          if (at(Tok::RParen)) break;
          ExprPtr m = expr();
          if (!m) {
            no_struct_ = saved;
            return nullptr;
          }
          t->args.push_back(std::move(m));
        }
        if (!(first = finish(std::move(t), tok.span))) {
          no_struct_ = saved;
          return nullptr;
        }
      }
      no_struct_ = saved;
      first->span = tok.span.to(peek().span);
      if (!expect(Tok::RParen, "to close the parenthesis")) return nullptr;
      return first;
    }
    case Tok::LBrace: {
      if (no_struct_) break;
      advance();
      auto s = make_expr(ExprKind::SetLit, tok.span);
      if (!call_args(s->args, Tok::RBrace)) return nullptr;
      s->span = tok.span.to(peek().span);
      if (!expect(Tok::RBrace, "to close the set")) return nullptr;
      return finish(std::move(s), tok.span);
    }
    case Tok::LBracket: {
      advance();
      auto l = make_expr(ExprKind::ListLit, tok.span);
      if (!call_args(l->args, Tok::RBracket)) return nullptr;
      l->span = tok.span.to(peek().span);
      if (!expect(Tok::RBracket, "to close the list")) return nullptr;
      return finish(std::move(l), tok.span);
    }
    default:
      break;
  }
  error_here("expected an expression, found " + describe(tok.kind));
  return nullptr;
}

}  // namespace

void parse(std::vector<Token> tokens, Program& program, Diagnostics& diags) {
  Parser(tokens, program, diags).file();
}

}  // namespace assent::compiler
