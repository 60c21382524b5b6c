// Internal to the code generator: one function body's IR (statements in
// codegen_function.cpp, expressions in codegen_expr.cpp, storage in codegen_storage.cpp).
#pragma once

#include "compiler/codegen.hpp"

namespace assent::compiler {

class FunctionGen {
 public:
  FunctionGen(CodeGen& cg, const FnDecl& f, llvm::Function* fn);
  void run();

 private:
  // ---- statements
  void block(const std::vector<StmtPtr>& stmts);
  void stmt(const Stmt& s);
  void assign(const Stmt& s);
  void for_loop(const Stmt& s);
  void emit_event(const Stmt& s);
  void ret(const Expr* value);
  llvm::Value* bind(const Type* t, llvm::Value* v);  // a fresh slot holding a copy of v

  // ---- expressions
  llvm::Value* expr(const Expr& e);
  llvm::Value* binary(const Expr& e);
  llvm::Value* arithmetic(Tok op, const Type* t, llvm::Value* a, llvm::Value* b, Span span);
  llvm::Value* u256_op(Tok op, llvm::Value* a, llvm::Value* b, Span span);
  llvm::Value* compare(Tok op, const Type* t, llvm::Value* a, llvm::Value* b);
  llvm::Value* call(const Expr& e);
  // A call to another contract; its result is not read when `discard_result`.
  llvm::Value* call_interface(const Expr& e, bool discard_result = false);
  // The arguments of a call to another contract, ABI-encoded on the heap; `size` their length.
  llvm::Value* encode_args(const std::vector<Param>& params, const std::vector<ExprPtr>& args,
                           llvm::Value** size);

  // ---- test files (codegen_test_files.cpp)
  llvm::Value* test_builtin(const Expr& e);
  // In a test file, tells the test host where the test is, before anything that may fail
  // there (a contract call, a deploy, a test built-in), so failures name the test's line.
  void test_position(Span span);
  llvm::Value* deploy(const Expr& e, bool discard_result = false);
  llvm::Value* method(const Expr& e);
  llvm::Value* conversion(const Expr& e);
  llvm::Value* builtin(const Expr& e);
  llvm::Value* index(const Expr& e);
  llvm::Value* list_element(const Type* element, llvm::Value* list, llvm::Value* i, Span span);
  // The memory of element `i` of an array (bounds-checked).
  llvm::Value* array_element(llvm::Value* array, const Type* element, llvm::Value* i, Span span);
  llvm::Value* record_literal(const Expr& e);
  llvm::Value* tuple_literal(const Expr& e);
  llvm::Value* set_literal(const Expr& e);
  llvm::Value* list_literal(const Expr& e);
  llvm::Value* identity_from(Syscall id);
  llvm::Value* field_ptr(const Expr& e);  // the memory of a (possibly nested) field of a local

  // ---- storage (codegen_storage.cpp)
  struct Key {
    llvm::Value* ptr;
    llvm::Value* len;
  };
  Key storage_key(const StorageField& f, const Expr* key);
  Key list_element_key(const StorageField& f, llvm::Value* index);
  // Reads the value under `key` into fresh memory; `found` (if given) tells whether it
  // existed; an absent value reads as the type's default.
  llvm::Value* storage_read(const Type* t, Key key, llvm::Value** found = nullptr);
  void storage_write(const Type* t, Key key, llvm::Value* value);
  llvm::Value* storage_list_length(const StorageField& f);
  // A storage list read whole, as a list value (u32 count, then encoded elements on the heap),
  // so that it can be passed to a `list<T>` parameter.
  llvm::Value* storage_list_value(const StorageField& f, Span span);

  // ---- helpers
  llvm::Value* alloca(const Type* t) {
    return cg_.alloca_in_entry(b_, cg_.mem_type(t), cg_.mem_align(t));
  }
  void trap_unless(llvm::Value* ok, const std::string& message, Span span);
  void trap(const std::string& message, Span span);
  llvm::Value* position(Span span);
  llvm::Value* encode_to_heap(const Type* t, llvm::Value* v, llvm::Value** size);
  void decode_or_trap(const Type* t, llvm::Value* src, llvm::Value* end, llvm::Value* out,
                      const std::string& message, Span span);
  llvm::BasicBlock* new_block(const char* name) {
    return llvm::BasicBlock::Create(cg_.ctx_, name, fn_);
  }
  bool terminated() const { return b_.GetInsertBlock()->getTerminator() != nullptr; }

  CodeGen& cg_;
  const FnDecl& f_;
  llvm::Function* fn_;
  llvm::IRBuilder<> b_;
  std::vector<llvm::Value*> slots_;  // memory of each local
  llvm::Value* sret_ = nullptr;
  struct Loop {
    llvm::BasicBlock* next;
    llvm::BasicBlock* exit;
  };
  std::vector<Loop> loops_;
};

}  // namespace assent::compiler
