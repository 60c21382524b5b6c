#include "compiler/linker.hpp"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "vm/isa.hpp"
#include "vm/memory.hpp"

namespace assent::compiler {

namespace {

// A valid module name for the LLVM name `name`, ending in `suffix` (which makes it unique),
// within the module's length limit.
std::string sanitize(const std::string& name, const std::string& suffix = {}) {
  std::string out;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "_" + out;
  return out.substr(0, vm::kMaxNameBytes - suffix.size()) + suffix;
}

template <class T>
std::string message(llvm::Expected<T>& e) {
  return llvm::toString(e.takeError());
}

}  // namespace

Result<Linked, std::string> link(const std::string& object, const ModulePlan& plan) {
  auto parsed =
      llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(object, "module.o"));
  if (!parsed) return fail("cannot read the object: " + message(parsed));
  llvm::object::ObjectFile& obj = **parsed;

  Linked linked;
  vm::Module& m = linked.module;
  // Code sections (.text, and .text.unlikely for cold paths), one after the other, .text
  // first: section index -> first slot.
  std::map<uint64_t, uint64_t> code_base;
  std::map<uint64_t, uint64_t> rodata_offset;  // section index -> offset in m.rodata
  std::vector<llvm::object::SectionRef> code_sections;
  for (const auto& section : obj.sections()) {
    auto name = section.getName();
    if (!name) return fail("cannot read a section name");
    if (section.isText() && section.getSize() > 0) {
      if (*name == ".text")
        code_sections.insert(code_sections.begin(), section);
      else
        code_sections.push_back(section);
    } else if (section.isData() || section.isBSS()) {
      if (section.getSize() == 0) continue;
      const auto flags = llvm::object::ELFSectionRef(section).getFlags();
      if (!(flags & llvm::ELF::SHF_ALLOC)) continue;
      if ((flags & llvm::ELF::SHF_WRITE) || section.isBSS())
        return fail("internal error: the module has writable data (" + name->str() + ")");
      auto contents = section.getContents();
      if (!contents) return fail("cannot read " + name->str());
      while (m.rodata.size() % 8)
        m.rodata.push_back(0);
      rodata_offset[section.getIndex()] = m.rodata.size();
      m.rodata.insert(m.rodata.end(), contents->begin(), contents->end());
    }
  }
  for (const auto& section : code_sections) {
    auto contents = section.getContents();
    if (!contents) return fail("cannot read the code");
    code_base[section.getIndex()] = m.instruction_count();
    m.code.insert(m.code.end(), contents->begin(), contents->end());
  }
  if (m.code.empty()) return fail("the module has no code");

  // Functions: every function symbol in .text, by address.
  std::map<uint64_t, std::string> by_address;
  std::map<std::string, uint64_t> address_of;  // LLVM name -> slot
  for (const auto& sym : obj.symbols()) {
    auto type = sym.getType();
    auto section = sym.getSection();
    if (!type || *type != llvm::object::SymbolRef::ST_Function || !section) continue;
    auto base = code_base.find((*section)->getIndex());
    if (base == code_base.end()) continue;
    auto name = sym.getName();
    auto value = sym.getValue();
    if (!name || !value) return fail("cannot read a symbol");
    by_address[base->second + *value / vm::kInstructionSize] = name->str();
    address_of[name->str()] = base->second + *value / vm::kInstructionSize;
  }
  if (by_address.empty() || by_address.begin()->first != 0)
    return fail("internal error: no function starts at pc 0");
  std::map<uint64_t, uint32_t> index_of;  // slot -> function index
  std::set<std::string> used;
  for (const auto& [slot, name] : by_address) {
    std::string clean = sanitize(name);
    for (int n = 2; used.count(clean); ++n)
      clean = sanitize(name, '_' + std::to_string(n));
    used.insert(clean);
    index_of[slot] = static_cast<uint32_t>(m.functions.size());
    m.functions.push_back({clean, static_cast<uint32_t>(slot)});
    linked.llvm_names.push_back(name);
  }

  // Relocations of .text: syscalls, calls to functions, and lddw of read-only data addresses.
  std::map<std::string, uint32_t> import_of;
  for (const auto& section : obj.sections()) {
    auto target = section.getRelocatedSection();
    if (!target) continue;
    auto target_base = code_base.find((*target)->getIndex());
    if (target_base == code_base.end()) continue;
    for (const auto& reloc : section.relocations()) {
      const uint64_t pc = target_base->second + reloc.getOffset() / vm::kInstructionSize;
      if (pc >= m.instruction_count()) return fail("relocation past the end of the code");
      uint8_t* insn = m.code.data() + pc * vm::kInstructionSize;
      auto sym = reloc.getSymbol();
      auto flags = sym->getFlags();
      if (flags && (*flags & llvm::object::SymbolRef::SF_Undefined)) {
        // A call of an external function: a syscall, named by the symbol.
        auto name = sym->getName();
        if (!name || reloc.getType() != llvm::ELF::R_BPF_64_32)
          return fail("internal error: bad syscall reference");
        auto [it, inserted] =
            import_of.emplace(name->str(), static_cast<uint32_t>(m.imports.size()));
        if (inserted) m.imports.push_back(name->str());
        insn[1] &= 0x0f;  // src 0: a syscall, not a local call
        const auto index = static_cast<int32_t>(it->second);
        std::memcpy(insn + 4, &index, 4);
        continue;
      }
      auto sym_value = sym->getValue();
      auto sym_section = sym->getSection();
      if (!sym_value || !sym_section) return fail("cannot read a relocation's symbol");
      int32_t imm;
      std::memcpy(&imm, insn + 4, 4);
      switch (reloc.getType()) {
        case llvm::ELF::R_BPF_64_32: {  // call: pc-relative, in slots
          auto callee_base = code_base.find((*sym_section)->getIndex());
          if (callee_base == code_base.end())
            return fail("internal error: a call outside the code");
          const int64_t target_pc =
              static_cast<int64_t>(callee_base->second + *sym_value / vm::kInstructionSize) +
              (imm == -1 ? 0 : imm + 1);
          const auto rel = static_cast<int32_t>(target_pc - static_cast<int64_t>(pc) - 1);
          std::memcpy(insn + 4, &rel, 4);
          break;
        }
        case llvm::ELF::R_BPF_64_64: {  // lddw: an absolute address in read-only data
          auto it = rodata_offset.find((*sym_section)->getIndex());
          if (it == rodata_offset.end())
            return fail("internal error: an address outside read-only data");
          const uint64_t address = vm::region_base(vm::RegionId::Rodata) + it->second + *sym_value +
                                   static_cast<uint32_t>(imm);
          const auto lo = static_cast<uint32_t>(address), hi = static_cast<uint32_t>(address >> 32);
          std::memcpy(insn + 4, &lo, 4);
          std::memcpy(insn + 12, &hi, 4);
          break;
        }
        default:
          return fail("internal error: unsupported relocation type " +
                      std::to_string(reloc.getType()));
      }
    }
  }

  m.abi = plan.abi;
  for (const auto& [e, llvm_name] : plan.exports) {
    auto it = address_of.find(llvm_name);
    if (it == address_of.end()) return fail("internal error: export `" + e.name + "` has no code");
    vm::Export out = e;
    out.function = index_of.at(it->second);
    m.exports.push_back(std::move(out));
  }
  return linked;
}

}  // namespace assent::compiler
