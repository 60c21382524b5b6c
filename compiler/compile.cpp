#include "compiler/compile.hpp"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include "compiler/backend.hpp"
#include "compiler/codegen.hpp"
#include "compiler/frontend.hpp"
#include "compiler/limits.hpp"
#include "compiler/linker.hpp"
#include "vm/hex.hpp"
#include "vm/memory.hpp"

namespace assent::compiler {

namespace {

Compilation internal_error(Compilation out, const std::string& file, const std::string& what) {
  out.ok = false;
  out.diagnostics = file + ": error: " + what + "\n";
  out.problems.push_back({file, 0, 0, what});
  return out;
}

// The declaration whose code is the LLVM function `llvm_name`: an export's entry point (named
// like it), its body (`name__impl`) or a plain function. LLVM adds `.N` to the names of copies.
const FnDecl* declaration_of(const Program& p, std::string name) {
  name = name.substr(0, name.find('.'));
  if (name.ends_with("__impl")) name.resize(name.size() - 6);
  for (const auto& f : p.fns)
    if (f->name == name) return f.get();
  return nullptr;
}

// An error found after the checker, about the code of `decl`, reported at its declaration like
// the checker's (or, when no declaration is known, at the contract).
Compilation code_error(Frontend& fe, Compilation out, const std::string& file, const FnDecl* decl,
                       const std::string& message, const std::string& hint) {
  if (decl == nullptr && fe.program.contract == nullptr)
    return internal_error(std::move(out), file, message);
  fe.diags.error(decl != nullptr ? decl->span : fe.program.contract->span, message, hint);
  out = Compilation{};
  fe.report(out);
  return out;
}

Compilation backend_error(Frontend& fe, Compilation out, const std::string& file,
                          const BackendError& error) {
  const FnDecl* decl = declaration_of(fe.program, error.function);
  if (decl == nullptr) return internal_error(std::move(out), file, error.message);
  if (error.message.find("stack limit") != std::string::npos)
    return code_error(fe, std::move(out), file, decl,
                      "`" + decl->name + "` needs more than " + std::to_string(vm::kFrameSize) +
                          " bytes of stack",
                      "its values live in one frame of the VM; keep fewer large values (u256, "
                      "identities, records, tuples) alive at once, or split it into functions");
  return code_error(fe, std::move(out), file, decl,
                    "the back end cannot compile `" + decl->name + "`: " + error.message, "");
}

// The module's code crosses a limit of the module format (instructions, functions): says so at
// the declaration whose code crosses it. The compiler's helpers (codecs of the types, runtime
// functions) are laid out after the declarations that need them, so a helper is attributed
// to the declaration before it.
std::optional<Compilation> check_code_size(Frontend& fe, Compilation& out, const std::string& file,
                                           const Linked& linked) {
  const vm::Module& m = linked.module;
  std::size_t at = 0;
  std::string message, hint;
  if (m.instruction_count() > kMaxInstructions) {
    while (at + 1 < m.functions.size() && m.functions[at + 1].entry < kMaxInstructions)
      ++at;
    message = "the module would have " + std::to_string(m.instruction_count()) +
              " instructions; the limit is " + std::to_string(kMaxInstructions);
    hint = "the code passes the limit in this declaration; split the contract into several";
  } else if (m.functions.size() > kMaxDeclarations) {
    at = kMaxDeclarations;
    message = "the module would have " + std::to_string(m.functions.size()) +
              " functions, with the compiler's helpers; the limit is " +
              std::to_string(kMaxDeclarations);
    hint =
        "the functions pass the limit in this declaration; each type that is stored, passed or "
        "returned adds helpers that encode and decode it; split the contract into several";
  } else {
    return std::nullopt;
  }
  const FnDecl* decl = nullptr;
  for (std::size_t i = at + 1; i-- > 0 && decl == nullptr;)
    decl = declaration_of(fe.program, linked.llvm_names[i]);
  return code_error(fe, std::move(out), file, decl, message, hint);
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
    if (!assembly.ok()) return backend_error(fe, std::move(out), file, assembly.error());
    out.assembly = *assembly;
  }
  auto object = emit(ir, options.opt_level, Emit::Object);
  if (!object.ok()) return backend_error(fe, std::move(out), file, object.error());
  if (options.want_llvm_ir) {
    llvm::raw_string_ostream os(out.llvm_ir);
    ir.print(os, nullptr);
  }
  auto linked = link(*object, plan);
  if (!linked.ok()) return internal_error(std::move(out), file, linked.error());
  if (auto refused = check_code_size(fe, out, file, *linked)) return std::move(*refused);
  out.module = std::move(linked->module);

  const auto digest = llvm::SHA256::hash(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  out.module.metadata = {
      {"compiler", kCompilerVersion},
      {"source.sha256", to_hex(std::span<const uint8_t>(digest.data(), digest.size()))}};
  auto bytes = vm::encode_module(out.module);
  if (!bytes.ok())  // a limit the checker could only estimate (read-only data)
    return code_error(fe, std::move(out), file, nullptr,
                      "the module is invalid: " + bytes.error().describe(), "");
  out.bytes = std::move(bytes).value();
  out.ok = true;
  return out;
}

}  // namespace assent::compiler
