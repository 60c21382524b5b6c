#include "vm/disassembler.hpp"

#include <cstdio>
#include <map>
#include <set>

#include "vm/memory.hpp"

namespace assent::vm {

namespace {

std::string reg(uint8_t r) {
  return 'r' + std::to_string(r);
}

std::string signed_offset(int64_t off) {
  return off >= 0 ? '+' + std::to_string(off) : std::to_string(off);
}

std::string memory_operand(uint8_t base, int16_t off) {
  return '[' + reg(base) + (off >= 0 ? "+" : "") + std::to_string(off) + "]";
}

std::string hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// `target` renders a branch destination: a label when known, otherwise a relative offset.
template <class Target>
std::string render(Op op, const RawInstruction& insn, int32_t next_imm, Target&& target) {
  const OpInfo& oi = info(op);
  const std::string m(oi.mnemonic);
  switch (oi.format) {
    case Format::AluImm:
      return m + " " + reg(insn.dst) + ", " + std::to_string(insn.imm);
    case Format::AluReg:
      return m + " " + reg(insn.dst) + ", " + reg(insn.src);
    case Format::Unary:
    case Format::Endian:
      return m + " " + reg(insn.dst);
    case Format::Load:
      return m + " " + reg(insn.dst) + ", " + memory_operand(insn.src, insn.off);
    case Format::StoreImm:
      return m + " " + memory_operand(insn.dst, insn.off) + ", " + std::to_string(insn.imm);
    case Format::StoreReg:
      return m + " " + memory_operand(insn.dst, insn.off) + ", " + reg(insn.src);
    case Format::LoadImm64: {
      const uint64_t v = static_cast<uint32_t>(insn.imm) |
                         (static_cast<uint64_t>(static_cast<uint32_t>(next_imm)) << 32);
      return m + " " + reg(insn.dst) + ", " + hex64(v);
    }
    case Format::Jump:
      return m + " " + target(insn.off);
    case Format::JumpLong:
      return m + " " + target(insn.imm);
    case Format::JumpImm:
      return m + " " + reg(insn.dst) + ", " + std::to_string(insn.imm) + ", " + target(insn.off);
    case Format::JumpReg:
      return m + " " + reg(insn.dst) + ", " + reg(insn.src) + ", " + target(insn.off);
    case Format::CallHelper:
      return m + " #" + std::to_string(insn.imm);
    case Format::CallLocal:
      return m + " " + target(insn.imm);
    case Format::Exit:
      return m;
  }
  return m;
}

std::string quoted_bytes(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out + "\"";
}

std::string_view kind_name(ExportKind kind) {
  switch (kind) {
    case ExportKind::Action:
      return "action";
    case ExportKind::View:
      return "view";
    case ExportKind::Init:
      return "init";
    case ExportKind::Function:
      return "function";
  }
  return "function";
}

}  // namespace

std::string disassemble_instruction(const RawInstruction& insn, int32_t next_imm) {
  const DecodeResult d = decode_op(insn);
  if (!d.op) return "(invalid: " + d.failure.message + ")";
  return render(*d.op, insn, next_imm, [](int64_t off) { return signed_offset(off); });
}

std::string disassemble(const Module& m) {
  const std::size_t n = m.instruction_count();
  std::vector<RawInstruction> raw(n);
  std::vector<std::optional<Op>> ops(n);
  for (std::size_t pc = 0; pc < n; ++pc)
    raw[pc] = decode_raw(m.code.data() + pc * kInstructionSize);
  for (std::size_t pc = 0; pc < n; ++pc) {
    ops[pc] = decode_op(raw[pc]).op;
    if (ops[pc] && info(*ops[pc]).format == Format::LoadImm64) ++pc;
  }

  // Labels at every jump target inside the code, named by their pc.
  std::set<int64_t> labels;
  for (std::size_t pc = 0; pc < n; ++pc) {
    if (!ops[pc]) continue;
    const Format f = info(*ops[pc]).format;
    const int64_t base = static_cast<int64_t>(pc) + 1;
    int64_t t = -1;
    if (f == Format::Jump || f == Format::JumpImm || f == Format::JumpReg) t = base + raw[pc].off;
    if (f == Format::JumpLong) t = base + raw[pc].imm;
    if (t >= 0 && t < static_cast<int64_t>(n)) labels.insert(t);
  }

  std::string out;
  out += "; " + std::to_string(n) + " instructions, " + std::to_string(m.functions.size()) +
         " functions, " + std::to_string(m.imports.size()) + " imports, " +
         std::to_string(m.rodata.size()) + " bytes of read-only data\n";
  if (!m.rodata.empty()) out += ".rodata rodata hex " + quoted_bytes(m.rodata) + "\n";
  for (const auto& name : m.imports)
    out += ".import " + name + "\n";
  for (const auto& e : m.exports)
    if (e.function < m.functions.size())
      out += ".export " + e.name + " " + std::string(kind_name(e.kind)) + " " +
             m.functions[e.function].name + "\n";

  std::size_t next_function = 0;
  for (std::size_t pc = 0; pc < n; ++pc) {
    while (next_function < m.functions.size() && m.functions[next_function].entry <= pc) {
      out += "\n.func " + m.functions[next_function].name + "\n";
      ++next_function;
    }
    if (labels.count(static_cast<int64_t>(pc))) out += 'L' + std::to_string(pc) + ":\n";
    std::string line;
    if (!ops[pc]) {
      line = ".raw " +
             quoted_bytes(std::span(m.code).subspan(pc * kInstructionSize, kInstructionSize));
      line.resize(std::max<std::size_t>(line.size(), 36), ' ');
      out += "    " + line + "; " + std::to_string(pc) +
             " invalid: " + decode_op(raw[pc]).failure.message + "\n";
      continue;
    }
    const Op op = *ops[pc];
    const int32_t next_imm = pc + 1 < n ? raw[pc + 1].imm : 0;
    std::string comment;
    line = render(op, raw[pc], next_imm, [&](int64_t off) -> std::string {
      const int64_t t = static_cast<int64_t>(pc) + 1 + off;
      if (info(op).format == Format::CallLocal) {
        if (t >= 0) {
          if (const Function* f = m.function_at(static_cast<uint32_t>(t))) return f->name;
        }
        return signed_offset(off);
      }
      return labels.count(t) ? 'L' + std::to_string(t) : signed_offset(off);
    });
    if (info(op).format == Format::CallHelper) {
      const auto index = static_cast<std::size_t>(raw[pc].imm);
      if (raw[pc].imm >= 0 && index < m.imports.size()) line = "syscall " + m.imports[index];
    }
    if (info(op).format == Format::LoadImm64) {
      const uint64_t v = static_cast<uint32_t>(raw[pc].imm) |
                         (static_cast<uint64_t>(static_cast<uint32_t>(next_imm)) << 32);
      if ((v >> kRegionShift) == static_cast<uint64_t>(RegionId::Rodata) &&
          (v & 0xffffffffu) < m.rodata.size())
        comment = " rodata+" + std::to_string(v & 0xffffffffu);
    }
    line.resize(std::max<std::size_t>(line.size(), 36), ' ');
    out += "    " + line + "; " + std::to_string(pc) + comment + "\n";
    if (info(op).format == Format::LoadImm64) ++pc;
  }
  return out;
}

}  // namespace assent::vm
