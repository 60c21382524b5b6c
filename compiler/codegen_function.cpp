// Function bodies: parameters, statements, control flow, traps.
#include "compiler/codegen_function.hpp"

#include <llvm/IR/Constants.h>

namespace assent::compiler {

FunctionGen::FunctionGen(CodeGen& cg, const FnDecl& f, llvm::Function* fn)
    : cg_(cg), f_(f), fn_(fn), b_(cg.ctx_) {}

void FunctionGen::run() {
  b_.SetInsertPoint(llvm::BasicBlock::Create(cg_.ctx_, "entry", fn_));
  // Arguments: in registers, or all in one struct when there are more than five.
  std::vector<llvm::Value*> args;
  const bool sret = cg_.sret_[&f_];
  if (cg_.packed_[&f_]) {
    std::vector<llvm::Type*> fields;
    if (sret) fields.push_back(cg_.ptr_);
    for (const auto& p : f_.params)
      fields.push_back(cg_.value_type(p.resolved));
    auto* st = llvm::StructType::get(cg_.ctx_, fields);
    for (unsigned i = 0; i < fields.size(); ++i)
      args.push_back(b_.CreateLoad(fields[i], b_.CreateStructGEP(st, fn_->getArg(0), i)));
  } else {
    for (auto& a : fn_->args())
      args.push_back(&a);
  }
  std::size_t next = 0;
  if (sret) sret_ = args[next++];
  slots_.resize(f_.locals.size(), nullptr);
  for (std::size_t i = 0; i < f_.params.size(); ++i) {
    const Type* t = f_.params[i].resolved;
    llvm::Value* v = args[next++];
    if (cg_.value_type(t)->isPointerTy() && !t->is(Kind::Bytes) && !t->is(Kind::String) &&
        !t->is(Kind::List) && !t->is(Kind::Array)) {
      slots_[i] = v;  // parameters are immutable: alias the caller's memory
    } else {
      slots_[i] = alloca(t);
      cg_.store_mem(b_, t, v, slots_[i]);
    }
  }
  block(f_.body);
  if (!terminated()) {
    if (f_.result_type->is(Kind::Unit) || sret)
      b_.CreateRetVoid();
    else
      b_.CreateUnreachable();  // the checker proved every path returns
  }
}

llvm::Value* FunctionGen::position(Span span) {
  return b_.getInt64((uint64_t{span.line()} << 32) | span.column());
}

void FunctionGen::trap(const std::string& message, Span span) {
  cg_.abort_here(b_, cg_.rodata_string(b_, message), b_.getInt64(message.size()), position(span));
  b_.SetInsertPoint(new_block("after_trap"));
}

void FunctionGen::trap_unless(llvm::Value* ok, const std::string& message, Span span) {
  auto* fail = new_block("trap");
  auto* cont = new_block("cont");
  b_.CreateCondBr(ok, cont, fail);
  b_.SetInsertPoint(fail);
  cg_.abort_here(b_, cg_.rodata_string(b_, message), b_.getInt64(message.size()), position(span));
  b_.SetInsertPoint(cont);
}

llvm::Value* FunctionGen::bind(const Type* t, llvm::Value* v) {
  llvm::Value* slot = alloca(t);
  cg_.store_mem(b_, t, v, slot);
  return slot;
}

llvm::Value* FunctionGen::encode_to_heap(const Type* t, llvm::Value* v, llvm::Value** size) {
  llvm::Value* n = b_.CreateCall(cg_.size_fn(t), {v});
  llvm::Value* buf = b_.CreateCall(cg_.helper_alloc(), {n});
  b_.CreateCall(cg_.encode_fn(t), {buf, v});
  *size = n;
  return buf;
}

void FunctionGen::decode_or_trap(const Type* t, llvm::Value* src, llvm::Value* end,
                                 llvm::Value* out, const std::string& message, Span span) {
  llvm::Value* after = b_.CreateCall(cg_.decode_fn(t), {src, end, out});
  trap_unless(b_.CreateICmpEQ(b_.CreatePtrToInt(after, cg_.i64_), b_.CreatePtrToInt(end, cg_.i64_)),
              message, span);
}

void FunctionGen::block(const std::vector<StmtPtr>& stmts) {
  for (const auto& s : stmts) {
    if (terminated()) b_.SetInsertPoint(new_block("dead"));
    stmt(*s);
  }
}

void FunctionGen::ret(const Expr* value) {
  if (value == nullptr) {
    b_.CreateRetVoid();
    return;
  }
  const Type* t = f_.result_type;
  llvm::Value* v = expr(*value);
  if (sret_ != nullptr) {
    cg_.store_mem(b_, t, v, sret_);
    b_.CreateRetVoid();
  } else {
    b_.CreateRet(v);
  }
}

void FunctionGen::stmt(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::Let:
    case StmtKind::Var: {
      const Type* t = f_.locals[static_cast<std::size_t>(s.local)].type;
      if (!s.has_else) {
        slots_[static_cast<std::size_t>(s.local)] = bind(t, expr(*s.value));
        return;
      }
      // let v = map.get(k) else { ... }: the method call reports presence.
      llvm::Value* slot = alloca(t);
      const Expr& call = *s.value;
      const Expr& receiver = *call.lhs->lhs;
      llvm::Value* found = nullptr;
      llvm::Value* v =
          storage_read(t, storage_key(*receiver.storage_field, call.args[0].get()), &found);
      auto* absent = new_block("absent");
      auto* present = new_block("present");
      b_.CreateCondBr(found, present, absent);
      b_.SetInsertPoint(absent);
      block(s.body);
      if (!terminated()) b_.CreateUnreachable();  // the checker proved the block diverges
      b_.SetInsertPoint(present);
      cg_.store_mem(b_, t, v, slot);
      slots_[static_cast<std::size_t>(s.local)] = slot;
      return;
    }
    case StmtKind::Assign:
      assign(s);
      return;
    case StmtKind::If: {
      auto* then_block = new_block("then");
      auto* else_block = s.has_else ? new_block("else") : nullptr;
      auto* join = new_block("endif");
      b_.CreateCondBr(expr(*s.cond), then_block, else_block ? else_block : join);
      b_.SetInsertPoint(then_block);
      block(s.body);
      if (!terminated()) b_.CreateBr(join);
      if (else_block) {
        b_.SetInsertPoint(else_block);
        block(s.else_body);
        if (!terminated()) b_.CreateBr(join);
      }
      b_.SetInsertPoint(join);
      return;
    }
    case StmtKind::While: {
      auto* head = new_block("while");
      auto* body = new_block("body");
      auto* exit = new_block("endwhile");
      b_.CreateBr(head);
      b_.SetInsertPoint(head);
      b_.CreateCondBr(expr(*s.cond), body, exit);
      b_.SetInsertPoint(body);
      loops_.push_back({head, exit});
      block(s.body);
      loops_.pop_back();
      if (!terminated()) b_.CreateBr(head);
      b_.SetInsertPoint(exit);
      return;
    }
    case StmtKind::For:
      for_loop(s);
      return;
    case StmtKind::Return:
      ret(s.value.get());
      return;
    case StmtKind::Break:
      b_.CreateBr(loops_.back().exit);
      return;
    case StmtKind::Continue:
      b_.CreateBr(loops_.back().next);
      return;
    case StmtKind::Require: {
      auto* fail = new_block("require_failed");
      auto* cont = new_block("cont");
      b_.CreateCondBr(expr(*s.cond), cont, fail);
      b_.SetInsertPoint(fail);
      llvm::Value* blob = expr(*s.message);
      llvm::Value* len =
          b_.CreateZExt(b_.CreateAlignedLoad(cg_.i32_, blob, llvm::Align(4)), cg_.i64_);
      cg_.abort_here(b_, b_.CreateConstGEP1_64(cg_.i8_, blob, 4), len, position(s.span));
      b_.SetInsertPoint(cont);
      return;
    }
    case StmtKind::Emit:
      emit_event(s);
      return;
    case StmtKind::ExprStmt:
      expr(*s.value);
      return;
  }
}

void FunctionGen::assign(const Stmt& s) {
  const Expr& target = *s.target;
  const Type* t = target.type;
  llvm::Value* v;
  if (s.op == Tok::Assign) {
    v = expr(*s.value);
  } else {
    static const std::map<Tok, Tok> kBinary = {{Tok::PlusEq, Tok::Plus},
                                               {Tok::MinusEq, Tok::Minus},
                                               {Tok::StarEq, Tok::Star},
                                               {Tok::SlashEq, Tok::Slash},
                                               {Tok::PercentEq, Tok::Percent}};
    const Tok op = kBinary.at(s.op);
    llvm::Value* current = expr(target);
    llvm::Value* operand = expr(*s.value);
    v = t->is(Kind::U256) ? u256_op(op, current, operand, s.span)
                          : arithmetic(op, t, current, operand, s.span);
  }
  switch (target.kind) {
    case ExprKind::Name:
      if (target.ref == Ref::Local) {
        cg_.store_mem(b_, t, v, slots_[static_cast<std::size_t>(target.local)]);
      } else {  // a storage scalar
        storage_write(t, storage_key(*target.storage_field, nullptr), v);
      }
      return;
    case ExprKind::Index: {
      const Expr& base = *target.lhs;
      if (base.type->is(Kind::Array)) {
        llvm::Value* array = expr(base);
        cg_.store_mem(b_, t, v, array_element(array, t, expr(*target.rhs), target.span));
        return;
      }
      const StorageField& field = *base.storage_field;
      if (base.type->is(Kind::Map)) {
        storage_write(t, storage_key(field, target.rhs.get()), v);
        return;
      }
      llvm::Value* i = expr(*target.rhs);
      trap_unless(b_.CreateICmpULT(i, storage_list_length(field)), "index out of bounds",
                  target.span);
      storage_write(t, list_element_key(field, i), v);
      return;
    }
    case ExprKind::Member:
      cg_.store_mem(b_, t, v, field_ptr(target));
      return;
    default:
      return;
  }
}

void FunctionGen::for_loop(const Stmt& s) {
  const Type* element = f_.locals[static_cast<std::size_t>(s.local)].type;
  llvm::Value* slot = alloca(element);
  slots_[static_cast<std::size_t>(s.local)] = slot;
  llvm::Type* counter_type = s.range_end ? cg_.value_type(element) : cg_.i64_;
  llvm::Value* counter = cg_.alloca_in_entry(b_, counter_type);
  llvm::Value* end;
  llvm::Value* list = nullptr;
  const StorageField* stored = nullptr;
  if (s.range_end) {
    b_.CreateStore(expr(*s.value), counter);
    end = expr(*s.range_end);
  } else {
    b_.CreateStore(b_.getInt64(0), counter);
    if (s.value->ref == Ref::StorageField) {
      stored = s.value->storage_field;
      end = storage_list_length(*stored);
    } else {
      list = expr(*s.value);
      end = s.value->type->is(Kind::Array)
                ? cg_.invariant_load(b_, cg_.i64_, list, 8)
                : b_.CreateZExt(cg_.invariant_load(b_, cg_.i32_, list, 4), cg_.i64_);
    }
  }
  auto* head = new_block("for");
  auto* body = new_block("for_body");
  auto* step = new_block("for_next");
  auto* exit = new_block("endfor");
  b_.CreateBr(head);
  b_.SetInsertPoint(head);
  llvm::Value* i = b_.CreateLoad(counter_type, counter);
  llvm::Value* more =
      element->is_signed() && s.range_end ? b_.CreateICmpSLT(i, end) : b_.CreateICmpULT(i, end);
  b_.CreateCondBr(more, body, exit);
  b_.SetInsertPoint(body);
  if (s.range_end) {
    cg_.store_mem(b_, element, i, slot);
  } else if (stored) {
    cg_.store_mem(b_, element, storage_read(element, list_element_key(*stored, i)), slot);
  } else if (s.value->type->is(Kind::Array)) {
    cg_.store_mem(b_, element, cg_.load_mem(b_, element, array_element(list, element, i, s.span)),
                  slot);
  } else {
    cg_.store_mem(b_, element, list_element(element, list, i, s.span), slot);
  }
  loops_.push_back({step, exit});
  block(s.body);
  loops_.pop_back();
  if (!terminated()) b_.CreateBr(step);
  b_.SetInsertPoint(step);
  // The counter stops below `end`, so adding one cannot overflow.
  b_.CreateStore(
      b_.CreateAdd(b_.CreateLoad(counter_type, counter), llvm::ConstantInt::get(counter_type, 1)),
      counter);
  b_.CreateBr(head);
  b_.SetInsertPoint(exit);
}

void FunctionGen::emit_event(const Stmt& s) {
  const EventDecl& ev = *s.event;
  llvm::Value* total = b_.getInt64(0);
  std::vector<llvm::Value*> values;
  for (std::size_t i = 0; i < s.args.size(); ++i) {
    values.push_back(expr(*s.args[i]));
    total = b_.CreateAdd(total, b_.CreateCall(cg_.size_fn(ev.params[i].resolved), {values.back()}));
  }
  llvm::Value* buf = b_.CreateCall(cg_.helper_alloc(), {total});
  llvm::Value* at = buf;
  for (std::size_t i = 0; i < values.size(); ++i)
    at = b_.CreateCall(cg_.encode_fn(ev.params[i].resolved), {at, values[i]});
  cg_.syscall(b_, Syscall::EventEmit, {b_.getInt64(ev.index), buf, total});
}

}  // namespace assent::compiler
