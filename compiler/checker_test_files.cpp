// Checking what only test files may use: the test built-ins (docs/contracts.md, "Testing")
// and `Contract.deploy(...)` of a contract the test file imports.
#include "compiler/checker.hpp"

namespace assent::compiler {

std::optional<Builtin> test_builtin(const std::string& name) {
  static const std::map<std::string, Builtin> table = {
      {"set_caller", Builtin::SetCaller},         {"advance_time", Builtin::AdvanceTime},
      {"advance_blocks", Builtin::AdvanceBlocks}, {"expect_revert", Builtin::ExpectRevert},
      {"expect_event", Builtin::ExpectEvent},     {"account", Builtin::Account}};
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

namespace {

const char* kTestOnlyHint = "test built-ins work in `*_test.assent` files run by `assent test`";

}  // namespace

const Type* Checker::check_test_builtin(Expr& e, Builtin b) {
  const std::string& name = e.lhs->text;
  e.ref = Ref::Builtin;
  e.index = static_cast<uint32_t>(b);
  const Type* kUnit = types_.get(Kind::Unit);
  if (!p_.test) {
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.lhs->span, "`" + name + "` is a test built-in", kTestOnlyHint);
    return types_.error();
  }
  auto count = [&](std::size_t n, const char* usage) {
    if (e.args.size() == n) return true;
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, "`" + name + "` takes " + std::to_string(n) + " argument" +
                             (n == 1 ? "" : "s") + ": `" + usage + "`");
    return false;
  };
  if (fn_ != nullptr && b != Builtin::Account)
    note_write(e.span, "use the test built-in `" + name + "`");
  switch (b) {
    case Builtin::SetCaller:
      if (!count(1, "set_caller(who: identity)")) return types_.error();
      expect_type(*e.args[0], types_.get(Kind::Identity), "as the caller");
      return kUnit;
    case Builtin::AdvanceTime:
      if (!count(1, "advance_time(by: duration)")) return types_.error();
      expect_type(*e.args[0], types_.get(Kind::Duration), "as the time to advance by");
      return kUnit;
    case Builtin::AdvanceBlocks:
      if (!count(1, "advance_blocks(n: u64)")) return types_.error();
      expect_type(*e.args[0], types_.get(Kind::U64), "as the number of blocks");
      return kUnit;
    case Builtin::ExpectEvent:
      if (!count(1, "expect_event(name: string)")) return types_.error();
      expect_type(*e.args[0], types_.get(Kind::String), "as the event's name");
      return kUnit;
    case Builtin::Account:
      if (!count(1, "account(name: string)")) return types_.error();
      expect_type(*e.args[0], types_.get(Kind::String), "as the account's name");
      // The name's bytes are the identity's (test.account zero-pads them).
      if (const std::size_t most = kind_info(Kind::Identity).bytes;
          e.args[0]->kind == ExprKind::StringLit && e.args[0]->text.size() > most)
        diags_.error(e.args[0]->span,
                     "an account name has at most " + std::to_string(most) + " bytes");
      return types_.get(Kind::Identity);
    case Builtin::ExpectRevert: {
      if (!count(2, "expect_revert(message: string, Contract(address).method(...))"))
        return types_.error();
      expect_type(*e.args[0], types_.get(Kind::String), "as the expected message");
      Expr& call = *e.args[1];
      const Type* t = check(call);
      if (!t->is_error() && (call.kind != ExprKind::Call ||
                             (call.ref != Ref::InterfaceCall && call.ref != Ref::InterfaceDeploy)))
        diags_.error(call.span, "`expect_revert` expects a call to a contract here",
                     "write `expect_revert(\"message\", Contract(address).method(args))`");
      return kUnit;
    }
    default:
      break;
  }
  return types_.error();
}

const Type* Checker::check_deploy(Expr& e, const InterfaceDecl& iface) {
  if (!p_.test || !iface.init) {
    for (auto& a : e.args)
      check(*a);
    diags_.error(e.span, "`" + iface.name + "` cannot be deployed here",
                 p_.test ? "only a contract a test file imports can be deployed" : kTestOnlyHint);
    return types_.error();
  }
  e.ref = Ref::InterfaceDeploy;
  e.interface_decl = &iface;
  if (fn_ != nullptr) note_write(e.span, "deploy `" + iface.name + "`");
  check_args(e, iface.init->params, "`" + iface.name + ".deploy`");
  return types_.get(Kind::Identity);
}

}  // namespace assent::compiler
