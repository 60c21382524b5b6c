// Declarations (enum, record, interface, contract with its storage and events, functions)
// and types.
#include "compiler/parser_impl.hpp"

namespace assent::compiler {

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

}  // namespace assent::compiler
