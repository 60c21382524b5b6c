// Expressions: binary operators by precedence climbing, then unary, postfix and primary.
#include "compiler/parser_impl.hpp"

namespace assent::compiler {

namespace {

ExprPtr make_expr(ExprKind kind, Span span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

int precedence(Tok k) {
  if (is_comparison(k)) return 3;
  switch (k) {
    case Tok::PipePipe:
      return 1;
    case Tok::AmpAmp:
      return 2;
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

}  // namespace

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
      e->text = std::string(1, '0');  // not = "0": GCC 12 (vm/gcc_false_positives.hpp)
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

}  // namespace assent::compiler
