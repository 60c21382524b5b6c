#include "compiler/backend.hpp"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include <memory>
#include <mutex>

#include "vm/memory.hpp"

extern "C" void LLVMInitializeBPFTargetInfo();
extern "C" void LLVMInitializeBPFTarget();
extern "C" void LLVMInitializeBPFTargetMC();
extern "C" void LLVMInitializeBPFAsmPrinter();

namespace assent::compiler {

namespace {

constexpr const char* kTriple = "bpfel";

const llvm::Target* bpf_target() {
  static const llvm::Target* target = [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    // The VM's frames are 4 KiB, not the kernel's 512 bytes.
    const std::string stack = "-bpf-stack-size=" + std::to_string(vm::kFrameSize);
    const char* argv[] = {"assentc", stack.c_str()};
    llvm::cl::ParseCommandLineOptions(2, argv, "", &llvm::nulls());
    std::string error;
    return llvm::TargetRegistry::lookupTarget(kTriple, error);
  }();
  return target;
}

std::unique_ptr<llvm::TargetMachine> machine(int opt_level) {
  llvm::TargetOptions options;
  const auto level = opt_level == 0   ? llvm::CodeGenOptLevel::None
                     : opt_level == 1 ? llvm::CodeGenOptLevel::Less
                                      : llvm::CodeGenOptLevel::Default;
  return std::unique_ptr<llvm::TargetMachine>(bpf_target()->createTargetMachine(
      kTriple, "v4", "", options, llvm::Reloc::Static, std::nullopt, level));
}

}  // namespace

void prepare_module(llvm::Module& module) {
  module.setTargetTriple(kTriple);
  module.setDataLayout(machine(2)->createDataLayout());
}

Result<std::string, std::string> emit(llvm::Module& module, int opt_level, Emit kind) {
  std::string errors;
  llvm::LLVMContext& ctx = module.getContext();
  ctx.setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo* info, void* context) {
        if (info->getSeverity() != llvm::DS_Error) return;
        std::string text;
        llvm::raw_string_ostream os(text);
        llvm::DiagnosticPrinterRawOStream printer(os);
        info->print(printer);
        *static_cast<std::string*>(context) += os.str() + "\n";
      },
      &errors);

  std::string verify_errors;
  llvm::raw_string_ostream verify_stream(verify_errors);
  if (llvm::verifyModule(module, &verify_stream))
    return fail("internal error: invalid IR:\n" + verify_stream.str());

  auto tm = machine(opt_level);
  if (opt_level > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb(tm.get());
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    const auto level = opt_level == 1 ? llvm::OptimizationLevel::O1 : llvm::OptimizationLevel::O2;
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
    mpm.run(module, mam);
  }

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager pm;
  const auto type = kind == Emit::Object ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile;
  if (tm->addPassesToEmitFile(pm, out, nullptr, type))
    return fail(std::string("the BPF target cannot emit this file type"));
  pm.run(module);
  ctx.setDiagnosticHandlerCallBack(nullptr);
  if (!errors.empty()) return fail(errors);
  return std::string(buffer.begin(), buffer.end());
}

}  // namespace assent::compiler
