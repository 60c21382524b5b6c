#include "compiler/backend.hpp"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/IntrinsicInst.h>
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

// The BPF target has no 64x64->128 multiply, and LLVM turns overflow checks of 64-bit
// multiplication (ours included) into umul/smul.with.overflow, which it would lower to a
// library call the VM does not have. After optimisation, each such call becomes a check by
// division: a * b overflows when a != 0 and (a * b) / a != b (and, signed, MIN * -1).
void expand_wide_multiplies(llvm::Module& module) {
  std::vector<llvm::IntrinsicInst*> found;
  for (auto& f : module)
    for (auto& bb : f)
      for (auto& inst : bb)
        if (auto* ii = llvm::dyn_cast<llvm::IntrinsicInst>(&inst))
          if ((ii->getIntrinsicID() == llvm::Intrinsic::umul_with_overflow ||
               ii->getIntrinsicID() == llvm::Intrinsic::smul_with_overflow) &&
              ii->getArgOperand(0)->getType()->getIntegerBitWidth() >= 64)
            found.push_back(ii);
  for (auto* ii : found) {
    llvm::IRBuilder<> b(ii);
    const bool is_signed = ii->getIntrinsicID() == llvm::Intrinsic::smul_with_overflow;
    llvm::Value* x = ii->getArgOperand(0);
    llvm::Value* y = ii->getArgOperand(1);
    auto* ty = llvm::cast<llvm::IntegerType>(x->getType());
    llvm::Value* zero = llvm::ConstantInt::get(ty, 0);
    llvm::Value* one = llvm::ConstantInt::get(ty, 1);
    llvm::Value* product = b.CreateMul(x, y);
    llvm::Value* x_zero = b.CreateICmpEQ(x, zero);
    llvm::Value* overflow;
    if (!is_signed) {
      llvm::Value* back = b.CreateUDiv(product, b.CreateSelect(x_zero, one, x));
      overflow = b.CreateAnd(b.CreateNot(x_zero), b.CreateICmpNE(back, y));
    } else {
      llvm::Value* minus_one = llvm::ConstantInt::getSigned(ty, -1);
      llvm::Value* min =
          llvm::ConstantInt::get(ty, llvm::APInt::getSignedMinValue(ty->getBitWidth()));
      llvm::Value* x_minus_one = b.CreateICmpEQ(x, minus_one);
      llvm::Value* safe_x = b.CreateSelect(b.CreateOr(x_zero, x_minus_one), one, x);
      llvm::Value* back = b.CreateSDiv(product, safe_x);
      overflow = b.CreateSelect(
          x_zero, b.getInt1(false),
          b.CreateSelect(x_minus_one, b.CreateICmpEQ(y, min), b.CreateICmpNE(back, y)));
    }
    llvm::Value* pair = llvm::UndefValue::get(ii->getType());
    pair = b.CreateInsertValue(pair, product, 0);
    pair = b.CreateInsertValue(pair, overflow, 1);
    ii->replaceAllUsesWith(pair);
    ii->eraseFromParent();
  }
}

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

// LLVM ends blocks it proves unreachable (after a call it finds never returns, say) with
// `unreachable`, which emits no instruction: a function could then end in a `call`, which
// the verifier refuses. Each such block returns instead; it is never reached.
void end_unreachable_blocks(llvm::Module& module) {
  for (auto& f : module) {
    if (f.isDeclaration()) continue;
    for (auto& bb : f) {
      auto* term = llvm::dyn_cast<llvm::UnreachableInst>(bb.getTerminator());
      if (term == nullptr) continue;
      llvm::IRBuilder<> b(term);
      if (f.getReturnType()->isVoidTy())
        b.CreateRetVoid();
      else
        b.CreateRet(llvm::Constant::getNullValue(f.getReturnType()));
      term->eraseFromParent();
    }
  }
}

}  // namespace

void prepare_module(llvm::Module& module) {
  module.setTargetTriple(kTriple);
  module.setDataLayout(machine(2)->createDataLayout());
}

Result<std::string, BackendError> emit(llvm::Module& module, int opt_level, Emit kind) {
  // The first error LLVM reports: the others are usually the same one again.
  struct Errors {
    bool any = false;
    BackendError first;
  } errors;
  llvm::LLVMContext& ctx = module.getContext();
  ctx.setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo* info, void* context) {
        auto& found = *static_cast<Errors*>(context);
        if (info->getSeverity() != llvm::DS_Error || found.any) return;
        found.any = true;
        if (const auto* u = llvm::dyn_cast<llvm::DiagnosticInfoUnsupported>(info)) {
          found.first = {u->getMessage().str(), u->getFunction().getName().str()};
          return;
        }
        if (const auto* r = llvm::dyn_cast<llvm::DiagnosticInfoResourceLimit>(info))
          found.first.function = r->getFunction().getName().str();
        llvm::raw_string_ostream os(found.first.message);
        llvm::DiagnosticPrinterRawOStream printer(os);
        info->print(printer);
      },
      &errors);

  std::string verify_errors;
  llvm::raw_string_ostream verify_stream(verify_errors);
  if (llvm::verifyModule(module, &verify_stream))
    return fail(BackendError{"internal error: invalid IR:\n" + verify_stream.str(), {}});

  auto tm = machine(opt_level);
  if (opt_level > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    // No loop unrolling (nor vectorising, which BPF cannot use): unrolling a loop copies
    // its body up to a few hundred instructions, so a function of a few hundred short loops
    // became 250,000 instructions and took seconds to optimise (37 s for eight of them,
    // then refused by the module's instruction limit). A loop kept as a loop costs a
    // compare and a branch per iteration, and its code stays proportional to the source.
    llvm::PipelineTuningOptions tuning;
    tuning.LoopUnrolling = false;
    tuning.LoopInterleaving = false;
    tuning.LoopVectorization = false;
    tuning.SLPVectorization = false;
    llvm::PassBuilder pb(tm.get(), tuning);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    const auto level = opt_level == 1 ? llvm::OptimizationLevel::O1 : llvm::OptimizationLevel::O2;
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
    mpm.run(module, mam);
  }
  expand_wide_multiplies(module);
  end_unreachable_blocks(module);

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager pm;
  const auto type = kind == Emit::Object ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile;
  if (tm->addPassesToEmitFile(pm, out, nullptr, type))
    return fail(BackendError{"the BPF target cannot emit this file type", {}});
  pm.run(module);
  ctx.setDiagnosticHandlerCallBack(nullptr);
  if (errors.any) return fail(std::move(errors.first));
  return std::string(buffer.begin(), buffer.end());
}

}  // namespace assent::compiler
