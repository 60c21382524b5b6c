// The linker: a BPF ELF object (from the back end, in memory) to an .acm module. It takes
// the code of .text, concatenates the read-only data sections, applies the relocations
// (calls between functions and addresses of read-only data), builds the function table
// from the function symbols and maps the plan's exports onto it.
#pragma once

#include <string>
#include <vector>

#include "compiler/codegen.hpp"
#include "vm/module.hpp"
#include "vm/result.hpp"

namespace assent::compiler {

struct Linked {
  vm::Module module;
  // The LLVM name of each function of module.functions, in the same order (the module's names
  // are made valid and unique, and so lose what they came from).
  std::vector<std::string> llvm_names;
};

// Does not check the module's limits (vm::read_module does, through vm::encode_module).
Result<Linked, std::string> link(const std::string& object, const ModulePlan& plan);

}  // namespace assent::compiler
