// Expressions: every expression gets a type (Expr::type) and, where it names something,
// a resolution (Expr::ref). An expression that has an error gets the error type, which
// silences further errors about it.
#include <map>

#include "compiler/checker.hpp"
#include "compiler/limits.hpp"

namespace assent::compiler {

namespace {

bool is_int_literal(const Expr& e) {
  return e.kind == ExprKind::IntLit ||
         (e.kind == ExprKind::Unary && e.op == Tok::Minus && e.lhs->kind == ExprKind::IntLit);
}

bool is_arithmetic(Tok op) {
  switch (op) {
    case Tok::Plus:
    case Tok::Minus:
    case Tok::Star:
    case Tok::Slash:
    case Tok::Percent:
    case Tok::Amp:
    case Tok::Pipe:
    case Tok::Caret:
    case Tok::Shl:
    case Tok::Shr:
      return true;
    default:
      return false;
  }
}

// Integer literals and arithmetic on them only (`(0 * 0)`, `4 - -2`): such an expression has
// no type of its own and takes one from its context.
bool is_literal_expr(const Expr& e) {
  if (is_int_literal(e)) return true;
  return e.kind == ExprKind::Binary && is_arithmetic(e.op) && is_literal_expr(*e.lhs) &&
         is_literal_expr(*e.rhs);
}

bool has_negative_literal(const Expr& e) {
  if (e.kind == ExprKind::Unary) return is_int_literal(e);
  return e.kind == ExprKind::Binary && is_literal_expr(e) &&
         (has_negative_literal(*e.lhs) || has_negative_literal(*e.rhs));
}

const std::map<std::string, Builtin>& builtins() {
  static const std::map<std::string, Builtin> table = {{"sha256", Builtin::Sha256},
                                                       {"ed25519_verify", Builtin::Ed25519Verify},
                                                       {"block_height", Builtin::BlockHeight},
                                                       {"tx_hash", Builtin::TxHash},
                                                       {"wrapping_add", Builtin::WrappingAdd},
                                                       {"wrapping_sub", Builtin::WrappingSub},
                                                       {"wrapping_mul", Builtin::WrappingMul},
                                                       {"rotate_left", Builtin::RotateLeft},
                                                       {"rotate_right", Builtin::RotateRight}};
  return table;
}

}  // namespace

const Type* Checker::expect_type(Expr& e, const Type* want, std::string_view context) {
  const Type* t = check(e, want);
  if (t != want && !t->is_error() && !want->is_error()) {
    diags_.error(e.span, "expected `" + to_string(want) + "` " + std::string(context) +
                             ", found `" + to_string(t) + "`");
  }
  return want;
}

const Type* Checker::check(Expr& e, const Type* expected) {
  const Type* t = types_.error();
  switch (e.kind) {
    case ExprKind::IntLit:
      t = check_int_literal(e, expected);
      break;
    case ExprKind::DurationLit:
      t = types_.get(Kind::Duration);
      break;
    case ExprKind::StringLit:
      t = types_.get(Kind::String);
      check_literal_size(e);
      break;
    case ExprKind::BytesLit:
      t = types_.get(Kind::Bytes);
      check_literal_size(e);
      break;
    case ExprKind::BoolLit:
      t = types_.get(Kind::Bool);
      break;
    case ExprKind::Caller:
    case ExprKind::This:
      t = types_.get(Kind::Identity);
      break;
    case ExprKind::Now:
      t = types_.get(Kind::Time);
      break;
    case ExprKind::Name:
      t = check_name(e);
      break;
    case ExprKind::Unary:
      t = check_unary(e, expected);
      break;
    case ExprKind::Binary:
      t = check_binary(e, expected);
      break;
    case ExprKind::Call:
      t = check_call(e, expected);
      break;
    case ExprKind::Member:
      t = check_member(e);
      break;
    case ExprKind::Index:
      t = check_index(e);
      break;
    case ExprKind::RecordLit:
      t = check_record_literal(e);
      break;
    case ExprKind::TupleLit:
      t = check_tuple(e, expected);
      break;
    case ExprKind::ListLit:
      t = check_list(e, expected);
      break;
    case ExprKind::SetLit:
      t = check_set(e, expected);
      break;
  }
  e.type = t;
  return t;
}

const Type* Checker::check_int_literal(Expr& e, const Type* expected) {
  uint64_t limbs[4];
  const bool fits256 = parse_u256(e.text, limbs);
  if (expected && expected->is(Kind::U256)) {
    if (!fits256) {
      diags_.error(e.span, "`" + e.text + "` does not fit in a u256");
      return types_.error();
    }
    return expected;
  }
  const Type* t = expected && expected->is_integer() ? expected : types_.get(Kind::U64);
  const bool big = !fits256 || limbs[1] || limbs[2] || limbs[3];
  uint64_t max = t->is(Kind::U8) ? 0xff : t->is(Kind::U32) ? 0xffffffffu : UINT64_MAX;
  if (t->is(Kind::I64)) max = negated_literal_ ? (uint64_t{1} << 63) : INT64_MAX;
  if (big || limbs[0] > max) {
    diags_.error(
        e.span, "`" + e.text + "` does not fit in a " + to_string(t),
        t->is(Kind::U64) ? "" : "the largest " + to_string(t) + " is " + std::to_string(max));
    return types_.error();
  }
  return t;
}

const Type* Checker::check_name(Expr& e) {
  if (const int slot = find_local(e.text); slot >= 0) {
    e.ref = Ref::Local;
    e.local = slot;
    return fn_->locals[static_cast<std::size_t>(slot)].type;
  }
  if (auto it = storage_.find(e.text); it != storage_.end()) {
    if (fn_ == nullptr || !fn_->in_contract) {
      diags_.error(e.span, "storage field `" + e.text + "` is only visible inside the contract");
      return types_.error();
    }
    e.ref = Ref::StorageField;
    e.storage_field = it->second;
    return it->second->resolved ? it->second->resolved : types_.error();
  }
  if (enums_.count(e.text) || records_.count(e.text) || interfaces_.count(e.text)) {
    diags_.error(e.span, "`" + e.text + "` is a type, not a value",
                 enums_.count(e.text) ? "name a variant: `" + e.text + ".Variant`" : "");
    return types_.error();
  }
  if (fns_.count(e.text) || builtins().count(e.text)) {
    diags_.error(e.span, "`" + e.text + "` is a function; call it with `" + e.text + "(...)`");
    return types_.error();
  }
  diags_.error(e.span, "unknown name `" + e.text + "`", suggest(e.text));
  return types_.error();
}

const Type* Checker::check_unary(Expr& e, const Type* expected) {
  if (e.op == Tok::Bang) {
    expect_type(*e.lhs, types_.get(Kind::Bool), "after `!`");
    return types_.get(Kind::Bool);
  }
  // Negation: only i64 has negative values.
  negated_literal_ = e.lhs->kind == ExprKind::IntLit;
  const Type* t =
      check(*e.lhs, expected && expected->is(Kind::I64) ? expected : types_.get(Kind::I64));
  negated_literal_ = false;
  if (t->is_error()) return t;
  if (!t->is(Kind::I64)) {
    diags_.error(e.span, "cannot negate a `" + to_string(t) + "`",
                 "only i64 values can be negative");
    return types_.error();
  }
  return t;
}

const Type* Checker::check_binary(Expr& e, const Type* expected) {
  Expr& a = *e.lhs;
  Expr& b = *e.rhs;
  const Tok op = e.op;
  const Type* kBool = types_.get(Kind::Bool);
  if (op == Tok::AmpAmp || op == Tok::PipePipe) {
    expect_type(a, kBool, "on the left of " + describe(op));
    expect_type(b, kBool, "on the right of " + describe(op));
    return kBool;
  }
  if (op == Tok::KwIn) {
    const Type* container = check(b);
    if (container->is_error()) {
      check(a);
      return kBool;
    }
    if (container->is(Kind::Set)) {
      expect_type(a, container->args[0], "as a member of `" + to_string(container) + "`");
    } else if (container->is(Kind::Map) && b.ref == Ref::StorageField) {
      expect_type(a, container->args[0], "as a key of `" + b.text + "`");
    } else {
      check(a);
      diags_.error(b.span,
                   "`in` needs a set or a storage map, not a `" + to_string(container) + "`");
    }
    return kBool;
  }
  const bool comparison = is_comparison(op);
  const Type* hint = comparison ? nullptr : expected;
  const Type* ta;
  const Type* tb;
  // Literals take their type from the other side; with literals on both sides and no
  // context, a negative one makes both `i64` (so `14 - -58` is an i64, as `-58 + 14` is).
  const bool b_first = is_literal_expr(a) &&
                       (!is_literal_expr(b) ||
                        (hint == nullptr && has_negative_literal(b) && !has_negative_literal(a)));
  if (b_first) {
    tb = check(b, hint);
    ta = check(a, tb);
  } else {
    ta = check(a, hint);
    tb = check(b, ta->is(Kind::Time) ? nullptr : ta);
  }
  if (ta->is_error() || tb->is_error()) return comparison ? kBool : types_.error();
  const std::string shown = describe(op);
  auto mismatch = [&]() {
    diags_.error(
        e.span, "cannot apply " + shown + " to `" + to_string(ta) + "` and `" + to_string(tb) + "`",
        ta != tb && ta->is_integer() && tb->is_integer()
            ? "convert one side, e.g. `" + to_string(ta) + "(x)`"
            : "");
    return types_.error();
  };
  if (comparison) {
    if (ta != tb) {
      mismatch();
      return kBool;
    }
    if (op == Tok::EqEq || op == Tok::NotEq) {
      if (!ta->is_value()) {
        diags_.error(e.span, "values of type `" + to_string(ta) + "` cannot be compared");
      }
    } else if (!ta->is_ordered()) {
      diags_.error(e.span, "values of type `" + to_string(ta) + "` have no order",
                   "use `==` or `!=`");
    }
    return kBool;
  }
  const Kind ka = ta->kind, kb = tb->kind;
  switch (op) {
    case Tok::Plus:
      if (ka == Kind::Time && kb == Kind::Duration) return ta;
      if (ka == Kind::Duration && kb == Kind::Time) return tb;
      if (ka == Kind::Duration && kb == Kind::Duration) return ta;
      if ((ta->is_integer() || ka == Kind::U256) && ta == tb) return ta;
      return mismatch();
    case Tok::Minus:
      if (ka == Kind::Time && kb == Kind::Duration) return ta;
      if (ka == Kind::Time && kb == Kind::Time) return types_.get(Kind::Duration);
      if (ka == Kind::Duration && kb == Kind::Duration) return ta;
      if ((ta->is_integer() || ka == Kind::U256) && ta == tb) return ta;
      return mismatch();
    case Tok::Star:
      if (ka == Kind::Duration && kb == Kind::U64) return ta;
      [[fallthrough]];
    case Tok::Slash:
      if (op == Tok::Slash && ka == Kind::Duration && kb == Kind::U64) return ta;
      [[fallthrough]];
    case Tok::Percent:
      if ((ta->is_integer() || ka == Kind::U256) && ta == tb) return ta;
      return mismatch();
    case Tok::Amp:
    case Tok::Pipe:
    case Tok::Caret:
      if (ta == tb && (ta->is_integer() || ka == Kind::Set || ka == Kind::Bool)) return ta;
      return mismatch();
    case Tok::Shl:
    case Tok::Shr:
      if (ta->is_integer() && ta == tb) return ta;
      return mismatch();
    default:
      return mismatch();
  }
}

bool Checker::check_args(Expr& call, const std::vector<Param>& params, std::string_view callee) {
  if (call.args.size() != params.size()) {
    diags_.error(call.span, std::string(callee) + " takes " + std::to_string(params.size()) +
                                " argument" + (params.size() == 1 ? "" : "s") + ", but " +
                                std::to_string(call.args.size()) +
                                (call.args.size() == 1 ? " is" : " are") + " given");
    for (auto& a : call.args)
      check(*a);
    return false;
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].resolved == nullptr || params[i].resolved->is_error())
      check(*call.args[i]);
    else
      expect_type(*call.args[i], params[i].resolved, "for parameter `" + params[i].name + "`");
  }
  return true;
}

const Type* Checker::check_call(Expr& e, const Type* expected) {
  Expr& callee = *e.lhs;
  if (callee.kind == ExprKind::Member) return check_method(e, callee);
  if (callee.kind != ExprKind::Name) {
    check(callee);
    for (auto& a : e.args)
      check(*a);
    diags_.error(callee.span, "this cannot be called");
    return types_.error();
  }
  const std::string& name = callee.text;
  if (find_local(name) >= 0 || storage_.count(name)) {
    check(callee);
    for (auto& a : e.args)
      check(*a);
    diags_.error(callee.span, "`" + name + "` is not a function");
    return types_.error();
  }
  if (auto it = fns_.find(name); it != fns_.end() && it->second->kind != FnKind::Init) {
    FnDecl* f = it->second;
    e.ref = Ref::Function;
    e.fn = f;
    if (fn_ != nullptr) {
      calls_[fn_].push_back({f, e.span});
      if (f->in_contract && !fn_->in_contract) {
        diags_.error(e.span,
                     "`" + name + "` belongs to the contract and cannot be called from outside it");
        return types_.error();
      }
    }
    check_args(e, f->params, "`" + name + "`");
    return f->result_type ? f->result_type : types_.error();
  }
  if (name == "init") {
    for (auto& a : e.args)
      check(*a);
    diags_.error(callee.span, "`init` runs once, at deployment; it cannot be called");
    return types_.error();
  }
  // `T(x)` converts to any basic type but bool (a comparison makes a bool: `x != 0`).
  if (const auto basic = basic_kind_named(name); basic && *basic != Kind::Bool)
    return check_conversion(e, types_.get(*basic));
  if (auto it = builtins().find(name); it != builtins().end())
    return check_builtin(e, it->second, expected);
  if (auto b = test_builtin(name)) return check_test_builtin(e, *b);
  if (name == "array") {
    e.ref = Ref::Builtin;
    e.index = static_cast<uint32_t>(Builtin::NewArray);
    if (e.args.size() != 1) {
      for (auto& a : e.args)
        check(*a);
      diags_.error(e.span, "`array(n)` takes the number of elements");
      return types_.error();
    }
    expect_type(*e.args[0], types_.get(Kind::U64), "as the number of elements");
    if (expected == nullptr || !expected->is(Kind::Array)) {
      diags_.error(e.span, "the element type of `array(n)` is unknown here",
                   "give the binding a type: `var a: array<u64> = array(n);`");
      return types_.error();
    }
    return expected;
  }
  if (auto it = interfaces_.find(name); it != interfaces_.end()) {
    e.ref = Ref::InterfaceBind;
    e.interface_decl = it->second;
    if (e.args.size() != 1) {
      for (auto& a : e.args)
        check(*a);
      diags_.error(e.span, "`" + name + "(...)` takes the contract's address: one identity");
      return types_.error();
    }
    expect_type(*e.args[0], types_.get(Kind::Identity), "as the contract address");
    return types_.interface_type(it->second);
  }
  for (auto& a : e.args)
    check(*a);
  if (records_.count(name)) {
    diags_.error(callee.span,
                 "`" + name + "` is a record; build one with `" + name + " { field: value }`");
    return types_.error();
  }
  diags_.error(callee.span, "unknown function `" + name + "`", suggest(name));
  return types_.error();
}

const Type* Checker::check_method(Expr& e, Expr& member) {
  const std::string& method = member.text;
  e.text = method;
  Expr& receiver = *member.lhs;
  if (receiver.kind == ExprKind::Name && method == "deploy" && find_local(receiver.text) < 0)
    if (auto it = interfaces_.find(receiver.text); it != interfaces_.end())
      return check_deploy(e, *it->second);
  const Type* rt = check(receiver);
  member.type = rt;
  if (rt->is_error()) {
    for (auto& a : e.args)
      check(*a);
    return types_.error();
  }
  if (rt->is(Kind::Interface)) {
    const InterfaceDecl* iface = rt->interface_decl;
    for (uint32_t i = 0; i < iface->methods.size(); ++i) {
      const InterfaceMethod& m = iface->methods[i];
      if (m.name != method) continue;
      e.ref = Ref::InterfaceCall;
      e.interface_decl = iface;
      e.index = i;
      check_args(e, m.params, "`" + iface->name + "." + method + "`");
      if (m.kind == FnKind::Action)
        note_write(e.span, "call action `" + method + "` of `" + iface->name + "`");
      return m.result_type ? m.result_type : types_.error();
    }
    for (auto& a : e.args)
      check(*a);
    diags_.error(member.span, "interface `" + iface->name + "` has no method `" + method + "`");
    return types_.error();
  }
  e.ref = Ref::Method;
  auto arity = [&](std::size_t n) {
    if (e.args.size() == n) return true;
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, "`" + method + "` takes " + std::to_string(n) + " argument" +
                             (n == 1 ? "" : "s") + ", but " + std::to_string(e.args.size()) +
                             " given");
    return false;
  };
  const bool stored = receiver.ref == Ref::StorageField;
  if (rt->is(Kind::Map) && stored) {
    if (method == "get") {
      if (!arity(1)) return types_.error();
      expect_type(*e.args[0], rt->args[0], "as the key");
      if (!in_let_else_init_) {
        diags_.error(
            e.span,
            "`get` may find nothing: handle that with `let v = " + receiver.text +
                ".get(key) else { ... };`",
            "or read `" + receiver.text + "[key]`, which gives a default value when absent");
        return types_.error();
      }
      return types_.optional(rt->args[1]);
    }
    if (method == "has") {
      if (!arity(1)) return types_.error();
      expect_type(*e.args[0], rt->args[0], "as the key");
      return types_.get(Kind::Bool);
    }
    if (method == "remove") {
      if (!arity(1)) return types_.error();
      expect_type(*e.args[0], rt->args[0], "as the key");
      note_write(e.span, "write storage");
      return types_.get(Kind::Unit);
    }
  }
  if (rt->is(Kind::List)) {
    if (method == "len") return arity(0) ? types_.get(Kind::U64) : types_.error();
    if (method == "push" && stored) {
      if (!arity(1)) return types_.error();
      expect_type(*e.args[0], rt->args[0], "as the element");
      note_write(e.span, "write storage");
      return types_.get(Kind::Unit);
    }
  }
  if ((rt->is(Kind::Bytes) || rt->is(Kind::String) || rt->is(Kind::Array)) && method == "len")
    return arity(0) ? types_.get(Kind::U64) : types_.error();
  for (auto& a : e.args)
    check(*a);
  diags_.error(member.span, std::string(stored ? "storage " : "") + "`" + to_string(rt) +
                                "` has no method `" + method + "`");
  return types_.error();
}

const Type* Checker::check_member(Expr& e) {
  Expr& lhs = *e.lhs;
  if (lhs.kind == ExprKind::Name && find_local(lhs.text) < 0) {
    if (auto it = enums_.find(lhs.text); it != enums_.end()) {
      const EnumDecl* d = it->second;
      lhs.ref = Ref::TypeName;
      lhs.type = d->type;
      for (uint32_t i = 0; i < d->variants.size(); ++i)
        if (d->variants[i].first == e.text) {
          e.ref = Ref::EnumVariant;
          e.enum_decl = d;
          e.index = i;
          return d->type;
        }
      diags_.error(e.span, "enum `" + d->name + "` has no variant `" + e.text + "`");
      return types_.error();
    }
  }
  const Type* t = check(lhs);
  if (t->is_error()) return t;
  if (t->is(Kind::Record)) {
    const auto& fields = t->record->fields;
    for (uint32_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == e.text) {
        e.ref = Ref::Field;
        e.index = i;
        return fields[i].resolved ? fields[i].resolved : types_.error();
      }
  }
  diags_.error(e.span, '`' + to_string(t) + "` has no field `" + e.text + "`",
               t->is(Kind::Map) || t->is(Kind::List) || t->is(Kind::Bytes) || t->is(Kind::String)
                   ? "methods are called with parentheses: `" + e.text + "()`"
                   : "");
  return types_.error();
}

const Type* Checker::check_index(Expr& e) {
  const Type* t = check(*e.lhs);
  if (t->is_error()) {
    check(*e.rhs);
    return t;
  }
  if (t->is(Kind::Map) && e.lhs->ref == Ref::StorageField) {
    expect_type(*e.rhs, t->args[0], "as the key");
    return t->args[1];
  }
  if (t->is(Kind::List) || t->is(Kind::Array)) {
    expect_type(*e.rhs, types_.get(Kind::U64), "as the index");
    return t->args[0];
  }
  if (t->is(Kind::Bytes)) {
    expect_type(*e.rhs, types_.get(Kind::U64), "as the index");
    return types_.get(Kind::U8);
  }
  check(*e.rhs);
  diags_.error(e.span, "a `" + to_string(t) + "` cannot be indexed");
  return types_.error();
}

const Type* Checker::check_record_literal(Expr& e) {
  auto it = records_.find(e.text);
  if (it == records_.end()) {
    for (auto& f : e.fields)
      check(*f.value);
    diags_.error(e.span, "unknown record `" + e.text + "`", suggest(e.text));
    return types_.error();
  }
  const RecordDecl* r = it->second;
  std::vector<bool> given(r->fields.size(), false);
  for (auto& init : e.fields) {
    bool found = false;
    for (std::size_t i = 0; i < r->fields.size(); ++i) {
      if (r->fields[i].name != init.name) continue;
      found = true;
      if (given[i]) diags_.error(init.span, "field `" + init.name + "` is given twice");
      given[i] = true;
      if (r->fields[i].resolved)
        expect_type(*init.value, r->fields[i].resolved, "for field `" + init.name + "`");
    }
    if (!found) {
      check(*init.value);
      diags_.error(init.span, "record `" + r->name + "` has no field `" + init.name + "`");
    }
  }
  std::string missing;
  for (std::size_t i = 0; i < r->fields.size(); ++i)
    if (!given[i]) missing += (missing.empty() ? "`" : ", `") + r->fields[i].name + "`";
  if (!missing.empty())
    diags_.error(e.span, "missing field" +
                             std::string(missing.find(',') != std::string::npos ? "s " : " ") +
                             missing + " in `" + r->name + "`");
  return r->type;
}

const Type* Checker::check_tuple(Expr& e, const Type* expected) {
  if (e.args.size() > kMaxTupleMembers) {
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, tuple_size_message());
    return types_.error();
  }
  std::vector<const Type*> members;
  bool error = false;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const Type* want =
        expected && expected->is(Kind::Tuple) && expected->args.size() == e.args.size()
            ? expected->args[i]
            : nullptr;
    const Type* m = check(*e.args[i], want);
    if (m->is_error())
      error = true;
    else if (!m->is_value()) {
      diags_.error(e.args[i]->span, "a `" + to_string(m) + "` cannot be a tuple member");
      error = true;
    }
    members.push_back(m);
  }
  return error ? types_.error() : types_.tuple(std::move(members));
}

const Type* Checker::check_set(Expr& e, const Type* expected) {
  const Type* element = expected && expected->is(Kind::Set) ? expected->args[0] : nullptr;
  for (auto& a : e.args) {
    if (element) {
      expect_type(*a, element, "as a member of the set");
    } else {
      const Type* t = check(*a);
      if (t->is(Kind::Enum))
        element = t;
      else if (!t->is_error())
        diags_.error(a->span, "a set holds enum values, not `" + to_string(t) + "`");
    }
  }
  if (!element) {
    if (e.args.empty())
      diags_.error(e.span, "the element type of `{}` is unknown here",
                   "give the binding a type: `let s: set<Name> = {};`");
    return types_.error();
  }
  return types_.set(element);
}

const Type* Checker::check_list(Expr& e, const Type* expected) {
  const Type* element = expected && expected->is(Kind::List) ? expected->args[0] : nullptr;
  for (auto& a : e.args) {
    if (element)
      expect_type(*a, element, "as an element of the list");
    else
      element = check(*a);
  }
  if (!element) {
    if (e.args.empty())
      diags_.error(e.span, "the element type of `[]` is unknown here",
                   "give the binding a type: `let l: list<u64> = [];`");
    return types_.error();
  }
  if (element->is_error()) return element;
  if (!element->is_fixed_size() || !element->is_value()) {
    diags_.error(e.span, "a list holds fixed-size values, not `" + to_string(element) + "`");
    return types_.error();
  }
  return types_.list(element);
}

const Type* Checker::check_conversion(Expr& e, const Type* target) {
  e.ref = Ref::Conversion;
  e.target_type = target;
  if (e.args.size() != 1) {
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, '`' + to_string(target) + "(...)` converts one value");
    return types_.error();
  }
  const Type* src = check(
      *e.args[0], is_int_literal(*e.args[0]) && (target->is_integer() || target->is(Kind::U256))
                      ? target
                      : nullptr);
  if (src->is_error()) return types_.error();
  const bool numeric_src =
      src->is_integer() || src->is(Kind::U256) || src->is(Kind::Time) || src->is(Kind::Duration);
  bool ok = src == target;
  if (target->is_integer()) ok = ok || numeric_src;
  if (target->is(Kind::U256)) ok = ok || src->is_integer();
  if (target->is(Kind::Time) || target->is(Kind::Duration)) ok = ok || src->is_integer();
  if (target->is(Kind::Identity)) ok = ok || src->is(Kind::Bytes);
  if (target->is(Kind::Bytes)) ok = ok || src->is(Kind::Identity) || src->is(Kind::String);
  if (target->is(Kind::String)) ok = ok || src->is(Kind::Bytes);
  if (!ok) {
    diags_.error(e.span,
                 "cannot convert a `" + to_string(src) + "` to `" + to_string(target) + "`");
    return types_.error();
  }
  return target;
}

const Type* Checker::check_builtin(Expr& e, Builtin b, const Type* expected) {
  e.ref = Ref::Builtin;
  e.index = static_cast<uint32_t>(b);
  const Type* kBytes = types_.get(Kind::Bytes);
  auto count = [&](std::size_t n, const char* name) {
    if (e.args.size() == n) return true;
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, std::string("`") + name + "` takes " + std::to_string(n) + " argument" +
                             (n == 1 ? "" : "s") + ", but " + std::to_string(e.args.size()) +
                             " given");
    return false;
  };
  switch (b) {
    case Builtin::Sha256: {
      if (!count(1, "sha256")) return types_.error();
      const Type* t = check(*e.args[0]);
      if (!t->is_error() && !t->is(Kind::Bytes) && !t->is(Kind::String))
        diags_.error(e.args[0]->span,
                     "`sha256` hashes bytes or a string, not a `" + to_string(t) + "`");
      return kBytes;
    }
    case Builtin::Ed25519Verify:
      if (!count(3, "ed25519_verify")) return types_.error();
      expect_type(*e.args[0], kBytes, "as the public key");
      expect_type(*e.args[1], kBytes, "as the message");
      expect_type(*e.args[2], kBytes, "as the signature");
      return types_.get(Kind::Bool);
    case Builtin::BlockHeight:
      return count(0, "block_height") ? types_.get(Kind::U64) : types_.error();
    case Builtin::TxHash:
      return count(0, "tx_hash") ? kBytes : types_.error();
    case Builtin::NewArray:
      break;  // checked in check_call, where the expected type is known
    case Builtin::SetCaller:
    case Builtin::AdvanceTime:
    case Builtin::AdvanceBlocks:
    case Builtin::ExpectRevert:
    case Builtin::ExpectEvent:
    case Builtin::Account:
      break;  // check_test_builtin
    case Builtin::WrappingAdd:
    case Builtin::WrappingSub:
    case Builtin::WrappingMul:
    case Builtin::RotateLeft:
    case Builtin::RotateRight: {
      static const char* kNames[] = {"wrapping_add", "wrapping_sub", "wrapping_mul", "rotate_left",
                                     "rotate_right"};
      const char* fname = kNames[static_cast<int>(b) - static_cast<int>(Builtin::WrappingAdd)];
      if (!count(2, fname)) return types_.error();
      const bool rotate = b == Builtin::RotateLeft || b == Builtin::RotateRight;
      const Type* t = is_int_literal(*e.args[0]) ? check(*e.args[1]) : check(*e.args[0], expected);
      if (is_int_literal(*e.args[0]))
        t = check(*e.args[0], t);
      else
        expect_type(*e.args[1], t, std::string("for `") + fname + "`");
      if (t->is_error()) return t;
      const bool ok = rotate ? (t->is(Kind::U32) || t->is(Kind::U64)) : t->is_integer();
      if (!ok) {
        diags_.error(e.span, std::string("`") + fname + "` works on " +
                                 (rotate ? "u32 and u64" : "integers") + ", not `" + to_string(t) +
                                 "`");
        return types_.error();
      }
      return t;
    }
  }
  return types_.error();
}

}  // namespace assent::compiler
