// Code for what only test files use: the test built-ins and `Contract.deploy(...)`, as calls
// of `test.*` syscalls. Only `assent test` registers those, so a module that uses them is
// refused by a node's verifier.
#include "compiler/checker.hpp"
#include "compiler/codegen_function.hpp"

namespace assent::compiler {

llvm::Value* FunctionGen::deploy(const Expr& e, bool discard_result) {
  const InterfaceDecl& iface = *e.interface_decl;
  llvm::Value* size = nullptr;
  llvm::Value* args = encode_args(iface.init->params, e.args, &size);
  test_position(e.span);
  llvm::Value* out = alloca(e.type);
  cg_.syscall(
      b_, Syscall::TestDeploy,
      {cg_.rodata_string(b_, iface.module), b_.getInt64(iface.module.size()), args, size, out});
  return discard_result ? nullptr : out;
}

void FunctionGen::test_position(Span span) {
  if (cg_.program_.test) cg_.syscall(b_, Syscall::TestAt, {position(span)});
}

// Each built-in that can fail says where it is after its arguments are evaluated (they may
// call helpers that say where they are).
llvm::Value* FunctionGen::test_builtin(const Expr& e) {
  // A string's bytes follow its u32 length.
  auto text = [&](const Expr& arg) -> std::pair<llvm::Value*, llvm::Value*> {
    llvm::Value* blob = expr(arg);
    llvm::Value* len =
        b_.CreateZExt(b_.CreateAlignedLoad(cg_.i32_, blob, llvm::Align(4)), cg_.i64_);
    return {b_.CreateConstGEP1_64(cg_.i8_, blob, 4), len};
  };
  switch (static_cast<Builtin>(e.index)) {
    case Builtin::SetCaller:
      cg_.syscall(b_, Syscall::TestSetCaller, {expr(*e.args[0])});  // cannot fail
      return nullptr;
    case Builtin::AdvanceTime:
      cg_.syscall(b_, Syscall::TestAdvanceTime, {expr(*e.args[0])});
      return nullptr;
    case Builtin::AdvanceBlocks:
      cg_.syscall(b_, Syscall::TestAdvanceBlocks, {expr(*e.args[0])});
      return nullptr;
    case Builtin::ExpectEvent: {
      auto [ptr, len] = text(*e.args[0]);
      test_position(e.span);
      cg_.syscall(b_, Syscall::TestExpectEvent, {ptr, len});
      return nullptr;
    }
    case Builtin::Account: {
      auto [ptr, len] = text(*e.args[0]);
      llvm::Value* out = alloca(e.type);
      cg_.syscall(b_, Syscall::TestAccount, {ptr, len, out});
      return out;
    }
    case Builtin::ExpectRevert: {
      // Armed for the next contract call, whose result (there is none when it reverts as
      // expected) is not read; the call says where it is.
      auto [ptr, len] = text(*e.args[0]);
      cg_.syscall(b_, Syscall::TestExpectRevert, {ptr, len});
      const Expr& call = *e.args[1];
      if (call.ref == Ref::InterfaceDeploy)
        deploy(call, true);
      else
        call_interface(call, true);
      return nullptr;
    }
    default:
      break;
  }
  return nullptr;
}

}  // namespace assent::compiler
