// Blocks and statements.
#include "compiler/parser_impl.hpp"

namespace assent::compiler {

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

}  // namespace assent::compiler
