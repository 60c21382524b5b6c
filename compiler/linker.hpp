// The linker: a BPF ELF object (from the back end, in memory) to an .acm module. It takes
// the code of .text, concatenates the read-only data sections, applies the relocations
// (calls between functions and addresses of read-only data), builds the function table
// from the function symbols and maps the plan's exports onto it.
#pragma once

#include <string>

#include "compiler/codegen.hpp"
#include "vm/module.hpp"
#include "vm/result.hpp"

namespace assent::compiler {

Result<vm::Module, std::string> link(const std::string& object, const ModulePlan& plan);

}  // namespace assent::compiler
