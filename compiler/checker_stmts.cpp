// Function bodies and statements.
#include "compiler/checker.hpp"

namespace assent::compiler {

int Checker::add_local(const std::string& name, const Type* type, bool is_mutable, Span span) {
  if (scopes_.back().count(name))
    diags_.error(span, "`" + name + "` is already declared in this " +
                           (scopes_.size() == 1 && loop_depth_ == 0 &&
                                    fn_->locals.size() < fn_->params.size()
                                ? "parameter list"
                                : "block"));
  fn_->locals.push_back({name, type, is_mutable, span});
  const int slot = static_cast<int>(fn_->locals.size()) - 1;
  scopes_.back()[name] = slot;
  return slot;
}

int Checker::find_local(const std::string& name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
    if (auto found = it->find(name); found != it->end()) return found->second;
  return -1;
}

bool Checker::always_returns(const std::vector<StmtPtr>& stmts) {
  for (const auto& s : stmts) {
    if (s->kind == StmtKind::Return) return true;
    if (s->kind == StmtKind::If && s->has_else && always_returns(s->body) &&
        always_returns(s->else_body))
      return true;
  }
  return false;
}

bool Checker::diverges(const std::vector<StmtPtr>& stmts) {
  for (const auto& s : stmts) {
    if (s->kind == StmtKind::Return || s->kind == StmtKind::Break || s->kind == StmtKind::Continue)
      return true;
    if (s->kind == StmtKind::If && s->has_else && diverges(s->body) && diverges(s->else_body))
      return true;
  }
  return false;
}

void Checker::check_fn(FnDecl& f) {
  fn_ = &f;
  scopes_.assign(1, {});
  loop_depth_ = 0;
  for (const auto& param : f.params)
    add_local(param.name, param.resolved, false, param.span);
  check_block(f.body);
  if (f.result_type && !f.result_type->is(Kind::Unit) && !f.result_type->is_error() &&
      !always_returns(f.body)) {
    Span end = f.span;
    diags_.error(
        end,
        "function `" + f.name + "` may end without returning a `" + to_string(f.result_type) + "`",
        "every path through the body must end in `return`");
  }
  fn_ = nullptr;
  scopes_.clear();
}

void Checker::check_block(std::vector<StmtPtr>& stmts) {
  scopes_.emplace_back();
  bool reported_unreachable = false;
  for (std::size_t i = 0; i < stmts.size(); ++i) {
    check_stmt(*stmts[i]);
    const StmtKind k = stmts[i]->kind;
    const bool leaves = k == StmtKind::Return ||
                        ((k == StmtKind::Break || k == StmtKind::Continue) && loop_depth_ > 0);
    if (leaves && i + 1 < stmts.size() && !reported_unreachable) {
      diags_.error(stmts[i + 1]->span, "unreachable statement",
                   "nothing after `return`, `break` or `continue` in a block runs");
      reported_unreachable = true;
    }
  }
  scopes_.pop_back();
}

void Checker::check_stmt(Stmt& s) {
  switch (s.kind) {
    case StmtKind::Let:
    case StmtKind::Var: {
      const Type* declared = s.declared ? resolve_type(*s.declared, false) : nullptr;
      const Type* t;
      if (s.has_else) {
        in_let_else_init_ = true;
        t = check(*s.value);
        in_let_else_init_ = false;
        if (!t->is_error() && !t->is(Kind::Optional)) {
          diags_.error(s.value->span,
                       "`let ... else` needs a value that may be absent, such as "
                       "`map.get(key)`; this is a `" +
                           to_string(t) + "`");
          t = types_.error();
        } else if (t->is(Kind::Optional)) {
          t = t->args[0];
        }
        if (declared && !declared->is_error() && !t->is_error() && declared != t)
          diags_.error(s.value->span,
                       "expected `" + to_string(declared) + "`, found `" + to_string(t) + "`");
        scopes_.emplace_back();
        check_block(s.body);
        scopes_.pop_back();
        if (!diverges(s.body))
          diags_.error(s.span, "the `else` block of `let ... else` must not fall through",
                       "end it with `return` (or `break`/`continue` in a loop)");
      } else {
        t = declared ? expect_type(*s.value, declared, "in this binding") : check(*s.value);
        if (t->is(Kind::Unit)) {
          diags_.error(s.value->span, "this expression has no value to bind");
          t = types_.error();
        } else if (t->is(Kind::Interface)) {
          diags_.error(s.value->span, '`' + to_string(t) + "(...)` is not a value on its own",
                       "call a method on it: `" + to_string(t) + "(address).method(...)`");
          t = types_.error();
        } else if (!t->is_error() && !t->is_value() && !t->is(Kind::List) && !t->is(Kind::Array)) {
          diags_.error(s.value->span, "a `" + to_string(t) + "` cannot be bound to a name");
          t = types_.error();
        }
      }
      if (declared && !declared->is_error()) t = declared;
      s.local = add_local(s.name, t, s.kind == StmtKind::Var, s.name_span);
      return;
    }
    case StmtKind::Assign:
      check_assign(s);
      return;
    case StmtKind::If:
      expect_type(*s.cond, types_.get(Kind::Bool), "as the condition");
      check_block(s.body);
      if (s.has_else) check_block(s.else_body);
      return;
    case StmtKind::While:
      expect_type(*s.cond, types_.get(Kind::Bool), "as the condition");
      ++loop_depth_;
      check_block(s.body);
      --loop_depth_;
      return;
    case StmtKind::For:
      check_for(s);
      return;
    case StmtKind::Return: {
      const Type* want = fn_->result_type;
      if (s.value == nullptr) {
        if (!want->is(Kind::Unit) && !want->is_error())
          diags_.error(s.span, "`return` needs a `" + to_string(want) + "` value here");
        return;
      }
      if (want->is(Kind::Unit)) {
        check(*s.value);
        diags_.error(s.value->span, "function `" + fn_->name + "` returns nothing",
                     "declare a result with `-> Type`, or write `return;`");
        return;
      }
      expect_type(*s.value, want, "as the result");
      return;
    }
    case StmtKind::Break:
    case StmtKind::Continue:
      if (loop_depth_ == 0)
        diags_.error(s.span, std::string(s.kind == StmtKind::Break ? "`break`" : "`continue`") +
                                 " outside of a loop");
      return;
    case StmtKind::Require: {
      expect_type(*s.cond, types_.get(Kind::Bool), "as the condition");
      const Type* m = check(*s.message);
      if (!m->is_error() && !m->is(Kind::String))
        diags_.error(s.message->span,
                     "the message of `require` is a string, not a `" + to_string(m) + "`");
      return;
    }
    case StmtKind::Emit: {
      auto it = events_.find(s.name);
      if (it == events_.end()) {
        for (auto& a : s.args)
          check(*a);
        diags_.error(s.name_span, "unknown event `" + s.name + "`", suggest(s.name));
        return;
      }
      s.event = it->second;
      const auto& params = s.event->params;
      if (s.args.size() != params.size())
        diags_.error(s.name_span, "event `" + s.name + "` has " + std::to_string(params.size()) +
                                      " fields, but " + std::to_string(s.args.size()) +
                                      " values are given");
      for (std::size_t i = 0; i < s.args.size(); ++i) {
        if (i < params.size() && params[i].resolved)
          expect_type(*s.args[i], params[i].resolved, "for field `" + params[i].name + "`");
        else
          check(*s.args[i]);
      }
      note_write(s.span, "emit events");
      return;
    }
    case StmtKind::ExprStmt: {
      const Type* t = check(*s.value);
      if (s.value->kind != ExprKind::Call && !t->is_error())
        diags_.error(s.value->span, "this expression's value is not used",
                     "bind it with `let`, or remove it");
      else if (s.value->kind == ExprKind::Call && !t->is(Kind::Unit) && !t->is_error() &&
               s.value->ref != Ref::Method)
        diags_.error(s.value->span, "the result of this call is not used",
                     "bind it with `let _unused = ...` if it is not needed");
      return;
    }
  }
}

void Checker::check_assign(Stmt& s) {
  Expr& target = *s.target;
  const Type* t = types_.error();
  bool ok = true;
  if (target.kind == ExprKind::Name) {
    t = check(target);
    if (target.ref == Ref::Local) {
      const Local& l = fn_->locals[static_cast<std::size_t>(target.local)];
      if (!l.mutable_) {
        diags_.error(target.span, "cannot assign to `" + l.name + "`: it is not a `var`",
                     "declare it with `var` to make it mutable");
        ok = false;
      }
    } else if (target.ref == Ref::StorageField) {
      if (!t->is_value() && !t->is_error()) {
        diags_.error(target.span, "cannot assign a whole `" + to_string(t) + "`",
                     "assign its elements: `" + target.text + "[key] = value`");
        ok = false;
      }
      note_write(target.span, "write storage");
    } else if (!t->is_error()) {
      diags_.error(target.span, "cannot assign to `" + target.text + "`");
      ok = false;
    }
  } else if (target.kind == ExprKind::Index) {
    t = check(target);
    const Expr& base = *target.lhs;
    if (base.ref == Ref::StorageField) {
      note_write(target.span, "write storage");
    } else if (base.type != nullptr && base.type->is(Kind::Array)) {
      // arrays are mutable buffers, whatever binds them
    } else if (!t->is_error()) {
      diags_.error(target.span,
                   "only storage maps, storage lists and arrays can be assigned by index");
      ok = false;
    }
  } else if (target.kind == ExprKind::Member) {
    t = check(target);
    const Expr* root = target.lhs.get();
    while (root->kind == ExprKind::Member)
      root = root->lhs.get();
    if (target.ref == Ref::Field && root->ref == Ref::Local) {
      if (!fn_->locals[static_cast<std::size_t>(root->local)].mutable_) {
        diags_.error(target.span,
                     "cannot assign to a field of `" + root->text + "`: it is not a `var`",
                     "declare it with `var` to make it mutable");
        ok = false;
      }
    } else if (!t->is_error()) {
      diags_.error(target.span, "only fields of a `var` record can be assigned",
                   "to change a stored record, assign the whole record");
      ok = false;
    }
  } else {
    check(target);
    diags_.error(target.span, "this is not something that can be assigned");
    ok = false;
  }
  if (!ok || t->is_error()) {
    check(*s.value);
    return;
  }
  if (s.op == Tok::Assign) {
    expect_type(*s.value, t, "in this assignment");
    return;
  }
  // Compound assignment: the same rules as the binary operator, result of the target's type.
  const Type* v = check(*s.value, t);
  if (v->is_error()) return;
  const bool numeric = t->is_integer() || t->is(Kind::U256);
  const bool time_shift = (t->is(Kind::Time) || t->is(Kind::Duration)) &&
                          (s.op == Tok::PlusEq || s.op == Tok::MinusEq) && v->is(Kind::Duration);
  if (!(numeric && v == t) && !time_shift)
    diags_.error(s.span, "cannot apply `" + describe(s.op).substr(1, 2) + "` to `" + to_string(t) +
                             "` and `" + to_string(v) + "`");
}

void Checker::check_for(Stmt& s) {
  scopes_.emplace_back();
  const Type* element = types_.error();
  if (s.range_end) {
    const Type* a = check(*s.value);
    const Type* b =
        a->is_integer() ? expect_type(*s.range_end, a, "as the range end") : check(*s.range_end);
    if (a->is_integer() && s.value->kind == ExprKind::IntLit && b->is_integer() && a != b)
      a = check(*s.value, b);
    if (!a->is_error() && !a->is_integer())
      diags_.error(s.value->span, "a range runs over integers, not `" + to_string(a) + "`");
    else
      element = a;
  } else {
    const Type* it = check(*s.value);
    if (it->is(Kind::List) || it->is(Kind::Array)) {
      element = it->args[0];
    } else if (!it->is_error()) {
      diags_.error(s.value->span, "cannot iterate over a `" + to_string(it) + "`",
                   "iterate over a list, or a range such as `0..n`");
    }
  }
  s.local = add_local(s.name, element, false, s.name_span);
  ++loop_depth_;
  check_block(s.body);
  --loop_depth_;
  scopes_.pop_back();
}

}  // namespace assent::compiler
