#include "compiler/compile.hpp"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "compiler/backend.hpp"
#include "compiler/codegen.hpp"
#include "compiler/frontend.hpp"
#include "compiler/linker.hpp"
#include "vm/hex.hpp"

namespace assent::compiler {

namespace {

Compilation internal_error(Compilation out, const std::string& file, const std::string& what) {
  out.ok = false;
  out.diagnostics = file + ": error: " + what + "\n";
  out.problems.push_back({file, 0, 0, what});
  return out;
}

}  // namespace

Compilation compile(const std::string& file, const std::string& text,
                    const CompileOptions& options) {
  Frontend fe;
  Compilation out;
  const bool checked = fe.run(file, text, options);
  fe.report(out);
  if (!checked) return out;

  llvm::LLVMContext ctx;
  llvm::Module ir("assent", ctx);
  prepare_module(ir);
  CodeGen gen(fe.program, ctx, ir);
  const ModulePlan plan = gen.generate();

  if (options.want_assembly) {
    auto assembly = emit(*llvm::CloneModule(ir), options.opt_level, Emit::Assembly);
    if (!assembly.ok()) return internal_error(std::move(out), file, assembly.error());
    out.assembly = *assembly;
  }
  auto object = emit(ir, options.opt_level, Emit::Object);
  if (!object.ok()) return internal_error(std::move(out), file, object.error());
  if (options.want_llvm_ir) {
    llvm::raw_string_ostream os(out.llvm_ir);
    ir.print(os, nullptr);
  }
  auto linked = link(*object, plan);
  if (!linked.ok()) return internal_error(std::move(out), file, linked.error());
  out.module = std::move(linked).value();

  const auto digest = llvm::SHA256::hash(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  out.module.metadata = {
      {"compiler", kCompilerVersion},
      {"source.sha256", to_hex(std::span<const uint8_t>(digest.data(), digest.size()))}};
  auto bytes = vm::encode_module(out.module);
  if (!bytes.ok())
    return internal_error(std::move(out), file,
                          "the module is invalid: " + bytes.error().describe());
  out.bytes = std::move(bytes).value();
  out.ok = true;
  return out;
}

}  // namespace assent::compiler
