// Contract storage through the storage syscalls. Keys are [field id][key encoding]; list
// lengths live under [field id], list elements under [field id][index, u64 big-endian];
// values are ABI-encoded (docs/language.md "Storage layout").
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen_function.hpp"

namespace assent::compiler {

FunctionGen::Key FunctionGen::storage_key(const StorageField& f, const Expr* key) {
  const Type* key_type = key ? key->type : nullptr;
  const uint64_t size = 1 + (key_type ? cg_.key_size(key_type) : 0);
  llvm::Value* buf = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, size));
  b_.CreateStore(b_.getInt8(f.id), buf);
  if (key_type) cg_.encode_key(b_, key_type, expr(*key), b_.CreateConstGEP1_64(cg_.i8_, buf, 1));
  return {buf, b_.getInt64(size)};
}

FunctionGen::Key FunctionGen::list_element_key(const StorageField& f, llvm::Value* index) {
  llvm::Value* buf = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, 9));
  b_.CreateStore(b_.getInt8(f.id), buf);
  b_.CreateAlignedStore(b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, index),
                        b_.CreateConstGEP1_64(cg_.i8_, buf, 1), llvm::Align(8));
  return {buf, b_.getInt64(9)};
}

llvm::Value* FunctionGen::storage_read(const Type* t, Key key, llvm::Value** found) {
  llvm::Value* out = alloca(t);
  llvm::Value* exists = b_.CreateCall(cg_.storage_read_fn(t), {key.ptr, key.len, out});
  if (found) *found = exists;
  return cg_.load_mem(b_, t, out);
}

void FunctionGen::storage_write(const Type* t, Key key, llvm::Value* value) {
  b_.CreateCall(cg_.storage_write_fn(t), {key.ptr, key.len, value});
}

// i1 __assent_read(ptr key, i64 key_len, ptr out): the value under the key decoded into
// `out` (its default when absent); returns whether it was there. One function per type,
// never inlined: storage access costs a syscall anyway, and inlining it at every use made
// large contracts slow to compile.
llvm::Function* CodeGen::storage_read_fn(const Type* t) {
  auto& slot = storage_fns_[{0, t}];
  if (slot) return slot;
  auto* f = llvm::Function::Create(llvm::FunctionType::get(i1_, {ptr_, i64_, ptr_}, false),
                                   llvm::Function::InternalLinkage, "__assent_read", mod_);
  f->addFnAttr("no-builtins");
  f->addFnAttr(llvm::Attribute::NoInline);
  slot = f;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  auto* present = llvm::BasicBlock::Create(ctx_, "stored", f);
  auto* absent = llvm::BasicBlock::Create(ctx_, "not_stored", f);
  auto* corrupt = llvm::BasicBlock::Create(ctx_, "corrupt", f);
  llvm::Value* key = f->getArg(0);
  llvm::Value* key_len = f->getArg(1);
  llvm::Value* out = f->getArg(2);
  llvm::Value* data;
  llvm::Value* end;
  if (t->is_fixed_size()) {
    const uint64_t n = encoded_size(t);
    data = alloca_in_entry(b, llvm::ArrayType::get(i8_, n));
    llvm::Value* len = syscall(b, Syscall::StorageGet, {key, key_len, data, b.getInt64(n)});
    b.CreateCondBr(b.CreateICmpNE(len, b.getInt64(~uint64_t{0})), present, absent);
    b.SetInsertPoint(present);
    auto* sized = llvm::BasicBlock::Create(ctx_, "sized", f);
    b.CreateCondBr(b.CreateICmpEQ(len, b.getInt64(n)), sized, corrupt);
    b.SetInsertPoint(sized);
    end = b.CreateConstGEP1_64(i8_, data, n);
  } else {
    llvm::Value* stored = b.CreateCall(helper_storage_read(), {key, key_len});
    b.CreateCondBr(b.CreateIsNotNull(stored), present, absent);
    b.SetInsertPoint(present);
    llvm::Value* len = b.CreateAlignedLoad(i64_, stored, llvm::Align(8));
    data = b.CreateConstGEP1_64(i8_, stored, 8);
    end = b.CreateGEP(i8_, data, len);
  }
  llvm::Value* after = b.CreateCall(decode_fn(t), {data, end, out});
  auto* decoded = llvm::BasicBlock::Create(ctx_, "decoded", f);
  b.CreateCondBr(b.CreateICmpEQ(b.CreatePtrToInt(after, i64_), b.CreatePtrToInt(end, i64_)),
                 decoded, corrupt);
  b.SetInsertPoint(decoded);
  b.CreateRet(b.getInt1(true));
  b.SetInsertPoint(absent);
  b.CreateCall(default_fn(t), {out});
  b.CreateRet(b.getInt1(false));
  b.SetInsertPoint(corrupt);
  const std::string message = "corrupt storage value";
  abort_here(b, rodata_string(b, message), b.getInt64(message.size()), b.getInt64(0));
  return f;
}

// void __assent_write(ptr key, i64 key_len, value): encodes and stores the value.
llvm::Function* CodeGen::storage_write_fn(const Type* t) {
  auto& slot = storage_fns_[{1, t}];
  if (slot) return slot;
  auto* f = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr_, i64_, value_type(t)}, false),
      llvm::Function::InternalLinkage, "__assent_write", mod_);
  f->addFnAttr("no-builtins");
  f->addFnAttr(llvm::Attribute::NoInline);
  slot = f;
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  llvm::Value* value = f->getArg(2);
  llvm::Value* buf;
  llvm::Value* size;
  if (t->is_fixed_size()) {
    const uint64_t n = encoded_size(t);
    buf = alloca_in_entry(b, llvm::ArrayType::get(i8_, n));
    size = b.getInt64(n);
  } else {
    size = b.CreateCall(size_fn(t), {value});
    buf = b.CreateCall(helper_alloc(), {size});
  }
  b.CreateCall(encode_fn(t), {buf, value});
  syscall(b, Syscall::StorageSet, {f->getArg(0), f->getArg(1), buf, size});
  b.CreateRetVoid();
  return f;
}

llvm::Value* FunctionGen::storage_list_length(const StorageField& f) {
  return storage_read(&kU64Type, storage_key(f, nullptr));
}

llvm::Value* FunctionGen::storage_list_value(const StorageField& f, Span span) {
  const Type* element = f.resolved->args[0];
  const uint64_t size = cg_.encoded_size(element);
  llvm::Value* length = storage_list_length(f);
  // A list value counts its elements in 32 bits; a longer storage list cannot be passed whole.
  trap_unless(b_.CreateICmpULE(length, b_.getInt64(UINT32_MAX / (size + 1))),
              "list too long to pass as a value", span);
  llvm::Value* list = b_.CreateCall(
      cg_.helper_alloc(), {b_.CreateAdd(b_.getInt64(4), b_.CreateMul(length, b_.getInt64(size)))});
  b_.CreateStore(b_.CreateTrunc(length, cg_.i32_), list);
  llvm::Value* counter = cg_.alloca_in_entry(b_, cg_.i64_);
  b_.CreateStore(b_.getInt64(0), counter);
  auto* head = new_block("list_copy");
  auto* body = new_block("list_copy_body");
  auto* exit = new_block("list_copied");
  b_.CreateBr(head);
  b_.SetInsertPoint(head);
  llvm::Value* i = b_.CreateLoad(cg_.i64_, counter);
  b_.CreateCondBr(b_.CreateICmpULT(i, length), body, exit);
  b_.SetInsertPoint(body);
  llvm::Value* at =
      b_.CreateGEP(cg_.i8_, list, b_.CreateAdd(b_.getInt64(4), b_.CreateMul(i, b_.getInt64(size))));
  b_.CreateCall(cg_.encode_fn(element), {at, storage_read(element, list_element_key(f, i))});
  b_.CreateStore(b_.CreateAdd(i, b_.getInt64(1)), counter);
  b_.CreateBr(head);
  b_.SetInsertPoint(exit);
  return list;
}

}  // namespace assent::compiler
