// Code generation: a checked Program to LLVM IR for the BPF target (docs/language.md,
// "Compilation"). One CodeGen per compilation; `generate` fills an llvm::Module and returns
// the module description (imports, ABI, exports) that the linker completes with the code.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/types.hpp"
#include "stdlib/syscall_table.hpp"
#include "vm/module.hpp"

namespace assent::compiler {

using stdlib::Syscall;

// A u64 for the code generator's own arithmetic (lengths, counters).
inline const Type kU64Type{Kind::U64, nullptr, nullptr, nullptr, {}};

// What code generation knows about the module besides the IR: the ABI, the exports (by
// the name of the LLVM function that implements each), and the imported syscalls.
struct ModulePlan {
  vm::Abi abi;
  std::vector<std::pair<vm::Export, std::string>> exports;  // export, LLVM function name
  std::vector<std::string> imports;
};

class CodeGen {
 public:
  CodeGen(const Program& program, llvm::LLVMContext& ctx, llvm::Module& module);
  ModulePlan generate();

  // ---- used across the codegen files
  struct Lowered;  // how a function's Assent parameters map to LLVM parameters

 private:
  friend class FunctionGen;
  // codegen_types.cpp: memory layout and ABI
  llvm::Type* mem_type(const Type* t);
  llvm::Type* value_type(const Type* t);
  uint64_t mem_size(const Type* t);
  uint64_t mem_align(const Type* t);
  uint64_t encoded_size(const Type* t);  // fixed-size types only
  uint64_t key_size(const Type* t);      // map key types only
  vm::Type abi_type(const Type* t);
  uint32_t abi_named(const Type* t);

  // codegen_runtime.cpp: helpers emitted once per module
  // A call of syscall `id` (stdlib/syscall_table.hpp) with as many arguments as its row lists.
  llvm::Value* syscall(llvm::IRBuilder<>& b, Syscall id, std::vector<llvm::Value*> args);
  llvm::Function* helper_alloc();
  llvm::Function* helper_copy();
  llvm::Function* helper_equal_bytes();
  llvm::Function* helper_abort();
  // Calls __assent_abort and ends the block with a return (never reached at run time).
  void abort_here(llvm::IRBuilder<>& b, llvm::Value* message, llvm::Value* length,
                  llvm::Value* position);
  llvm::Function* helper_storage_read();
  llvm::Value* rodata_string(llvm::IRBuilder<>& b, const std::string& text);  // ptr to bytes
  llvm::Value* rodata_blob(llvm::IRBuilder<>& b,
                           const std::string& bytes);  // ptr to u32 len + bytes

  // Values in memory (codegen_codec.cpp): scalars are loaded and stored; identity, u256,
  // records and tuples are their memory, so loading gives the pointer and storing copies.
  llvm::Value* load_mem(llvm::IRBuilder<>& b, const Type* t, llvm::Value* ptr);
  void store_mem(llvm::IRBuilder<>& b, const Type* t, llvm::Value* value, llvm::Value* ptr);
  void copy_bytes(llvm::IRBuilder<>& b, llvm::Value* dst, llvm::Value* src, llvm::Value* n);
  void copy_fixed(llvm::IRBuilder<>& b, llvm::Value* dst, llvm::Value* src, uint64_t n);
  llvm::Value* alloca_in_entry(llvm::IRBuilder<>& b, llvm::Type* type, uint64_t align = 8);
  // A load of a value that never changes once written (array and list counts, blob lengths),
  // so that LLVM may hoist it past stores to the elements.
  llvm::Value* invariant_load(llvm::IRBuilder<>& b, llvm::Type* type, llvm::Value* ptr,
                              uint64_t align);
  // Whether a type's ABI encoding is byte for byte its memory layout.
  bool encoding_is_layout(const Type* t);
  llvm::Value* empty_blob(llvm::IRBuilder<>& b) { return rodata_blob(b, ""); }
  // Storage keys (order-preserving): writes `value` at `dst`, returns the end.
  llvm::Value* encode_key(llvm::IRBuilder<>& b, const Type* t, llvm::Value* value,
                          llvm::Value* dst);

  // Per-type helpers (codegen_codec.cpp), created on first use.
  llvm::Function* encode_fn(const Type* t);   // (ptr dst, value) -> ptr after
  llvm::Function* size_fn(const Type* t);     // (value) -> i64 encoded size
  llvm::Function* decode_fn(const Type* t);   // (ptr src, ptr end, ptr out) -> ptr after, or null
  llvm::Function* equal_fn(const Type* t);    // (value, value) -> i1
  llvm::Function* default_fn(const Type* t);  // (ptr out) fills the zero value in memory
  llvm::Function* storage_read_fn(const Type* t);   // (ptr key, i64 len, ptr out) -> i1 found
  llvm::Function* storage_write_fn(const Type* t);  // (ptr key, i64 len, value)

  void declare_functions();
  void define_wrapper(const FnDecl& f, ModulePlan& plan);
  void build_abi(ModulePlan& plan);

  const Program& program_;
  llvm::LLVMContext& ctx_;
  llvm::Module& mod_;
  llvm::Type* i1_;
  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
  llvm::PointerType* ptr_;

  std::map<const FnDecl*, llvm::Function*> impls_;
  std::map<const FnDecl*, bool> sret_;    // result returned through a pointer
  std::map<const FnDecl*, bool> packed_;  // parameters passed in one struct
  std::map<std::string, uint32_t> import_index_;
  std::vector<std::string> imports_;
  std::map<const Type*, llvm::StructType*> structs_;
  std::map<std::pair<int, const Type*>, llvm::Function*> type_fns_;
  std::map<std::pair<int, const Type*>, llvm::Function*> storage_fns_;
  std::map<std::string, llvm::Function*> helpers_;
  std::map<std::string, llvm::GlobalVariable*> strings_;
  std::map<const Type*, uint32_t> abi_index_;
  vm::Abi abi_;
};

}  // namespace assent::compiler
