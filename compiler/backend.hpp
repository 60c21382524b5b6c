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

// Optimises `module` at `opt_level` (0-2) and emits it. Errors of the back end (e.g. a
// function that needs more than 4 KiB of stack) come back as text.
Result<std::string, std::string> emit(llvm::Module& module, int opt_level, Emit kind);

}  // namespace assent::compiler
