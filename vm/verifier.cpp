#include "vm/verifier.hpp"

#include <algorithm>
#include <set>

#include "vm/dispatch_table.hpp"
#include "vm/memory.hpp"

namespace assent::vm {

std::string_view to_string(VerifyRule rule) {
  switch (rule) {
    case VerifyRule::EmptyProgram:
      return "empty-program";
    case VerifyRule::TruncatedInstruction:
      return "truncated-instruction";
    case VerifyRule::ProgramTooLarge:
      return "program-too-large";
    case VerifyRule::UnknownOpcode:
      return "unknown-opcode";
    case VerifyRule::UnsupportedInstruction:
      return "unsupported-instruction";
    case VerifyRule::InvalidVariant:
      return "invalid-variant";
    case VerifyRule::NonZeroField:
      return "non-zero-field";
    case VerifyRule::InvalidRegister:
      return "invalid-register";
    case VerifyRule::WritesFrameRegister:
      return "writes-frame-register";
    case VerifyRule::DivisionByZero:
      return "division-by-zero";
    case VerifyRule::IncompleteWideLoad:
      return "incomplete-wide-load";
    case VerifyRule::JumpOutOfBounds:
      return "jump-out-of-bounds";
    case VerifyRule::JumpIntoWideLoad:
      return "jump-into-wide-load";
    case VerifyRule::JumpOutsideFunction:
      return "jump-outside-function";
    case VerifyRule::BadCallTarget:
      return "bad-call-target";
    case VerifyRule::UnknownSyscall:
      return "unknown-syscall";
    case VerifyRule::FallsOffEnd:
      return "falls-off-end";
  }
  return "unknown";
}

std::string VerifyError::describe() const {
  return "pc " + std::to_string(pc) + ": " + std::string(to_string(rule)) + ": " + message;
}

namespace {

VerifyRule rule_for(InstructionProblem p) {
  switch (p) {
    case InstructionProblem::UnknownOpcode:
      return VerifyRule::UnknownOpcode;
    case InstructionProblem::Unsupported:
      return VerifyRule::UnsupportedInstruction;
    case InstructionProblem::BadVariant:
      return VerifyRule::InvalidVariant;
    case InstructionProblem::NonZeroField:
      return VerifyRule::NonZeroField;
    case InstructionProblem::BadRegister:
      return VerifyRule::InvalidRegister;
    case InstructionProblem::WritesFrameRegister:
      return VerifyRule::WritesFrameRegister;
    case InstructionProblem::DivisionByZeroImmediate:
      return VerifyRule::DivisionByZero;
  }
  return VerifyRule::UnknownOpcode;
}

Failure<VerifyError> reject(VerifyRule rule, std::size_t pc, std::string message) {
  return fail(VerifyError{rule, static_cast<uint32_t>(pc), std::move(message)});
}

// The operation to run for `op`: its frame form when it accesses the current frame through
// r10 at an offset that keeps the whole access inside the frame.
Op runtime_op(Op op, const RawInstruction& insn) {
  const Format f = info(op).format;
  const uint8_t base = f == Format::Load ? insn.src : insn.dst;
  if (!is_memory_access(f) || base != 10) return op;
  const int64_t lowest = -static_cast<int64_t>(kFrameSize);
  if (insn.off < lowest || insn.off > -static_cast<int64_t>(access_size(op))) return op;
  return frame_form_of(op).value_or(op);
}

// Where control may go from an instruction, besides falling through.
std::optional<int64_t> branch_target(Format f, std::size_t pc, const RawInstruction& insn) {
  switch (f) {
    case Format::Jump:
    case Format::JumpImm:
    case Format::JumpReg:
      return static_cast<int64_t>(pc) + 1 + insn.off;
    case Format::JumpLong:
    case Format::CallLocal:
      return static_cast<int64_t>(pc) + 1 + insn.imm;
    default:
      return std::nullopt;
  }
}

}  // namespace

class Verifier {
 public:
  Verifier(Module module, const SyscallRegistry& registry, Dispatch dispatch)
      : registry_(registry), dispatch_(dispatch) {
    program_.module_ = std::move(module);
    program_.dispatch_ = dispatch;
  }

  // Decodes every slot; a module without a function table gets one inferred from its calls.
  Result<bool, VerifyError> decode(bool infer_functions);
  Result<VerifiedProgram, VerifyError> finish();

 private:
  const Module& module() const { return program_.module_; }
  std::size_t size() const { return raw_.size(); }

  const SyscallRegistry& registry_;
  Dispatch dispatch_;
  VerifiedProgram program_;
  std::vector<RawInstruction> raw_;
  std::vector<Op> ops_;
  std::vector<bool> wide_tail_;  // second slot of an lddw
};

Result<bool, VerifyError> Verifier::decode(bool infer_functions) {
  const auto& code = module().code;
  if (code.empty()) return reject(VerifyRule::EmptyProgram, 0, "the program has no instructions");
  if (code.size() % kInstructionSize != 0)
    return reject(VerifyRule::TruncatedInstruction, code.size() / kInstructionSize,
                  "the code is " + std::to_string(code.size()) + " bytes, not a whole number of " +
                      std::to_string(kInstructionSize) + "-byte instructions");
  const std::size_t n = code.size() / kInstructionSize;
  if (n > kMaxInstructions)
    return reject(VerifyRule::ProgramTooLarge, 0,
                  "the program has " + std::to_string(n) + " instructions; the limit is " +
                      std::to_string(kMaxInstructions));

  raw_.resize(n);
  ops_.resize(n);
  wide_tail_.assign(n, false);
  for (std::size_t pc = 0; pc < n; ++pc)
    raw_[pc] = decode_raw(code.data() + pc * kInstructionSize);

  for (std::size_t pc = 0; pc < n; ++pc) {
    const DecodeResult d = decode_op(raw_[pc]);
    if (!d.op) return reject(rule_for(d.failure.problem), pc, d.failure.message);
    ops_[pc] = *d.op;
    if (info(*d.op).format == Format::LoadImm64) {
      if (pc + 1 >= n)
        return reject(VerifyRule::IncompleteWideLoad, pc,
                      "lddw is the last instruction; its second slot is missing");
      const RawInstruction& tail = raw_[pc + 1];
      if (tail.opcode != 0 || tail.dst != 0 || tail.src != 0 || tail.off != 0)
        return reject(VerifyRule::IncompleteWideLoad, pc + 1,
                      "the second slot of lddw must be zero except for its imm");
      wide_tail_[pc + 1] = true;
      ops_[pc + 1] = *d.op;
      ++pc;
    }
  }

  if (infer_functions) {
    std::set<uint32_t> starts{0};
    for (std::size_t pc = 0; pc < n; ++pc) {
      if (wide_tail_[pc] || info(ops_[pc]).format != Format::CallLocal) continue;
      const int64_t target = *branch_target(Format::CallLocal, pc, raw_[pc]);
      if (target < 0 || target >= static_cast<int64_t>(n) || wide_tail_[target])
        return reject(VerifyRule::BadCallTarget, pc,
                      "call +" + std::to_string(raw_[pc].imm) + " targets pc " +
                          std::to_string(target) + ", which is not an instruction");
      starts.insert(static_cast<uint32_t>(target));
    }
    auto& functions = program_.module_.functions;
    functions.clear();
    for (uint32_t s : starts)
      functions.push_back({s == 0 ? "main" : "fn_" + std::to_string(s), s});
    program_.module_.exports = {Export{"main", ExportKind::Function, 0, {}, {}}};
  }
  return true;
}

Result<VerifiedProgram, VerifyError> Verifier::finish() {
  const std::size_t n = size();
  const auto& functions = module().functions;
  const auto& imports = module().imports;

  // A module read from bytes has passed these checks already; one built in memory may not.
  if (functions.empty() || functions[0].entry != 0)
    return reject(VerifyRule::BadCallTarget, 0,
                  "the function table must start with a function at pc 0");
  for (std::size_t f = 1; f < functions.size(); ++f)
    if (functions[f].entry <= functions[f - 1].entry || functions[f].entry >= n)
      return reject(
          VerifyRule::BadCallTarget, std::min<std::size_t>(functions[f].entry, n - 1),
          "function `" + functions[f].name + "` has an entry out of order or past the code");
  for (const auto& e : module().exports)
    if (e.function >= functions.size())
      return reject(VerifyRule::BadCallTarget, 0,
                    "export `" + e.name + "` names function " + std::to_string(e.function) +
                        ", which does not exist");

  // Imports resolve by name now, so that an unknown syscall fails the load, not the run.
  auto& syscalls = program_.syscalls_;
  for (const auto& name : imports) {
    const SyscallSpec* spec = registry_.find(name);
    if (spec == nullptr) {
      std::size_t first_use = 0;
      const auto index = static_cast<int32_t>(&name - imports.data());
      for (std::size_t pc = 0; pc < n; ++pc)
        if (!wide_tail_[pc] && ops_[pc] == Op::CallHelper && raw_[pc].imm == index) {
          first_use = pc;
          break;
        }
      return reject(VerifyRule::UnknownSyscall, first_use,
                    "the module imports syscall `" + name + "`, which this node does not provide");
    }
    syscalls.push_back(spec);
  }

  std::vector<bool> leader(n, false);
  for (std::size_t f = 0; f < functions.size(); ++f) {
    const std::size_t start = functions[f].entry;
    const std::size_t end = f + 1 < functions.size() ? functions[f + 1].entry : n;
    if (wide_tail_[start])
      return reject(VerifyRule::BadCallTarget, start,
                    "function `" + functions[f].name + "` starts inside an lddw");
    leader[start] = true;

    std::size_t last = start;
    for (std::size_t pc = start; pc < end; ++pc) {
      if (wide_tail_[pc]) continue;
      last = pc;
      const Op op = ops_[pc];
      const Format format = info(op).format;
      const RawInstruction& insn = raw_[pc];
      const std::string mnemonic(info(op).mnemonic);

      if (format == Format::CallHelper) {
        if (insn.imm < 0 || static_cast<std::size_t>(insn.imm) >= imports.size())
          return reject(VerifyRule::UnknownSyscall, pc,
                        "syscall #" + std::to_string(insn.imm) + " is not imported (the module " +
                            "imports " + std::to_string(imports.size()) + " syscalls)");
        continue;
      }
      const auto target = branch_target(format, pc, insn);
      if (is_branch(format) && pc + 1 < n) leader[pc + 1] = true;
      if (!target) continue;

      const std::string shown = mnemonic + " " + (*target > static_cast<int64_t>(pc) ? "+" : "") +
                                std::to_string(*target - static_cast<int64_t>(pc) - 1);
      if (*target < 0 || *target >= static_cast<int64_t>(n))
        return reject(
            format == Format::CallLocal ? VerifyRule::BadCallTarget : VerifyRule::JumpOutOfBounds,
            pc,
            shown + " targets pc " + std::to_string(*target) + ", outside the code (" +
                std::to_string(n) + " slots)");
      const auto t = static_cast<std::size_t>(*target);
      if (format == Format::CallLocal) {
        if (module().function_at(static_cast<uint32_t>(t)) == nullptr)
          return reject(VerifyRule::BadCallTarget, pc,
                        shown + " targets pc " + std::to_string(t) +
                            ", which is not the start of a function");
        continue;
      }
      if (wide_tail_[t])
        return reject(VerifyRule::JumpIntoWideLoad, pc,
                      shown + " targets pc " + std::to_string(t) + ", the middle of an lddw");
      if (t < start || t >= end)
        return reject(VerifyRule::JumpOutsideFunction, pc,
                      shown + " leaves function `" + functions[f].name + "` (pcs " +
                          std::to_string(start) + "-" + std::to_string(end - 1) + ")");
      leader[t] = true;
    }
    if (!is_unconditional_end(info(ops_[last]).format))
      return reject(VerifyRule::FallsOffEnd, last,
                    "function `" + functions[f].name + "` ends with " +
                        std::string(info(ops_[last]).mnemonic) +
                        "; its last instruction must be exit or an unconditional jump");
  }

  // Each block costs its instruction count (lddw counts once), charged on entry.
  auto& costs = program_.block_costs_;
  costs.assign(n, 0);
  uint32_t* current = nullptr;
  for (std::size_t pc = 0; pc < n; ++pc) {
    if (wide_tail_[pc]) continue;
    if (leader[pc]) current = &costs[pc];
    ++*current;  // pc 0 is always a leader, so current is set
  }

  const void* const* handlers = dispatch_ == Dispatch::Threaded ? threaded_handlers() : nullptr;
  auto& slots = program_.slots_;
  slots.resize(n);
  for (std::size_t pc = 0; pc < n; ++pc) {
    const RawInstruction& insn = raw_[pc];
    Slot& slot = slots[pc];
    slot.dst = insn.dst;
    slot.src = insn.src;
    slot.off = insn.off;
    slot.imm = insn.imm;
    const uint64_t index = switch_handler(runtime_op(ops_[pc], insn), leader[pc]);
    // The tail of an lddw is never executed; it only carries the high half of the constant.
    slot.handler = wide_tail_[pc] ? 0
                   : handlers     ? reinterpret_cast<uint64_t>(handlers[index])
                                  : index;
  }
  return std::move(program_);
}

Result<VerifiedProgram, VerifyError> verify(Module module, const SyscallRegistry& registry,
                                            Dispatch dispatch) {
  Verifier v(std::move(module), registry, dispatch);
  if (auto decoded = v.decode(false); !decoded.ok()) return fail(decoded.error());
  return v.finish();
}

Result<VerifiedProgram, VerifyError> verify_raw(std::span<const uint8_t> code,
                                                const SyscallRegistry& registry,
                                                Dispatch dispatch) {
  Module m;
  m.code.assign(code.begin(), code.end());
  Verifier v(std::move(m), registry, dispatch);
  if (auto decoded = v.decode(true); !decoded.ok()) return fail(decoded.error());
  auto program = v.finish();
  return program;
}

}  // namespace assent::vm
