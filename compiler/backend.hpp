// The LLVM back end: optimisation with the new pass manager and code generation for the
// BPF target (bpfel, cpu v4), in memory. No external clang or llc process is involved.
#pragma once

#include <llvm/IR/Module.h>

#include <string>

#include "vm/result.hpp"

namespace assent::compiler {

enum class Emit { Object, Assembly };

// Sets the module's triple and data layout for the target. Call before generating code.
void prepare_module(llvm::Module& module);

// An error of the back end. `function` names the LLVM function it is about, when LLVM says
// (a function that needs more than a frame of stack), so that the caller can point at its
// declaration.
struct BackendError {
  std::string message;
  std::string function;
};

// Optimises `module` at `opt_level` (0-2) and emits it.
Result<std::string, BackendError> emit(llvm::Module& module, int opt_level, Emit kind);

}  // namespace assent::compiler
