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
  auto* present = new_block("stored");
  auto* absent = new_block("not_stored");
  auto* join = new_block("read");
  Span none;
  if (t->is_fixed_size()) {
    const uint64_t n = cg_.encoded_size(t);
    llvm::Value* buf = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, n));
    llvm::Value* len = cg_.syscall(b_, "storage.get", {key.ptr, key.len, buf, b_.getInt64(n)});
    llvm::Value* exists = b_.CreateICmpNE(len, b_.getInt64(~uint64_t{0}));
    if (found) *found = exists;
    b_.CreateCondBr(exists, present, absent);
    b_.SetInsertPoint(present);
    trap_unless(b_.CreateICmpEQ(len, b_.getInt64(n)), "corrupt storage value", none);
    decode_or_trap(t, buf, b_.CreateConstGEP1_64(cg_.i8_, buf, n), out, "corrupt storage value",
                   none);
  } else {
    llvm::Value* stored = b_.CreateCall(cg_.helper_storage_read(), {key.ptr, key.len});
    llvm::Value* exists = b_.CreateIsNotNull(stored);
    if (found) *found = exists;
    b_.CreateCondBr(exists, present, absent);
    b_.SetInsertPoint(present);
    llvm::Value* len = b_.CreateAlignedLoad(cg_.i64_, stored, llvm::Align(8));
    llvm::Value* data = b_.CreateConstGEP1_64(cg_.i8_, stored, 8);
    decode_or_trap(t, data, b_.CreateGEP(cg_.i8_, data, len), out, "corrupt storage value", none);
  }
  b_.CreateBr(join);
  b_.SetInsertPoint(absent);
  b_.CreateCall(cg_.default_fn(t), {out});
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  return cg_.load_mem(b_, t, out);
}

void FunctionGen::storage_write(const Type* t, Key key, llvm::Value* value) {
  llvm::Value* buf;
  llvm::Value* size;
  if (t->is_fixed_size()) {
    const uint64_t n = cg_.encoded_size(t);
    buf = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, n));
    b_.CreateCall(cg_.encode_fn(t), {buf, value});
    size = b_.getInt64(n);
  } else {
    buf = encode_to_heap(t, value, &size);
  }
  cg_.syscall(b_, "storage.set", {key.ptr, key.len, buf, size});
}

llvm::Value* FunctionGen::storage_list_length(const StorageField& f) {
  return storage_read(&kU64Type, storage_key(f, nullptr));
}

}  // namespace assent::compiler
