// Expressions. Arithmetic is checked: overflow, division by zero and out-of-range
// conversions trap with a message and the source position (docs/language.md "Traps").
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/checker.hpp"
#include "compiler/codegen_function.hpp"

namespace assent::compiler {

namespace {

uint64_t max_of(const Type* t) {
  switch (t->kind) {
    case Kind::U8:
      return 0xff;
    case Kind::U32:
      return 0xffffffffu;
    case Kind::I64:
      return INT64_MAX;
    default:
      return UINT64_MAX;
  }
}

}  // namespace

llvm::Value* FunctionGen::identity_from(Syscall id) {
  llvm::Value* out = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, 32));
  cg_.syscall(b_, id, {out});
  return out;
}

llvm::Value* FunctionGen::expr(const Expr& e) {
  const Type* t = e.type;
  switch (e.kind) {
    case ExprKind::IntLit: {
      uint64_t limbs[4];
      parse_u256(e.text, limbs);
      if (t->is(Kind::U256)) {
        std::string bytes(32, '\0');
        for (int i = 0; i < 32; ++i)
          bytes[i] = static_cast<char>((limbs[i / 8] >> (8 * (i % 8))) & 0xff);
        auto* init = llvm::ConstantDataArray::getString(cg_.ctx_, bytes, false);
        auto* g = new llvm::GlobalVariable(cg_.mod_, init->getType(), true,
                                           llvm::GlobalValue::PrivateLinkage, init, "u256");
        g->setAlignment(llvm::Align(8));
        return g;
      }
      return llvm::ConstantInt::get(cg_.value_type(t), limbs[0]);
    }
    case ExprKind::DurationLit:
      return b_.getInt64(e.seconds);
    case ExprKind::StringLit:
    case ExprKind::BytesLit:
      return cg_.rodata_blob(b_, e.text);
    case ExprKind::BoolLit:
      return b_.getInt1(e.bool_value);
    case ExprKind::Caller:
      return identity_from(Syscall::CtxCaller);
    case ExprKind::This:
      return identity_from(Syscall::CtxSelf);
    case ExprKind::Now:
      return cg_.syscall(b_, Syscall::CtxNow, {});
    case ExprKind::Name:
      if (e.ref == Ref::Local)
        return cg_.load_mem(b_, t, slots_[static_cast<std::size_t>(e.local)]);
      if (t->is(Kind::List)) return storage_list_value(*e.storage_field, e.span);
      return storage_read(t, storage_key(*e.storage_field, nullptr));
    case ExprKind::Unary: {
      if (e.op == Tok::Bang) return b_.CreateXor(expr(*e.lhs), b_.getInt1(true));
      if (e.lhs->kind == ExprKind::IntLit) {  // a negative literal: fold, never trap
        uint64_t limbs[4];
        parse_u256(e.lhs->text, limbs);
        return b_.getInt64(0 - limbs[0]);
      }
      llvm::Value* v = expr(*e.lhs);
      trap_unless(b_.CreateICmpNE(v, b_.getInt64(uint64_t{1} << 63)), "arithmetic overflow",
                  e.span);
      return b_.CreateSub(b_.getInt64(0), v);
    }
    case ExprKind::Binary:
      return binary(e);
    case ExprKind::Call:
      return call(e);
    case ExprKind::Member: {
      if (e.ref == Ref::EnumVariant) return b_.getInt8(static_cast<uint8_t>(e.index));
      llvm::Value* base = expr(*e.lhs);
      return cg_.load_mem(b_, t, b_.CreateStructGEP(cg_.mem_type(e.lhs->type), base, e.index));
    }
    case ExprKind::Index:
      return index(e);
    case ExprKind::RecordLit:
      return record_literal(e);
    case ExprKind::TupleLit:
      return tuple_literal(e);
    case ExprKind::SetLit:
      return set_literal(e);
    case ExprKind::ListLit:
      return list_literal(e);
  }
  return nullptr;
}

llvm::Value* FunctionGen::binary(const Expr& e) {
  const Tok op = e.op;
  if (op == Tok::AmpAmp || op == Tok::PipePipe) {
    llvm::Value* lhs = expr(*e.lhs);
    auto* from = b_.GetInsertBlock();
    auto* rhs_block = new_block("rhs");
    auto* join = new_block("logic");
    if (op == Tok::AmpAmp)
      b_.CreateCondBr(lhs, rhs_block, join);
    else
      b_.CreateCondBr(lhs, join, rhs_block);
    b_.SetInsertPoint(rhs_block);
    llvm::Value* rhs = expr(*e.rhs);
    auto* rhs_end = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    auto* phi = b_.CreatePHI(cg_.i1_, 2);
    phi->addIncoming(b_.getInt1(op == Tok::PipePipe), from);
    phi->addIncoming(rhs, rhs_end);
    return phi;
  }
  if (op == Tok::KwIn) {
    const Type* container = e.rhs->type;
    if (container->is(Kind::Set)) {
      llvm::Value* member = b_.CreateZExt(expr(*e.lhs), cg_.i64_);
      llvm::Value* set = expr(*e.rhs);
      return b_.CreateICmpNE(b_.CreateAnd(b_.CreateLShr(set, member), b_.getInt64(1)),
                             b_.getInt64(0));
    }
    Key key = storage_key(*e.rhs->storage_field, e.lhs.get());
    return b_.CreateICmpNE(cg_.syscall(b_, Syscall::StorageHas, {key.ptr, key.len}),
                           b_.getInt64(0));
  }
  const Type* ta = e.lhs->type;
  llvm::Value* a = expr(*e.lhs);
  llvm::Value* b = expr(*e.rhs);
  if (is_comparison(op)) return compare(op, ta, a, b);
  if (ta->is(Kind::U256)) return u256_op(op, a, b, e.span);
  if (ta->is(Kind::Set) || ta->is(Kind::Bool)) {
    if (op == Tok::Amp) return b_.CreateAnd(a, b);
    if (op == Tok::Pipe) return b_.CreateOr(a, b);
    return b_.CreateXor(a, b);
  }
  if (ta->is_integer()) return arithmetic(op, ta, a, b, e.span);
  // time and duration are u64 seconds underneath.
  if (ta->is(Kind::Duration) && e.rhs->type->is(Kind::Time)) std::swap(a, b);
  return arithmetic(op, &kU64Type, a, b, e.span);
}

llvm::Value* FunctionGen::compare(Tok op, const Type* t, llvm::Value* a, llvm::Value* b) {
  if (op == Tok::EqEq || op == Tok::NotEq) {
    llvm::Value* eq =
        t->is_scalar() ? b_.CreateICmpEQ(a, b) : b_.CreateCall(cg_.equal_fn(t), {a, b});
    return op == Tok::EqEq ? eq : b_.CreateXor(eq, b_.getInt1(true));
  }
  bool is_signed = t->is_signed();
  if (t->is(Kind::U256)) {
    a = cg_.syscall(b_, Syscall::U256Cmp, {a, b});  // -1, 0 or 1
    b = b_.getInt64(0);
    is_signed = true;
  }
  switch (op) {
    case Tok::Lt:
      return is_signed ? b_.CreateICmpSLT(a, b) : b_.CreateICmpULT(a, b);
    case Tok::Le:
      return is_signed ? b_.CreateICmpSLE(a, b) : b_.CreateICmpULE(a, b);
    case Tok::Gt:
      return is_signed ? b_.CreateICmpSGT(a, b) : b_.CreateICmpUGT(a, b);
    default:
      return is_signed ? b_.CreateICmpSGE(a, b) : b_.CreateICmpUGE(a, b);
  }
}

llvm::Value* FunctionGen::arithmetic(Tok op, const Type* t, llvm::Value* a, llvm::Value* b,
                                     Span span) {
  const bool is_signed = t->is_signed();
  llvm::Type* ty = a->getType();
  auto with_overflow = [&](llvm::Intrinsic::ID id) {
    llvm::Value* r = b_.CreateBinaryIntrinsic(id, a, b);
    trap_unless(b_.CreateXor(b_.CreateExtractValue(r, 1), b_.getInt1(true)), "arithmetic overflow",
                span);
    return b_.CreateExtractValue(r, 0);
  };
  auto zero = llvm::ConstantInt::get(ty, 0);
  switch (op) {
    case Tok::Plus:
      return with_overflow(is_signed ? llvm::Intrinsic::sadd_with_overflow
                                     : llvm::Intrinsic::uadd_with_overflow);
    case Tok::Minus:
      return with_overflow(is_signed ? llvm::Intrinsic::ssub_with_overflow
                                     : llvm::Intrinsic::usub_with_overflow);
    case Tok::Star: {
      // The BPF back end has no 128-bit multiply, so *.with.overflow is not available for
      // 64 bits: check by division instead.
      if (ty != cg_.i64_) {
        llvm::Value* wide = b_.CreateMul(b_.CreateZExt(a, cg_.i64_), b_.CreateZExt(b, cg_.i64_));
        trap_unless(b_.CreateICmpULE(wide, b_.getInt64(max_of(t))), "arithmetic overflow", span);
        return b_.CreateTrunc(wide, ty);
      }
      llvm::Value* r = b_.CreateMul(a, b);
      if (!is_signed) {
        llvm::Value* b_zero = b_.CreateICmpEQ(b, zero);
        llvm::Value* limit =
            b_.CreateUDiv(b_.getInt64(UINT64_MAX), b_.CreateSelect(b_zero, b_.getInt64(1), b));
        trap_unless(b_.CreateOr(b_zero, b_.CreateICmpULE(a, limit)), "arithmetic overflow", span);
        return r;
      }
      llvm::Value* a_zero = b_.CreateICmpEQ(a, zero);
      llvm::Value* a_minus_one = b_.CreateICmpEQ(a, b_.getInt64(~uint64_t{0}));
      llvm::Value* safe_a = b_.CreateSelect(b_.CreateOr(a_zero, a_minus_one), b_.getInt64(1), a);
      llvm::Value* back = b_.CreateICmpEQ(b_.CreateSDiv(r, safe_a), b);
      llvm::Value* ok = b_.CreateSelect(
          a_zero, b_.getInt1(true),
          b_.CreateSelect(a_minus_one, b_.CreateICmpNE(b, b_.getInt64(uint64_t{1} << 63)), back));
      trap_unless(ok, "arithmetic overflow", span);
      return r;
    }
    case Tok::Slash:
    case Tok::Percent: {
      trap_unless(b_.CreateICmpNE(b, zero), "division by zero", span);
      if (!is_signed) return op == Tok::Slash ? b_.CreateUDiv(a, b) : b_.CreateURem(a, b);
      llvm::Value* minus_one = b_.CreateICmpEQ(b, b_.getInt64(~uint64_t{0}));
      if (op == Tok::Slash) {
        trap_unless(b_.CreateNot(b_.CreateAnd(minus_one,
                                              b_.CreateICmpEQ(a, b_.getInt64(uint64_t{1} << 63)))),
                    "arithmetic overflow", span);
        return b_.CreateSDiv(a, b);
      }
      return b_.CreateSelect(minus_one, zero,
                             b_.CreateSRem(a, b_.CreateSelect(minus_one, b_.getInt64(1), b)));
    }
    case Tok::Shl:
    case Tok::Shr:
      trap_unless(b_.CreateICmpULT(b, llvm::ConstantInt::get(ty, t->bit_width())),
                  "shift out of range", span);
      if (op == Tok::Shl) return b_.CreateShl(a, b);
      return is_signed ? b_.CreateAShr(a, b) : b_.CreateLShr(a, b);
    case Tok::Amp:
      return b_.CreateAnd(a, b);
    case Tok::Pipe:
      return b_.CreateOr(a, b);
    default:
      return b_.CreateXor(a, b);
  }
}

// u256 arithmetic is the host's (`a + b`, `a += b` alike): one syscall per operator.
llvm::Value* FunctionGen::u256_op(Tok op, llvm::Value* a, llvm::Value* b, Span span) {
  static const std::map<Tok, Syscall> kSyscalls = {{Tok::Plus, Syscall::U256Add},
                                                   {Tok::Minus, Syscall::U256Sub},
                                                   {Tok::Star, Syscall::U256Mul},
                                                   {Tok::Slash, Syscall::U256Div},
                                                   {Tok::Percent, Syscall::U256Mod}};
  llvm::Value* out = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, 32));
  llvm::Value* r = cg_.syscall(b_, kSyscalls.at(op), {a, b, out});
  trap_unless(b_.CreateICmpNE(r, b_.getInt64(2)), "division by zero", span);
  trap_unless(b_.CreateICmpEQ(r, b_.getInt64(0)), "arithmetic overflow", span);
  return out;
}

llvm::Value* FunctionGen::call(const Expr& e) {
  switch (e.ref) {
    case Ref::Conversion:
      return conversion(e);
    case Ref::Builtin:
      return builtin(e);
    case Ref::InterfaceCall:
      return call_interface(e);
    case Ref::InterfaceDeploy:
      return deploy(e);
    case Ref::Method:
      return method(e);
    default:
      break;
  }
  const FnDecl* f = e.fn;
  llvm::Function* callee = cg_.impls_.at(f);
  std::vector<llvm::Value*> args;
  llvm::Value* result_slot = nullptr;
  if (cg_.sret_[f]) {
    result_slot = alloca(f->result_type);
    args.push_back(result_slot);
  }
  for (const auto& a : e.args)
    args.push_back(expr(*a));
  if (cg_.packed_[f]) {
    std::vector<llvm::Type*> fields;
    for (auto* a : args)
      fields.push_back(a->getType());
    auto* st = llvm::StructType::get(cg_.ctx_, fields);
    llvm::Value* pack = cg_.alloca_in_entry(b_, st);
    for (unsigned i = 0; i < args.size(); ++i)
      b_.CreateStore(args[i], b_.CreateStructGEP(st, pack, i));
    args = {pack};
  }
  llvm::Value* r = b_.CreateCall(callee, args);
  return result_slot ? result_slot : r;
}

llvm::Value* FunctionGen::encode_args(const std::vector<Param>& params,
                                      const std::vector<ExprPtr>& args, llvm::Value** size) {
  llvm::Value* total = b_.getInt64(0);
  std::vector<llvm::Value*> values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    values.push_back(expr(*args[i]));
    total = b_.CreateAdd(total, b_.CreateCall(cg_.size_fn(params[i].resolved), {values.back()}));
  }
  llvm::Value* buffer = b_.CreateCall(cg_.helper_alloc(), {total});
  llvm::Value* at = buffer;
  for (std::size_t i = 0; i < values.size(); ++i)
    at = b_.CreateCall(cg_.encode_fn(params[i].resolved), {at, values[i]});
  *size = total;
  return buffer;
}

llvm::Value* FunctionGen::call_interface(const Expr& e, bool discard_result) {
  const InterfaceMethod& m = e.interface_decl->methods[e.index];
  llvm::Value* address = expr(*e.lhs->lhs->args[0]);
  llvm::Value* total = nullptr;
  llvm::Value* args = encode_args(m.params, e.args, &total);
  test_position(e.span);
  llvm::Value* name = cg_.rodata_string(b_, m.name);
  llvm::Value* len =
      cg_.syscall(b_, m.kind == FnKind::View ? Syscall::CallView : Syscall::CallAction,
                  {address, name, b_.getInt64(m.name.size()), args, total});
  const Type* t = m.result_type;
  if (t->is(Kind::Unit) || discard_result) return nullptr;
  llvm::Value* buf = b_.CreateCall(cg_.helper_alloc(), {len});
  cg_.syscall(b_, Syscall::CallResult, {buf, len});
  llvm::Value* out = alloca(t);
  decode_or_trap(t, buf, b_.CreateGEP(cg_.i8_, buf, len), out,
                 "malformed result from `" + e.interface_decl->name + "." + m.name + "`", e.span);
  return cg_.load_mem(b_, t, out);
}

llvm::Value* FunctionGen::method(const Expr& e) {
  const Expr& receiver = *e.lhs->lhs;
  const Type* rt = receiver.type;
  const std::string& name = e.text;
  if (receiver.ref == Ref::StorageField && rt->is(Kind::Map)) {
    Key key = storage_key(*receiver.storage_field, e.args[0].get());
    if (name == "has")
      return b_.CreateICmpNE(cg_.syscall(b_, Syscall::StorageHas, {key.ptr, key.len}),
                             b_.getInt64(0));
    cg_.syscall(b_, Syscall::StorageRemove, {key.ptr, key.len});  // remove
    return nullptr;
  }
  if (receiver.ref == Ref::StorageField && rt->is(Kind::List)) {
    const StorageField& field = *receiver.storage_field;
    llvm::Value* length = storage_list_length(field);
    if (name == "len") return length;
    storage_write(rt->args[0], list_element_key(field, length), expr(*e.args[0]));  // push
    storage_write(&kU64Type, storage_key(field, nullptr), b_.CreateAdd(length, b_.getInt64(1)));
    return nullptr;
  }
  if (rt->is(Kind::Array)) return b_.CreateAlignedLoad(cg_.i64_, expr(receiver), llvm::Align(8));
  // len() of a list, bytes or string: the blob's u32 prefix.
  return b_.CreateZExt(b_.CreateAlignedLoad(cg_.i32_, expr(receiver), llvm::Align(4)), cg_.i64_);
}

llvm::Value* FunctionGen::conversion(const Expr& e) {
  const Type* to = e.target_type;
  const Type* from = e.args[0]->type;
  llvm::Value* v = expr(*e.args[0]);
  if (from == to) return v;
  const std::string range = "value out of range for " + to_string(to);
  if (from->is(Kind::U256)) {
    // u256 to an integer: the upper 24 bytes must be zero; then it is a u64.
    llvm::Value* high = b_.getInt64(0);
    for (int k = 1; k < 4; ++k)
      high = b_.CreateOr(
          high,
          b_.CreateAlignedLoad(cg_.i64_, b_.CreateConstGEP1_64(cg_.i8_, v, k * 8), llvm::Align(8)));
    trap_unless(b_.CreateICmpEQ(high, b_.getInt64(0)), range, e.span);
    v = b_.CreateAlignedLoad(cg_.i64_, v, llvm::Align(8));
    from = &kU64Type;
  }
  const bool numeric_from = from->is_integer() || from->is(Kind::Time) || from->is(Kind::Duration);
  if (numeric_from) {
    const bool from_signed = from->is_signed();
    llvm::Value* x = v->getType() == cg_.i64_ ? v : b_.CreateZExt(v, cg_.i64_);
    if (to->is(Kind::I64)) {
      if (!from_signed) trap_unless(b_.CreateICmpULE(x, b_.getInt64(INT64_MAX)), range, e.span);
      return x;
    }
    if (from_signed) trap_unless(b_.CreateICmpSGE(x, b_.getInt64(0)), range, e.span);
    if (to->is(Kind::U256)) {
      llvm::Value* out = cg_.alloca_in_entry(b_, llvm::ArrayType::get(cg_.i8_, 32));
      b_.CreateAlignedStore(x, out, llvm::Align(8));
      for (int k = 1; k < 4; ++k)
        b_.CreateAlignedStore(b_.getInt64(0), b_.CreateConstGEP1_64(cg_.i8_, out, k * 8),
                              llvm::Align(8));
      return out;
    }
    const uint64_t max = to->is_integer() ? max_of(to) : UINT64_MAX;
    if (max != UINT64_MAX) trap_unless(b_.CreateICmpULE(x, b_.getInt64(max)), range, e.span);
    llvm::Type* target = cg_.value_type(to);
    return target == cg_.i64_ ? x : b_.CreateTrunc(x, target);
  }
  if (to->is(Kind::Identity)) {  // from bytes: exactly 32 of them
    llvm::Value* len = b_.CreateAlignedLoad(cg_.i32_, v, llvm::Align(4));
    trap_unless(b_.CreateICmpEQ(len, b_.getInt32(32)), "an identity is 32 bytes", e.span);
    return b_.CreateConstGEP1_64(cg_.i8_, v, 4);
  }
  if (to->is(Kind::Bytes) && from->is(Kind::Identity)) {
    llvm::Value* blob = b_.CreateCall(cg_.helper_alloc(), {b_.getInt64(36)});
    b_.CreateAlignedStore(b_.getInt32(32), blob, llvm::Align(4));
    cg_.copy_fixed(b_, b_.CreateConstGEP1_64(cg_.i8_, blob, 4), v, 32);
    return blob;
  }
  return v;  // bytes <-> string: the same blob
}

llvm::Value* FunctionGen::builtin(const Expr& e) {
  switch (static_cast<Builtin>(e.index)) {
    case Builtin::Sha256: {
      llvm::Value* data = expr(*e.args[0]);
      llvm::Value* len =
          b_.CreateZExt(b_.CreateAlignedLoad(cg_.i32_, data, llvm::Align(4)), cg_.i64_);
      llvm::Value* blob = b_.CreateCall(cg_.helper_alloc(), {b_.getInt64(36)});
      b_.CreateAlignedStore(b_.getInt32(32), blob, llvm::Align(4));
      cg_.syscall(
          b_, Syscall::CryptoSha256,
          {b_.CreateConstGEP1_64(cg_.i8_, data, 4), len, b_.CreateConstGEP1_64(cg_.i8_, blob, 4)});
      return blob;
    }
    case Builtin::Ed25519Verify: {
      llvm::Value* key = expr(*e.args[0]);
      llvm::Value* msg = expr(*e.args[1]);
      llvm::Value* sig = expr(*e.args[2]);
      auto len_of = [&](llvm::Value* blob) {
        return b_.CreateAlignedLoad(cg_.i32_, blob, llvm::Align(4));
      };
      llvm::Value* shapes_ok = b_.CreateAnd(b_.CreateICmpEQ(len_of(key), b_.getInt32(32)),
                                            b_.CreateICmpEQ(len_of(sig), b_.getInt32(64)));
      auto* from = b_.GetInsertBlock();
      auto* verify = new_block("verify");
      auto* join = new_block("verified");
      b_.CreateCondBr(shapes_ok, verify, join);
      b_.SetInsertPoint(verify);
      llvm::Value* r = cg_.syscall(
          b_, Syscall::CryptoEd25519Verify,
          {b_.CreateConstGEP1_64(cg_.i8_, key, 4), b_.CreateConstGEP1_64(cg_.i8_, msg, 4),
           b_.CreateZExt(len_of(msg), cg_.i64_), b_.CreateConstGEP1_64(cg_.i8_, sig, 4)});
      llvm::Value* ok = b_.CreateICmpNE(r, b_.getInt64(0));
      auto* verify_end = b_.GetInsertBlock();
      b_.CreateBr(join);
      b_.SetInsertPoint(join);
      auto* phi = b_.CreatePHI(cg_.i1_, 2);
      phi->addIncoming(b_.getInt1(false), from);
      phi->addIncoming(ok, verify_end);
      return phi;
    }
    case Builtin::BlockHeight:
      return cg_.syscall(b_, Syscall::CtxBlockHeight, {});
    case Builtin::SetCaller:
    case Builtin::AdvanceTime:
    case Builtin::AdvanceBlocks:
    case Builtin::ExpectRevert:
    case Builtin::ExpectEvent:
    case Builtin::Account:
      return test_builtin(e);
    case Builtin::WrappingAdd:
      return b_.CreateAdd(expr(*e.args[0]), expr(*e.args[1]));
    case Builtin::WrappingSub:
      return b_.CreateSub(expr(*e.args[0]), expr(*e.args[1]));
    case Builtin::WrappingMul:
      return b_.CreateMul(expr(*e.args[0]), expr(*e.args[1]));
    case Builtin::RotateLeft:
    case Builtin::RotateRight: {
      llvm::Value* x = expr(*e.args[0]);
      llvm::Value* n = expr(*e.args[1]);
      const auto id = static_cast<Builtin>(e.index) == Builtin::RotateLeft ? llvm::Intrinsic::fshl
                                                                           : llvm::Intrinsic::fshr;
      return b_.CreateIntrinsic(id, {x->getType()}, {x, x, n});  // count taken modulo the width
    }
    case Builtin::NewArray: {
      // Fresh heap is zero (the bump allocator never reuses memory within a run).
      llvm::Value* n = expr(*e.args[0]);
      const uint64_t size = cg_.mem_size(e.type->args[0]);
      trap_unless(b_.CreateICmpULE(n, b_.getInt64(((uint64_t{1} << 32) - 8) / size)),
                  "array too large", e.span);
      llvm::Value* bytes = b_.CreateAdd(b_.getInt64(8), b_.CreateMul(n, b_.getInt64(size)));
      llvm::Value* array = b_.CreateCall(cg_.helper_alloc(), {bytes});
      b_.CreateAlignedStore(n, array, llvm::Align(8));
      return array;
    }
    case Builtin::TxHash: {
      llvm::Value* blob = b_.CreateCall(cg_.helper_alloc(), {b_.getInt64(36)});
      b_.CreateAlignedStore(b_.getInt32(32), blob, llvm::Align(4));
      cg_.syscall(b_, Syscall::CtxTxHash, {b_.CreateConstGEP1_64(cg_.i8_, blob, 4)});
      return blob;
    }
  }
  return nullptr;
}

// An array is [u64 count][elements at their natural size], on the heap.
llvm::Value* FunctionGen::array_element(llvm::Value* array, const Type* element, llvm::Value* i,
                                        Span span) {
  llvm::Value* count = cg_.invariant_load(b_, cg_.i64_, array, 8);
  trap_unless(b_.CreateICmpULT(i, count), "index out of bounds", span);
  const uint64_t size = cg_.mem_size(element);
  return b_.CreateGEP(cg_.i8_, array,
                      b_.CreateAdd(b_.getInt64(8), b_.CreateMul(i, b_.getInt64(size))));
}

// A list value: u32 count, then the elements in their encoding, on the heap.
llvm::Value* FunctionGen::list_literal(const Expr& e) {
  const Type* element = e.type->args[0];
  const uint64_t size = cg_.encoded_size(element);
  llvm::Value* list = b_.CreateCall(cg_.helper_alloc(), {b_.getInt64(4 + size * e.args.size())});
  b_.CreateStore(b_.getInt32(static_cast<uint32_t>(e.args.size())), list);
  for (std::size_t i = 0; i < e.args.size(); ++i)
    b_.CreateCall(cg_.encode_fn(element),
                  {b_.CreateConstGEP1_64(cg_.i8_, list, 4 + i * size), expr(*e.args[i])});
  return list;
}

llvm::Value* FunctionGen::list_element(const Type* element, llvm::Value* list, llvm::Value* i,
                                       Span span) {
  llvm::Value* count = b_.CreateZExt(cg_.invariant_load(b_, cg_.i32_, list, 4), cg_.i64_);
  trap_unless(b_.CreateICmpULT(i, count), "index out of bounds", span);
  const uint64_t size = cg_.encoded_size(element);
  llvm::Value* at =
      b_.CreateGEP(cg_.i8_, list, b_.CreateAdd(b_.getInt64(4), b_.CreateMul(i, b_.getInt64(size))));
  // Where the encoding is the memory layout (scalars, and records and tuples of them without
  // padding), the element is read in place: lists are immutable and were checked on entry.
  if (cg_.encoding_is_layout(element)) return cg_.load_mem(b_, element, at);
  llvm::Value* out = alloca(element);
  // Elements were checked when the list was decoded, so this cannot fail.
  b_.CreateCall(cg_.decode_fn(element), {at, b_.CreateConstGEP1_64(cg_.i8_, at, size), out});
  return cg_.load_mem(b_, element, out);
}

llvm::Value* FunctionGen::index(const Expr& e) {
  const Expr& base = *e.lhs;
  const Type* bt = base.type;
  if (base.ref == Ref::StorageField) {
    const StorageField& field = *base.storage_field;
    if (bt->is(Kind::Map)) return storage_read(e.type, storage_key(field, e.rhs.get()));
    llvm::Value* i = expr(*e.rhs);
    trap_unless(b_.CreateICmpULT(i, storage_list_length(field)), "index out of bounds", e.span);
    return storage_read(e.type, list_element_key(field, i));
  }
  llvm::Value* v = expr(base);
  llvm::Value* i = expr(*e.rhs);
  if (bt->is(Kind::List)) return list_element(e.type, v, i, e.span);
  if (bt->is(Kind::Array)) return cg_.load_mem(b_, e.type, array_element(v, e.type, i, e.span));
  llvm::Value* len = b_.CreateZExt(b_.CreateAlignedLoad(cg_.i32_, v, llvm::Align(4)), cg_.i64_);
  trap_unless(b_.CreateICmpULT(i, len), "index out of bounds", e.span);
  return b_.CreateLoad(cg_.i8_, b_.CreateGEP(cg_.i8_, b_.CreateConstGEP1_64(cg_.i8_, v, 4), i));
}

llvm::Value* FunctionGen::record_literal(const Expr& e) {
  const RecordDecl& r = *e.type->record;
  llvm::Value* out = alloca(e.type);
  auto* st = cg_.mem_type(e.type);
  for (const auto& init : e.fields)
    for (unsigned i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].name == init.name)
        cg_.store_mem(b_, r.fields[i].resolved, expr(*init.value), b_.CreateStructGEP(st, out, i));
  return out;
}

llvm::Value* FunctionGen::tuple_literal(const Expr& e) {
  llvm::Value* out = alloca(e.type);
  auto* st = cg_.mem_type(e.type);
  for (unsigned i = 0; i < e.args.size(); ++i)
    cg_.store_mem(b_, e.type->args[i], expr(*e.args[i]), b_.CreateStructGEP(st, out, i));
  return out;
}

llvm::Value* FunctionGen::set_literal(const Expr& e) {
  llvm::Value* bits = b_.getInt64(0);
  for (const auto& m : e.args)
    bits = b_.CreateOr(bits, b_.CreateShl(b_.getInt64(1), b_.CreateZExt(expr(*m), cg_.i64_)));
  return bits;
}

llvm::Value* FunctionGen::field_ptr(const Expr& e) {
  const Expr& base = *e.lhs;
  llvm::Value* ptr = base.kind == ExprKind::Member ? field_ptr(base)
                                                   : slots_[static_cast<std::size_t>(base.local)];
  return b_.CreateStructGEP(cg_.mem_type(base.type), ptr, e.index);
}

}  // namespace assent::compiler
