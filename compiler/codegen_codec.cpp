// Values in memory, the ABI encoding (encode, size, decode), equality, default values and
// storage keys, each emitted once per type as an internal function.
//
// The VM allows unaligned access, so loads and stores into encoded buffers claim the
// natural alignment of their type: the BPF back end would otherwise split them into bytes.
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen.hpp"

namespace assent::compiler {

namespace {

enum TypeFn { kEncode, kSize, kDecode, kEqual, kDefault };

// Helpers for scalars are a few instructions and inline well; those for aggregates and blobs
// stay out of line, which keeps contracts with many storage accesses quick to compile.
void set_inlining(llvm::Function* f, const Type* t) {
  if (!t->is_scalar()) f->addFnAttr(llvm::Attribute::NoInline);
}

// A codec, equality or default function of `t`, internal to the module. No library calls
// exist in the VM: LLVM must not turn its loops into memcpy or memset.
llvm::Function* new_type_fn(llvm::Module& m, const Type* t, llvm::FunctionType* type,
                            const char* name) {
  auto* f = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, m);
  f->addFnAttr("no-builtins");
  set_inlining(f, t);
  return f;
}

llvm::Align natural(uint64_t size) {
  return llvm::Align(size >= 8 ? 8 : size);
}

}  // namespace

llvm::Value* CodeGen::alloca_in_entry(llvm::IRBuilder<>& b, llvm::Type* type, uint64_t align) {
  llvm::Function* f = b.GetInsertBlock()->getParent();
  llvm::IRBuilder<> entry(&f->getEntryBlock(), f->getEntryBlock().begin());
  auto* a = entry.CreateAlloca(type);
  a->setAlignment(llvm::Align(align));
  return a;
}

llvm::Value* CodeGen::invariant_load(llvm::IRBuilder<>& b, llvm::Type* type, llvm::Value* ptr,
                                     uint64_t align) {
  auto* load = b.CreateAlignedLoad(type, ptr, llvm::Align(align));
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  return load;
}

bool CodeGen::encoding_is_layout(const Type* t) {
  // Scalars (a bool is a byte of 0 or 1 in memory, as encoded), identities and u256s are
  // stored in memory exactly as encoded.
  switch (t->repr()) {
    case Repr::Scalar:
    case Repr::Bytes32:
      return true;
    case Repr::Aggregate: {
      auto* st = llvm::cast<llvm::StructType>(mem_type(t));
      const auto* layout = mod_.getDataLayout().getStructLayout(st);
      uint64_t offset = 0;
      const auto members = t->members();
      for (unsigned i = 0; i < members.size(); ++i) {
        const Type* m = members[i];
        if (!encoding_is_layout(m) || layout->getElementOffset(i) != offset) return false;
        offset += encoded_size(m);
      }
      return offset == layout->getSizeInBytes();
    }
    default:
      return false;
  }
}

void CodeGen::copy_bytes(llvm::IRBuilder<>& b, llvm::Value* dst, llvm::Value* src, llvm::Value* n) {
  b.CreateCall(helper_copy(), {dst, src, n});
}

void CodeGen::copy_fixed(llvm::IRBuilder<>& b, llvm::Value* dst, llvm::Value* src, uint64_t n) {
  if (n > 128) {
    copy_bytes(b, dst, src, b.getInt64(n));
    return;
  }
  uint64_t off = 0;
  for (; off + 8 <= n; off += 8) {
    llvm::Value* w = b.CreateAlignedLoad(i64_, b.CreateConstGEP1_64(i8_, src, off), llvm::Align(8));
    b.CreateAlignedStore(w, b.CreateConstGEP1_64(i8_, dst, off), llvm::Align(8));
  }
  for (; off < n; ++off)
    b.CreateStore(b.CreateLoad(i8_, b.CreateConstGEP1_64(i8_, src, off)),
                  b.CreateConstGEP1_64(i8_, dst, off));
}

llvm::Value* CodeGen::load_mem(llvm::IRBuilder<>& b, const Type* t, llvm::Value* ptr) {
  if (t->is(Kind::Bool)) return b.CreateICmpNE(b.CreateLoad(i8_, ptr), b.getInt8(0));
  switch (t->repr()) {
    case Repr::Bytes32:
    case Repr::Aggregate:
      return ptr;
    default: {
      llvm::Type* vt = value_type(t);
      return b.CreateAlignedLoad(vt, ptr,
                                 vt->isPointerTy() ? llvm::Align(8) : natural(mem_size(t)));
    }
  }
}

void CodeGen::store_mem(llvm::IRBuilder<>& b, const Type* t, llvm::Value* value, llvm::Value* ptr) {
  if (t->is(Kind::Bool)) {
    b.CreateStore(b.CreateZExt(value, i8_), ptr);
    return;
  }
  switch (t->repr()) {
    case Repr::Bytes32:
    case Repr::Aggregate:
      if (value != ptr) copy_fixed(b, ptr, value, mem_size(t));
      return;
    default:
      b.CreateAlignedStore(value, ptr,
                           value->getType()->isPointerTy() ? llvm::Align(8) : natural(mem_size(t)));
  }
}

llvm::Value* CodeGen::encode_key(llvm::IRBuilder<>& b, const Type* t, llvm::Value* v,
                                 llvm::Value* dst) {
  const uint64_t n = kind_info(t->kind).bytes;
  switch (t->repr()) {
    case Repr::Scalar:
      if (t->is(Kind::Bool)) v = b.CreateZExt(v, i8_);
      if (t->is(Kind::I64)) v = b.CreateXor(v, b.getInt64(uint64_t{1} << 63));  // negatives first
      if (n > 1) v = b.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, v);
      b.CreateAlignedStore(v, dst, natural(n));
      return b.CreateConstGEP1_64(i8_, dst, n);
    case Repr::Bytes32:  // identity (a u256 is no key)
      copy_fixed(b, dst, v, n);
      return b.CreateConstGEP1_64(i8_, dst, n);
    case Repr::Aggregate: {  // a tuple (a record is no key)
      auto* st = mem_type(t);
      for (unsigned i = 0; i < t->args.size(); ++i)
        dst = encode_key(b, t->args[i], load_mem(b, t->args[i], b.CreateStructGEP(st, v, i)), dst);
      return dst;
    }
    default:
      return dst;  // the checker admits no other key types
  }
}

llvm::Function* CodeGen::encode_fn(const Type* t) {
  auto& slot = type_fns_[{kEncode, t}];
  if (slot) return slot;
  llvm::Function* f = slot = new_type_fn(
      mod_, t, llvm::FunctionType::get(ptr_, {ptr_, value_type(t)}, false), "__assent_encode");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  llvm::Value* dst = f->getArg(0);
  llvm::Value* v = f->getArg(1);
  switch (t->repr()) {
    case Repr::Scalar: {
      const uint64_t n = encoded_size(t);
      llvm::Value* w = t->is(Kind::Bool) ? b.CreateZExt(v, i8_) : v;
      b.CreateAlignedStore(w, dst, natural(n));
      b.CreateRet(b.CreateConstGEP1_64(i8_, dst, n));
      break;
    }
    case Repr::Bytes32: {
      const uint64_t n = encoded_size(t);
      copy_fixed(b, dst, v, n);
      b.CreateRet(b.CreateConstGEP1_64(i8_, dst, n));
      break;
    }
    case Repr::Blob: {
      llvm::Value* n = b.CreateCall(size_fn(t), {v});
      copy_bytes(b, dst, v, n);  // the blob is its own encoding
      b.CreateRet(b.CreateGEP(i8_, dst, n));
      break;
    }
    case Repr::Aggregate: {
      auto* st = mem_type(t);
      const auto members = t->members();
      for (unsigned i = 0; i < members.size(); ++i) {
        const Type* m = members[i];
        dst = b.CreateCall(encode_fn(m), {dst, load_mem(b, m, b.CreateStructGEP(st, v, i))});
      }
      b.CreateRet(dst);
      break;
    }
    default:
      b.CreateRet(dst);
  }
  return f;
}

llvm::Function* CodeGen::size_fn(const Type* t) {
  auto& slot = type_fns_[{kSize, t}];
  if (slot) return slot;
  llvm::Function* f = slot =
      new_type_fn(mod_, t, llvm::FunctionType::get(i64_, {value_type(t)}, false), "__assent_size");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  llvm::Value* v = f->getArg(0);
  if (t->is_fixed_size()) {
    b.CreateRet(b.getInt64(encoded_size(t)));
  } else if (t->is(Kind::Bytes) || t->is(Kind::String)) {
    llvm::Value* len = b.CreateZExt(b.CreateAlignedLoad(i32_, v, llvm::Align(4)), i64_);
    b.CreateRet(b.CreateAdd(len, b.getInt64(4)));
  } else if (t->is(Kind::List)) {
    llvm::Value* count = b.CreateZExt(b.CreateAlignedLoad(i32_, v, llvm::Align(4)), i64_);
    b.CreateRet(
        b.CreateAdd(b.CreateMul(count, b.getInt64(encoded_size(t->args[0]))), b.getInt64(4)));
  } else {
    auto* st = mem_type(t);
    llvm::Value* total = b.getInt64(0);
    const auto members = t->members();
    for (unsigned i = 0; i < members.size(); ++i) {
      const Type* m = members[i];
      total = b.CreateAdd(total,
                          b.CreateCall(size_fn(m), {load_mem(b, m, b.CreateStructGEP(st, v, i))}));
    }
    b.CreateRet(total);
  }
  return f;
}

llvm::Function* CodeGen::decode_fn(const Type* t) {
  auto& slot = type_fns_[{kDecode, t}];
  if (slot) return slot;
  llvm::Function* f = slot = new_type_fn(
      mod_, t, llvm::FunctionType::get(ptr_, {ptr_, ptr_, ptr_}, false), "__assent_decode");
  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", f);
  auto* bad = llvm::BasicBlock::Create(ctx_, "bad", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value* src = f->getArg(0);
  llvm::Value* end = f->getArg(1);
  llvm::Value* out = f->getArg(2);
  auto require = [&](llvm::Value* ok) {
    auto* next = llvm::BasicBlock::Create(ctx_, "ok", f);
    b.CreateCondBr(ok, next, bad);
    b.SetInsertPoint(next);
  };
  auto fits = [&](llvm::Value* from, llvm::Value* n) {
    llvm::Value* have = b.CreateSub(b.CreatePtrToInt(end, i64_), b.CreatePtrToInt(from, i64_));
    return b.CreateICmpULE(n, have);
  };
  switch (t->repr()) {
    case Repr::Scalar: {
      const uint64_t n = encoded_size(t);
      require(fits(src, b.getInt64(n)));
      llvm::Type* raw = b.getIntNTy(static_cast<unsigned>(n * 8));
      llvm::Value* v = b.CreateAlignedLoad(raw, src, natural(n));
      if (t->is(Kind::Bool)) require(b.CreateICmpULE(v, b.getInt8(1)));
      if (t->is(Kind::Enum))
        require(b.CreateICmpULT(v, b.getInt8(static_cast<uint8_t>(t->enum_decl->variants.size()))));
      if (t->is(Kind::Set)) {
        const auto variants = t->args[0]->enum_decl->variants.size();
        const uint64_t mask = variants >= 64 ? ~uint64_t{0} : (uint64_t{1} << variants) - 1;
        require(b.CreateICmpEQ(b.CreateAnd(v, b.getInt64(~mask)), b.getInt64(0)));
      }
      b.CreateAlignedStore(v, out, natural(n));
      b.CreateRet(b.CreateConstGEP1_64(i8_, src, n));
      break;
    }
    case Repr::Bytes32: {
      const uint64_t n = encoded_size(t);
      require(fits(src, b.getInt64(n)));
      copy_fixed(b, out, src, n);
      b.CreateRet(b.CreateConstGEP1_64(i8_, src, n));
      break;
    }
    case Repr::Blob: {
      require(fits(src, b.getInt64(4)));
      llvm::Value* count = b.CreateZExt(b.CreateAlignedLoad(i32_, src, llvm::Align(4)), i64_);
      const uint64_t element = t->is(Kind::List) ? encoded_size(t->args[0]) : 1;
      llvm::Value* n = b.CreateAdd(b.CreateMul(count, b.getInt64(element)), b.getInt64(4));
      require(fits(src, n));
      if (t->is(Kind::List)) {
        // Check every element once here, so that reading one later cannot fail.
        auto* loop = llvm::BasicBlock::Create(ctx_, "element", f);
        auto* done = llvm::BasicBlock::Create(ctx_, "elements_done", f);
        llvm::Value* scratch = alloca_in_entry(b, mem_type(t->args[0]));
        auto* before = b.GetInsertBlock();
        b.CreateCondBr(b.CreateICmpEQ(count, b.getInt64(0)), done, loop);
        b.SetInsertPoint(loop);
        auto* i = b.CreatePHI(i64_, 2);
        i->addIncoming(b.getInt64(0), before);
        llvm::Value* at =
            b.CreateGEP(i8_, src, b.CreateAdd(b.getInt64(4), b.CreateMul(i, b.getInt64(element))));
        llvm::Value* r = b.CreateCall(decode_fn(t->args[0]), {at, end, scratch});
        require(b.CreateIsNotNull(r));
        llvm::Value* next = b.CreateAdd(i, b.getInt64(1));
        i->addIncoming(next, b.GetInsertBlock());
        b.CreateCondBr(b.CreateICmpULT(next, count), loop, done);
        b.SetInsertPoint(done);
      }
      b.CreateAlignedStore(src, out, llvm::Align(8));  // zero-copy: the value is the blob in place
      b.CreateRet(b.CreateGEP(i8_, src, n));
      break;
    }
    case Repr::Aggregate: {
      auto* st = mem_type(t);
      const auto members = t->members();
      for (unsigned i = 0; i < members.size(); ++i) {
        const Type* m = members[i];
        src = b.CreateCall(decode_fn(m), {src, end, b.CreateStructGEP(st, out, i)});
        require(b.CreateIsNotNull(src));
      }
      b.CreateRet(src);
      break;
    }
    default:
      b.CreateRet(src);
  }
  b.SetInsertPoint(bad);
  b.CreateRet(llvm::ConstantPointerNull::get(ptr_));
  return f;
}

llvm::Function* CodeGen::equal_fn(const Type* t) {
  auto& slot = type_fns_[{kEqual, t}];
  if (slot) return slot;
  llvm::Function* f = slot =
      new_type_fn(mod_, t, llvm::FunctionType::get(i1_, {value_type(t), value_type(t)}, false),
                  "__assent_equal_value");
  auto* entry = llvm::BasicBlock::Create(ctx_, "entry", f);
  auto* differ = llvm::BasicBlock::Create(ctx_, "differ", f);
  llvm::IRBuilder<> b(entry);
  llvm::Value* x = f->getArg(0);
  llvm::Value* y = f->getArg(1);
  if (t->is_scalar()) {
    b.CreateRet(b.CreateICmpEQ(x, y));
  } else if (t->repr() == Repr::Bytes32) {
    b.CreateRet(b.CreateCall(helper_equal_bytes(), {x, y, b.getInt64(encoded_size(t))}));
  } else if (t->repr() == Repr::Blob) {
    llvm::Value* nx = b.CreateCall(size_fn(t), {x});
    llvm::Value* ny = b.CreateCall(size_fn(t), {y});
    auto* same_size = llvm::BasicBlock::Create(ctx_, "same_size", f);
    b.CreateCondBr(b.CreateICmpEQ(nx, ny), same_size, differ);
    b.SetInsertPoint(same_size);
    b.CreateRet(b.CreateCall(helper_equal_bytes(), {x, y, nx}));
  } else {
    auto* st = mem_type(t);
    const auto members = t->members();
    for (unsigned i = 0; i < members.size(); ++i) {
      const Type* m = members[i];
      llvm::Value* e = b.CreateCall(equal_fn(m), {load_mem(b, m, b.CreateStructGEP(st, x, i)),
                                                  load_mem(b, m, b.CreateStructGEP(st, y, i))});
      auto* next = llvm::BasicBlock::Create(ctx_, "next", f);
      b.CreateCondBr(e, next, differ);
      b.SetInsertPoint(next);
    }
    b.CreateRet(b.getInt1(true));
  }
  b.SetInsertPoint(differ);
  b.CreateRet(b.getInt1(false));
  return f;
}

llvm::Function* CodeGen::default_fn(const Type* t) {
  auto& slot = type_fns_[{kDefault, t}];
  if (slot) return slot;
  llvm::Function* f = slot =
      new_type_fn(mod_, t, llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr_}, false),
                  "__assent_default");
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  llvm::Value* out = f->getArg(0);
  switch (t->repr()) {
    case Repr::Blob:
      b.CreateAlignedStore(empty_blob(b), out, llvm::Align(8));
      break;
    case Repr::Bytes32:
      for (uint64_t k = 0; k < encoded_size(t); k += 8)
        b.CreateAlignedStore(b.getInt64(0), b.CreateConstGEP1_64(i8_, out, k), llvm::Align(8));
      break;
    case Repr::Aggregate: {
      auto* st = mem_type(t);
      const auto members = t->members();
      for (unsigned i = 0; i < members.size(); ++i) {
        const Type* m = members[i];
        b.CreateCall(default_fn(m), {b.CreateStructGEP(st, out, i)});
      }
      break;
    }
    default:
      b.CreateStore(llvm::Constant::getNullValue(mem_type(t)), out);
  }
  b.CreateRetVoid();
  return f;
}

}  // namespace assent::compiler
