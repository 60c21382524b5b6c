// Runtime helpers emitted into every module that needs them: syscalls, the heap allocator,
// copies and comparisons of memory, aborts, storage reads and read-only data.
#include <llvm/IR/Constants.h>
#include <llvm/Support/ErrorHandling.h>

#include "compiler/codegen.hpp"
#include "vm/memory.hpp"

namespace assent::compiler {

namespace {

llvm::Function* new_helper(llvm::Module& m, const std::string& name, llvm::FunctionType* type) {
  auto* f = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, m);
  // No library calls exist in the VM: keep LLVM from turning loops into memcpy/memset.
  f->addFnAttr("no-builtins");
  f->addFnAttr(llvm::Attribute::NoUnwind);
  return f;
}

}  // namespace

// A syscall is a call of an external function named like the syscall; the linker turns
// each such call into `call imm` with src 0 and imm the import's index. (A call through a
// constant address, as kernel BPF programs do it, would make import 0 a null pointer,
// which LLVM may assume is never called.)
llvm::Value* CodeGen::syscall(llvm::IRBuilder<>& b, Syscall id, std::vector<llvm::Value*> args) {
  const stdlib::SyscallInfo& row = stdlib::info(id);
  if (args.size() != row.arity())
    llvm::report_fatal_error(llvm::Twine("internal error: ") + row.name + " takes " +
                             llvm::Twine(row.arity()) + " arguments, not " +
                             llvm::Twine(args.size()));
  const std::string name(row.name);
  if (import_index_.emplace(name, static_cast<uint32_t>(imports_.size())).second)
    imports_.push_back(name);
  std::vector<llvm::Type*> params(args.size(), i64_);
  for (auto& a : args) {
    if (a->getType()->isPointerTy())
      a = b.CreatePtrToInt(a, i64_);
    else if (a->getType() != i64_)
      a = b.CreateZExt(a, i64_);
  }
  auto callee = mod_.getOrInsertFunction(name, llvm::FunctionType::get(i64_, params, false));
  if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee()))
    f->addFnAttr(llvm::Attribute::NoUnwind);
  return b.CreateCall(callee, args);
}

// ptr __assent_alloc(i64 n): bump allocation in the heap. Heap word 0 holds the next free
// offset (0 means 16: the first two words are the allocator's), word 1 the mapped size;
// the heap grows through vm.heap_grow, which traps past the machine's limit.
llvm::Function* CodeGen::helper_alloc() {
  if (auto it = helpers_.find("alloc"); it != helpers_.end()) return it->second;
  auto* f = new_helper(mod_, "__assent_alloc", llvm::FunctionType::get(ptr_, {i64_}, false));
  helpers_["alloc"] = f;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  auto* grow = llvm::BasicBlock::Create(ctx_, "grow", f);
  auto* done = llvm::BasicBlock::Create(ctx_, "done", f);
  const uint64_t base = vm::region_base(vm::RegionId::Heap);
  llvm::Value* top_slot = b.CreateIntToPtr(b.getInt64(base), ptr_);
  llvm::Value* mapped_slot = b.CreateIntToPtr(b.getInt64(base + 8), ptr_);
  llvm::Value* top = b.CreateAlignedLoad(i64_, top_slot, llvm::Align(8));
  top = b.CreateSelect(b.CreateICmpEQ(top, b.getInt64(0)), b.getInt64(16), top);
  // A request of 4 GiB or more asks for more heap than any machine has, so that
  // vm.heap_grow fails it (and the sum below cannot overflow).
  llvm::Value* n = f->getArg(0);
  n = b.CreateSelect(b.CreateICmpUGE(n, b.getInt64(uint64_t{1} << 32)),
                     b.getInt64(uint64_t{1} << 40), n);
  llvm::Value* end =
      b.CreateAnd(b.CreateAdd(b.CreateAdd(top, n), b.getInt64(7)), b.getInt64(~uint64_t{7}));
  llvm::Value* mapped = b.CreateAlignedLoad(i64_, mapped_slot, llvm::Align(8));
  b.CreateCondBr(b.CreateICmpUGT(end, mapped), grow, done);
  b.SetInsertPoint(grow);
  llvm::Value* now_mapped = syscall(b, Syscall::VmHeapGrow, {end});
  b.CreateAlignedStore(now_mapped, mapped_slot, llvm::Align(8));
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateAlignedStore(end, top_slot, llvm::Align(8));
  b.CreateRet(b.CreateIntToPtr(b.CreateAdd(top, b.getInt64(base)), ptr_));
  return f;
}

// void __assent_copy(ptr dst, ptr src, i64 n): 8 bytes at a time, then the rest.
llvm::Function* CodeGen::helper_copy() {
  if (auto it = helpers_.find("copy"); it != helpers_.end()) return it->second;
  auto* f =
      new_helper(mod_, "__assent_copy",
                 llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr_, ptr_, i64_}, false));
  helpers_["copy"] = f;
  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", f);
  auto* words = llvm::BasicBlock::Create(ctx_, "words", f);
  auto* bytes_check = llvm::BasicBlock::Create(ctx_, "bytes_check", f);
  auto* bytes = llvm::BasicBlock::Create(ctx_, "bytes", f);
  auto* done = llvm::BasicBlock::Create(ctx_, "done", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value* dst = f->getArg(0);
  llvm::Value* src = f->getArg(1);
  llvm::Value* n = f->getArg(2);
  llvm::Value* nwords = b.CreateLShr(n, 3);
  b.CreateCondBr(b.CreateICmpEQ(nwords, b.getInt64(0)), bytes_check, words);
  b.SetInsertPoint(words);
  auto* i = b.CreatePHI(i64_, 2);
  i->addIncoming(b.getInt64(0), entry);
  llvm::Value* off = b.CreateShl(i, 3);
  // The VM allows unaligned access, so words are moved whole wherever they are.
  llvm::Value* w = b.CreateAlignedLoad(i64_, b.CreateGEP(i8_, src, off), llvm::Align(8));
  b.CreateAlignedStore(w, b.CreateGEP(i8_, dst, off), llvm::Align(8));
  llvm::Value* next = b.CreateAdd(i, b.getInt64(1));
  i->addIncoming(next, words);
  b.CreateCondBr(b.CreateICmpULT(next, nwords), words, bytes_check);
  b.SetInsertPoint(bytes_check);
  llvm::Value* start = b.CreateShl(nwords, 3);
  b.CreateCondBr(b.CreateICmpULT(start, n), bytes, done);
  b.SetInsertPoint(bytes);
  auto* j = b.CreatePHI(i64_, 2);
  j->addIncoming(start, bytes_check);
  b.CreateStore(b.CreateLoad(i8_, b.CreateGEP(i8_, src, j)), b.CreateGEP(i8_, dst, j));
  llvm::Value* jn = b.CreateAdd(j, b.getInt64(1));
  j->addIncoming(jn, bytes);
  b.CreateCondBr(b.CreateICmpULT(jn, n), bytes, done);
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  return f;
}

// i1 __assent_equal(ptr a, ptr b, i64 n)
llvm::Function* CodeGen::helper_equal_bytes() {
  if (auto it = helpers_.find("equal"); it != helpers_.end()) return it->second;
  auto* f =
      new_helper(mod_, "__assent_equal", llvm::FunctionType::get(i1_, {ptr_, ptr_, i64_}, false));
  helpers_["equal"] = f;
  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", f);
  auto* loop = llvm::BasicBlock::Create(ctx_, "loop", f);
  auto* next_block = llvm::BasicBlock::Create(ctx_, "next", f);
  auto* same = llvm::BasicBlock::Create(ctx_, "same", f);
  auto* differ = llvm::BasicBlock::Create(ctx_, "differ", f);
  llvm::IRBuilder<> b(entry);
  b.CreateCondBr(b.CreateICmpEQ(f->getArg(2), b.getInt64(0)), same, loop);
  b.SetInsertPoint(loop);
  auto* i = b.CreatePHI(i64_, 2);
  i->addIncoming(b.getInt64(0), entry);
  llvm::Value* x = b.CreateLoad(i8_, b.CreateGEP(i8_, f->getArg(0), i));
  llvm::Value* y = b.CreateLoad(i8_, b.CreateGEP(i8_, f->getArg(1), i));
  b.CreateCondBr(b.CreateICmpEQ(x, y), next_block, differ);
  b.SetInsertPoint(next_block);
  llvm::Value* in = b.CreateAdd(i, b.getInt64(1));
  i->addIncoming(in, next_block);
  b.CreateCondBr(b.CreateICmpULT(in, f->getArg(2)), loop, same);
  b.SetInsertPoint(same);
  b.CreateRet(b.getInt1(true));
  b.SetInsertPoint(differ);
  b.CreateRet(b.getInt1(false));
  return f;
}

// void __assent_abort(ptr message, i64 length, i64 position): never returns. The position
// (line << 32 | column) goes to vm.abort, so that a receipt can say where the trap was.
llvm::Function* CodeGen::helper_abort() {
  if (auto it = helpers_.find("abort"); it != helpers_.end()) return it->second;
  auto* f =
      new_helper(mod_, "__assent_abort",
                 llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr_, i64_, i64_}, false));
  f->addFnAttr(llvm::Attribute::Cold);
  f->addFnAttr(llvm::Attribute::NoInline);
  helpers_["abort"] = f;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  syscall(b, Syscall::VmAbort, {f->getArg(0), f->getArg(1), f->getArg(2)});
  // vm.abort never returns, but the code after it must still end in `exit`: the verifier
  // refuses a function that runs off its end, so this is not `unreachable`.
  b.CreateRetVoid();
  return f;
}

void CodeGen::abort_here(llvm::IRBuilder<>& b, llvm::Value* message, llvm::Value* length,
                         llvm::Value* position) {
  b.CreateCall(helper_abort(), {message, length, position});
  llvm::Type* rt = b.GetInsertBlock()->getParent()->getReturnType();
  if (rt->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(llvm::Constant::getNullValue(rt));
}

// ptr __assent_storage_read(ptr key, i64 key_len): the stored value as [u64 length][bytes]
// on the heap, or null when the key is absent.
llvm::Function* CodeGen::helper_storage_read() {
  if (auto it = helpers_.find("storage_read"); it != helpers_.end()) return it->second;
  auto* f =
      new_helper(mod_, "__assent_storage_read", llvm::FunctionType::get(ptr_, {ptr_, i64_}, false));
  helpers_["storage_read"] = f;
  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", f);
  auto* found = llvm::BasicBlock::Create(ctx_, "found", f);
  auto* absent = llvm::BasicBlock::Create(ctx_, "absent", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value* len =
      syscall(b, Syscall::StorageGet, {f->getArg(0), f->getArg(1), b.getInt64(0), b.getInt64(0)});
  b.CreateCondBr(b.CreateICmpEQ(len, b.getInt64(~uint64_t{0})), absent, found);
  b.SetInsertPoint(found);
  llvm::Value* buf = b.CreateCall(helper_alloc(), {b.CreateAdd(len, b.getInt64(8))});
  b.CreateAlignedStore(len, buf, llvm::Align(8));
  llvm::Value* data = b.CreateGEP(i8_, buf, b.getInt64(8));
  syscall(b, Syscall::StorageGet, {f->getArg(0), f->getArg(1), data, len});
  b.CreateRet(buf);
  b.SetInsertPoint(absent);
  b.CreateRet(llvm::ConstantPointerNull::get(ptr_));
  return f;
}

llvm::Value* CodeGen::rodata_string(llvm::IRBuilder<>& b, const std::string& text) {
  (void)b;
  auto& g = strings_["s:" + text];
  if (g == nullptr) {
    auto* init = llvm::ConstantDataArray::getString(ctx_, text, false);
    g = new llvm::GlobalVariable(mod_, init->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                 init, "str");
    g->setAlignment(llvm::Align(8));
  }
  return g;
}

llvm::Value* CodeGen::rodata_blob(llvm::IRBuilder<>& b, const std::string& bytes) {
  (void)b;
  auto& g = strings_["b:" + bytes];
  if (g == nullptr) {
    std::string data(4, '\0');
    const auto n = static_cast<uint32_t>(bytes.size());
    for (int k = 0; k < 4; ++k)
      data[k] = static_cast<char>((n >> (8 * k)) & 0xff);
    data += bytes;
    auto* init = llvm::ConstantDataArray::getString(ctx_, data, false);
    g = new llvm::GlobalVariable(mod_, init->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                 init, "blob");
    g->setAlignment(llvm::Align(8));
  }
  return g;
}

}  // namespace assent::compiler
