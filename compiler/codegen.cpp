// The module: function declarations, bodies, export wrappers and the ABI.
#include "compiler/codegen.hpp"

#include <llvm/IR/Constants.h>

#include "compiler/codegen_function.hpp"

namespace assent::compiler {

CodeGen::CodeGen(const Program& program, llvm::LLVMContext& ctx, llvm::Module& module)
    : program_(program), ctx_(ctx), mod_(module) {
  i1_ = llvm::Type::getInt1Ty(ctx);
  i8_ = llvm::Type::getInt8Ty(ctx);
  i32_ = llvm::Type::getInt32Ty(ctx);
  i64_ = llvm::Type::getInt64Ty(ctx);
  ptr_ = llvm::PointerType::get(ctx, 0);
}

namespace {

bool exported(const Program& p, const FnDecl& f) {
  return f.kind != FnKind::Fn || !p.contract;
}

vm::ExportKind export_kind(FnKind k) {
  switch (k) {
    case FnKind::Action:
      return vm::ExportKind::Action;
    case FnKind::View:
      return vm::ExportKind::View;
    case FnKind::Init:
      return vm::ExportKind::Init;
    case FnKind::Fn:
      return vm::ExportKind::Function;
  }
  return vm::ExportKind::Function;
}

}  // namespace

// Internal functions take their Assent parameters as LLVM parameters (pointers for values
// kept in memory). A result kept in memory is written through a first pointer parameter.
// The BPF target passes at most five arguments in registers: a function that needs more
// takes one pointer to a struct holding them all.
void CodeGen::declare_functions() {
  for (const auto& f : program_.fns) {
    const Type* r = f->result_type;
    const bool sret = !r->is(Kind::Unit) && value_type(r)->isPointerTy() && !r->is(Kind::Bytes) &&
                      !r->is(Kind::String) && !r->is(Kind::List) && !r->is(Kind::Array);
    std::vector<llvm::Type*> params;
    if (sret) params.push_back(ptr_);
    for (const auto& p : f->params)
      params.push_back(value_type(p.resolved));
    const bool packed = params.size() > 5;
    if (packed) params = {ptr_};
    llvm::Type* result = r->is(Kind::Unit) || sret ? llvm::Type::getVoidTy(ctx_) : value_type(r);
    const std::string name = exported(program_, *f) ? f->name + "__impl" : f->name;
    auto* fn = llvm::Function::Create(llvm::FunctionType::get(result, params, false),
                                      llvm::Function::InternalLinkage, name, mod_);
    fn->addFnAttr("no-builtins");
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    impls_[f.get()] = fn;
    sret_[f.get()] = sret;
    packed_[f.get()] = packed;
  }
}

// The entry point of an export: decodes the arguments from the input (r1, r2), calls the
// implementation, encodes the result with vm.set_return and returns 0.
void CodeGen::define_wrapper(const FnDecl& f, ModulePlan& plan) {
  auto* fn = llvm::Function::Create(llvm::FunctionType::get(i64_, {ptr_, i64_}, false),
                                    llvm::Function::ExternalLinkage, f.name, mod_);
  fn->addFnAttr("no-builtins");
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", fn));
  llvm::Value* cursor = fn->getArg(0);
  llvm::Value* end = b.CreateGEP(i8_, cursor, fn->getArg(1));
  const std::string malformed = "malformed arguments for `" + f.name + "`";
  auto reject_unless = [&](llvm::Value* ok) {
    auto* bad = llvm::BasicBlock::Create(ctx_, "bad_arguments", fn);
    auto* good = llvm::BasicBlock::Create(ctx_, "ok", fn);
    b.CreateCondBr(ok, good, bad);
    b.SetInsertPoint(bad);
    abort_here(b, rodata_string(b, malformed), b.getInt64(malformed.size()), b.getInt64(0));
    b.SetInsertPoint(good);
  };
  std::vector<llvm::Value*> args;
  llvm::Value* result_slot = nullptr;
  if (sret_[&f]) {
    result_slot = alloca_in_entry(b, mem_type(f.result_type), mem_align(f.result_type));
    args.push_back(result_slot);
  }
  vm::Export e;
  e.name = f.name;
  e.kind = export_kind(f.kind);
  for (const auto& p : f.params) {
    llvm::Value* slot = alloca_in_entry(b, mem_type(p.resolved), mem_align(p.resolved));
    cursor = b.CreateCall(decode_fn(p.resolved), {cursor, end, slot});
    reject_unless(b.CreateIsNotNull(cursor));
    args.push_back(load_mem(b, p.resolved, slot));
    e.params.push_back({p.name, abi_type(p.resolved), false});
  }
  reject_unless(b.CreateICmpEQ(b.CreatePtrToInt(cursor, i64_), b.CreatePtrToInt(end, i64_)));
  llvm::Function* impl = impls_.at(&f);
  if (packed_[&f]) {
    std::vector<llvm::Type*> fields;
    for (auto* a : args)
      fields.push_back(a->getType());
    auto* st = llvm::StructType::get(ctx_, fields);
    llvm::Value* pack = alloca_in_entry(b, st);
    for (unsigned i = 0; i < args.size(); ++i)
      b.CreateStore(args[i], b.CreateStructGEP(st, pack, i));
    args = {pack};
  }
  llvm::Value* r = b.CreateCall(impl, args);
  const Type* rt = f.result_type;
  e.result = abi_type(rt);
  if (!rt->is(Kind::Unit)) {
    llvm::Value* v = result_slot ? result_slot : r;
    llvm::Value* size = b.CreateCall(size_fn(rt), {v});
    llvm::Value* buf = b.CreateCall(helper_alloc(), {size});
    b.CreateCall(encode_fn(rt), {buf, v});
    syscall(b, Syscall::VmSetReturn, {buf, size});
  }
  b.CreateRet(b.getInt64(0));
  plan.exports.push_back({e, f.name});
}

void CodeGen::build_abi(ModulePlan& plan) {
  // Every enum and record is in the ABI, whether or not an export names it, so that
  // clients can decode events and storage the same way.
  for (const auto& e : program_.enums)
    abi_named(e->type);
  for (const auto& r : program_.records)
    if (r->type) abi_named(r->type);
  if (program_.contract)
    for (const auto& ev : program_.contract->events) {
      vm::Event out{ev->name, {}};
      for (const auto& p : ev->params)
        out.fields.push_back({p.name, abi_type(p.resolved), p.indexed});
      abi_.events.push_back(std::move(out));
    }
  plan.abi = abi_;
}

ModulePlan CodeGen::generate() {
  ModulePlan plan;
  declare_functions();
  for (const auto& f : program_.fns)
    FunctionGen(*this, *f, impls_.at(f.get())).run();
  for (const auto& f : program_.fns)
    if (exported(program_, *f)) define_wrapper(*f, plan);
  build_abi(plan);
  plan.abi = abi_;  // wrappers may have added types
  plan.imports = imports_;
  return plan;
}

}  // namespace assent::compiler
