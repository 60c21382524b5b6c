// read_module: parses and validates an .acm file (docs/module-format.md). Every read is
// bounds-checked by ByteReader; every count is checked against its limit before anything is
// allocated for it, so a hostile header cannot make the loader allocate much.
#include <algorithm>
#include <set>

#include "vm/byte_io.hpp"
#include "vm/module.hpp"
#include "vm/module_sections.hpp"

namespace assent::vm {

namespace {

class Parser {
 public:
  explicit Parser(std::span<const uint8_t> bytes) : all_(bytes) {}

  Result<Module, LoadError> parse();

 private:
  // Each step returns false after recording the first error in err_.
  bool error(LoadErrorCode code, std::size_t offset, std::string message) {
    if (!failed_) err_ = LoadError{code, offset, std::move(message)};
    failed_ = true;
    return false;
  }
  bool truncated(const ByteReader& r, std::string_view what) {
    return error(LoadErrorCode::Truncated, r.offset(), "the file ends inside " + std::string(what));
  }

  bool read_count(ByteReader& r, std::string_view what, std::size_t limit, uint32_t& count);
  bool read_name(ByteReader& r, std::string_view what, NameKind kind, std::string& out);
  bool read_type(ByteReader& r, std::size_t depth, uint32_t named_limit, Type& out);
  bool read_fields(ByteReader& r, std::string_view owner, bool event, uint32_t named_limit,
                   std::vector<Field>& out);

  bool section_code(ByteReader& r);
  bool section_rodata(ByteReader& r);
  bool section_functions(ByteReader& r);
  bool section_imports(ByteReader& r);
  bool section_abi(ByteReader& r);
  bool section_exports(ByteReader& r);
  bool section_metadata(ByteReader& r);
  bool section_lines(ByteReader& r);

  std::span<const uint8_t> all_;
  Module m_;
  LoadError err_{};
  bool failed_ = false;
};

bool Parser::read_count(ByteReader& r, std::string_view what, std::size_t limit, uint32_t& count) {
  const std::size_t at = r.offset();
  if (!r.read(count)) return truncated(r, std::string(what) + " count");
  if (count == 0)
    return error(LoadErrorCode::BadSection, at,
                 "the " + std::string(what) + " table is empty; omit its section instead");
  if (count > limit)
    return error(LoadErrorCode::TooLarge, at,
                 std::string(what) + " count " + std::to_string(count) + " exceeds the limit of " +
                     std::to_string(limit));
  return true;
}

bool Parser::read_name(ByteReader& r, std::string_view what, NameKind kind, std::string& out) {
  const std::size_t at = r.offset();
  uint8_t len = 0;
  if (!r.read(len)) return truncated(r, std::string(what) + " name length");
  if (!r.read_string(len, out)) return truncated(r, std::string(what) + " name");
  if (auto problem = check_name(out, kind))
    return error(LoadErrorCode::BadName, at, std::string(what) + " name " + *problem);
  return true;
}

bool Parser::read_type(ByteReader& r, std::size_t depth, uint32_t named_limit, Type& out) {
  const std::size_t at = r.offset();
  if (depth > kMaxTypeDepth)
    return error(LoadErrorCode::BadType, at,
                 "type nested deeper than " + std::to_string(kMaxTypeDepth) + " levels");
  uint8_t tag = 0;
  if (!r.read(tag)) return truncated(r, "a type");
  out.tag = static_cast<TypeTag>(tag);
  switch (out.tag) {
    case TypeTag::Unit:
    case TypeTag::Bool:
    case TypeTag::U8:
    case TypeTag::U32:
    case TypeTag::U64:
    case TypeTag::I64:
    case TypeTag::U256:
    case TypeTag::Time:
    case TypeTag::Duration:
    case TypeTag::Identity:
    case TypeTag::Bytes:
    case TypeTag::String:
      return true;
    case TypeTag::List:
    case TypeTag::Optional:
      out.args.resize(1);
      if (!read_type(r, depth + 1, named_limit, out.args[0])) return false;
      if (out.args[0].tag == TypeTag::Unit)
        return error(LoadErrorCode::BadType, at, "unit cannot be an element type");
      return true;
    case TypeTag::Set: {
      out.args.resize(1);
      if (!read_type(r, depth + 1, named_limit, out.args[0])) return false;
      const Type& e = out.args[0];
      if (e.tag != TypeTag::Named || m_.abi.types[e.index].kind != TypeDefKind::Enum)
        return error(LoadErrorCode::BadType, at, "set element must be an enum type");
      return true;
    }
    case TypeTag::Tuple: {
      uint8_t n = 0;
      if (!r.read(n)) return truncated(r, "a tuple size");
      if (n < kMinTupleMembers || n > kMaxTupleMembers)
        return error(LoadErrorCode::BadType, at,
                     "tuple of " + std::to_string(n) + " members; tuples have " +
                         std::to_string(kMinTupleMembers) + " to " +
                         std::to_string(kMaxTupleMembers));
      out.args.resize(n);
      for (auto& member : out.args) {
        if (!read_type(r, depth + 1, named_limit, member)) return false;
        if (member.tag == TypeTag::Unit)
          return error(LoadErrorCode::BadType, at, "unit cannot be a tuple member");
      }
      return true;
    }
    case TypeTag::Named:
      if (!r.read(out.index)) return truncated(r, "a type index");
      if (out.index >= named_limit)
        return error(LoadErrorCode::BadIndex, at,
                     "type index " + std::to_string(out.index) +
                         " does not name an earlier type definition (" +
                         std::to_string(named_limit) + " available)");
      return true;
  }
  return error(LoadErrorCode::BadType, at, "unknown type tag " + std::to_string(tag));
}

bool Parser::read_fields(ByteReader& r, std::string_view owner, bool event, uint32_t named_limit,
                         std::vector<Field>& out) {
  uint32_t count = 0;
  const std::size_t at = r.offset();
  if (!r.read(count)) return truncated(r, "a field count");
  if (count > kMaxEntries)
    return error(LoadErrorCode::TooLarge, at, std::string(owner) + " has too many fields");
  out.resize(count);
  std::set<std::string_view> seen;
  unsigned indexed = 0;
  for (auto& f : out) {
    const std::size_t field_at = r.offset();
    if (!read_name(r, "field", NameKind::Identifier, f.name)) return false;
    if (!seen.insert(f.name).second)
      return error(LoadErrorCode::DuplicateName, field_at,
                   std::string(owner) + " has two fields named `" + f.name + "`");
    if (!read_type(r, 0, named_limit, f.type)) return false;
    if (f.type.tag == TypeTag::Unit)
      return error(LoadErrorCode::BadType, field_at, "field `" + f.name + "` has type unit");
    if (event) {
      uint8_t flag = 0;
      if (!r.read(flag)) return truncated(r, "an event field flag");
      if (flag > 1)
        return error(LoadErrorCode::NotCanonical, field_at, "event field flag must be 0 or 1");
      f.indexed = flag == 1;
      if (f.indexed && f.type.tag != TypeTag::Identity)
        return error(LoadErrorCode::BadType, field_at,
                     "indexed event field `" + f.name + "` must have type identity");
      if (f.indexed && ++indexed > kMaxIndexedFields)
        return error(LoadErrorCode::TooLarge, field_at,
                     std::string(owner) + " indexes more than 3 fields");
    }
  }
  return true;
}

bool Parser::section_code(ByteReader& r) {
  const std::size_t n = r.remaining();
  if (n % kInstructionSize != 0)
    return error(LoadErrorCode::BadSection, r.offset(),
                 "code is " + std::to_string(n) + " bytes, not a multiple of " +
                     std::to_string(kInstructionSize));
  if (n / kInstructionSize > kMaxInstructions)
    return error(LoadErrorCode::TooLarge, r.offset(),
                 "code has " + std::to_string(n / kInstructionSize) +
                     " instructions; the limit is " + std::to_string(kMaxInstructions));
  std::span<const uint8_t> raw;
  (void)r.read_bytes(n, raw);
  m_.code.assign(raw.begin(), raw.end());
  return true;
}

bool Parser::section_rodata(ByteReader& r) {
  if (r.remaining() > kMaxRodataBytes)
    return error(LoadErrorCode::TooLarge, r.offset(), "read-only data exceeds 1 MiB");
  std::span<const uint8_t> raw;
  (void)r.read_bytes(r.remaining(), raw);
  m_.rodata.assign(raw.begin(), raw.end());
  return true;
}

bool Parser::section_functions(ByteReader& r) {
  uint32_t count = 0;
  if (!read_count(r, "function", kMaxEntries, count)) return false;
  m_.functions.resize(count);
  std::set<std::string_view> seen;
  for (uint32_t i = 0; i < count; ++i) {
    auto& f = m_.functions[i];
    const std::size_t at = r.offset();
    if (!read_name(r, "function", NameKind::Identifier, f.name)) return false;
    if (!r.read(f.entry)) return truncated(r, "a function entry");
    if (!seen.insert(f.name).second)
      return error(LoadErrorCode::DuplicateName, at, "two functions are named `" + f.name + "`");
    if (i == 0 && f.entry != 0)
      return error(LoadErrorCode::BadIndex, at, "the first function must start at pc 0");
    if (i > 0 && f.entry <= m_.functions[i - 1].entry)
      return error(LoadErrorCode::NotCanonical, at,
                   "functions must be sorted by entry, without repeats");
    if (f.entry >= m_.instruction_count())
      return error(LoadErrorCode::BadIndex, at,
                   "function `" + f.name + "` starts at pc " + std::to_string(f.entry) +
                       ", past the end of the code");
  }
  return true;
}

bool Parser::section_imports(ByteReader& r) {
  uint32_t count = 0;
  if (!read_count(r, "import", kMaxEntries, count)) return false;
  m_.imports.resize(count);
  std::set<std::string_view> seen;
  for (auto& name : m_.imports) {
    const std::size_t at = r.offset();
    if (!read_name(r, "import", NameKind::Syscall, name)) return false;
    if (!seen.insert(name).second)
      return error(LoadErrorCode::DuplicateName, at, "syscall `" + name + "` is imported twice");
  }
  return true;
}

bool Parser::section_abi(ByteReader& r) {
  uint32_t type_count = 0;
  const std::size_t at = r.offset();
  if (!r.read(type_count)) return truncated(r, "the type count");
  if (type_count > kMaxEntries) return error(LoadErrorCode::TooLarge, at, "too many types");
  m_.abi.types.resize(type_count);
  std::set<std::string_view> seen;
  for (uint32_t i = 0; i < type_count; ++i) {
    auto& t = m_.abi.types[i];
    const std::size_t type_at = r.offset();
    uint8_t kind = 0;
    if (!r.read(kind)) return truncated(r, "a type kind");
    if (!read_name(r, "type", NameKind::Identifier, t.name)) return false;
    if (!seen.insert(t.name).second)
      return error(LoadErrorCode::DuplicateName, type_at, "two types are named `" + t.name + "`");
    t.kind = static_cast<TypeDefKind>(kind);
    if (t.kind == TypeDefKind::Record) {
      // Fields may only name earlier types: no type can contain itself.
      if (!read_fields(r, "record `" + t.name + "`", false, i, t.fields)) return false;
    } else if (t.kind == TypeDefKind::Enum) {
      uint32_t n = 0;
      if (!read_count(r, "enum variant", kMaxEnumVariants, n)) return false;
      t.variants.resize(n);
      std::set<std::string_view> names;
      for (auto& v : t.variants) {
        const std::size_t v_at = r.offset();
        if (!read_name(r, "enum variant", NameKind::Identifier, v)) return false;
        if (!names.insert(v).second)
          return error(LoadErrorCode::DuplicateName, v_at,
                       "enum `" + t.name + "` has two variants named `" + v + "`");
      }
    } else {
      return error(LoadErrorCode::BadType, type_at, "unknown type kind " + std::to_string(kind));
    }
  }
  uint32_t event_count = 0;
  const std::size_t events_at = r.offset();
  if (!r.read(event_count)) return truncated(r, "the event count");
  if (event_count > kMaxEntries)
    return error(LoadErrorCode::TooLarge, events_at, "too many events");
  if (type_count == 0 && event_count == 0)
    return error(LoadErrorCode::BadSection, at, "the ABI section is empty; omit it instead");
  m_.abi.events.resize(event_count);
  std::set<std::string_view> event_names;
  for (auto& e : m_.abi.events) {
    const std::size_t e_at = r.offset();
    if (!read_name(r, "event", NameKind::Identifier, e.name)) return false;
    if (!event_names.insert(e.name).second)
      return error(LoadErrorCode::DuplicateName, e_at, "two events are named `" + e.name + "`");
    if (!read_fields(r, "event `" + e.name + "`", true, type_count, e.fields)) return false;
  }
  return true;
}

bool Parser::section_exports(ByteReader& r) {
  uint32_t count = 0;
  if (!read_count(r, "export", kMaxEntries, count)) return false;
  m_.exports.resize(count);
  const auto type_count = static_cast<uint32_t>(m_.abi.types.size());
  std::set<std::string_view> seen;
  for (auto& e : m_.exports) {
    const std::size_t at = r.offset();
    if (!read_name(r, "export", NameKind::Identifier, e.name)) return false;
    if (!seen.insert(e.name).second)
      return error(LoadErrorCode::DuplicateName, at, "two exports are named `" + e.name + "`");
    uint8_t kind = 0;
    if (!r.read(kind)) return truncated(r, "an export kind");
    if (kind < 1 || kind > 4)
      return error(LoadErrorCode::BadSection, at,
                   "export `" + e.name + "` has unknown kind " + std::to_string(kind));
    e.kind = static_cast<ExportKind>(kind);
    if (!r.read(e.function)) return truncated(r, "an export's function index");
    if (e.function >= m_.functions.size())
      return error(LoadErrorCode::BadIndex, at,
                   "export `" + e.name + "` names function " + std::to_string(e.function) +
                       ", but the module has " + std::to_string(m_.functions.size()));
    if (!read_fields(r, "export `" + e.name + "`", false, type_count, e.params)) return false;
    if (!read_type(r, 0, type_count, e.result)) return false;
  }
  return true;
}

bool Parser::section_metadata(ByteReader& r) {
  uint32_t count = 0;
  if (!read_count(r, "metadata", kMaxEntries, count)) return false;
  m_.metadata.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto& entry = m_.metadata[i];
    const std::size_t at = r.offset();
    if (!read_name(r, "metadata key", NameKind::Key, entry.key)) return false;
    if (i > 0 && entry.key <= m_.metadata[i - 1].key)
      return error(LoadErrorCode::NotCanonical, at,
                   "metadata keys must be sorted and unique (at `" + entry.key + "`)");
    uint32_t len = 0;
    if (!r.read(len)) return truncated(r, "a metadata value length");
    if (len > kMaxMetadataValue)
      return error(LoadErrorCode::TooLarge, at,
                   "metadata value of `" + entry.key + "` exceeds 64 KiB");
    if (!r.read_string(len, entry.value)) return truncated(r, "a metadata value");
  }
  return true;
}

bool Parser::section_lines(ByteReader& r) {
  uint32_t count = 0;
  if (!read_count(r, "line", kMaxInstructions, count)) return false;
  if (r.remaining() < std::size_t{count} * 12) return truncated(r, "the line table");
  m_.lines.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto& l = m_.lines[i];
    const std::size_t at = r.offset();
    (void)r.read(l.pc);
    (void)r.read(l.line);
    (void)r.read(l.column);
    if (l.pc >= m_.instruction_count())
      return error(LoadErrorCode::BadIndex, at,
                   "line entry for pc " + std::to_string(l.pc) + ", past the end of the code");
    if (i > 0 && l.pc <= m_.lines[i - 1].pc)
      return error(LoadErrorCode::NotCanonical, at,
                   "line entries must be sorted by pc, without repeats");
  }
  return true;
}

Result<Module, LoadError> Parser::parse() {
  ByteReader r(all_);
  if (all_.size() > kMaxModuleBytes)
    return fail(LoadError{LoadErrorCode::TooLarge, 0,
                          "module is " + std::to_string(all_.size()) + " bytes; the limit is " +
                              std::to_string(kMaxModuleBytes)});
  std::span<const uint8_t> magic;
  if (!r.read_bytes(4, magic) || !std::equal(magic.begin(), magic.end(), kModuleMagic))
    return fail(LoadError{LoadErrorCode::BadMagic, 0, "not an Assent module (no `ACM\\0` magic)"});
  uint16_t version = 0, reserved = 0;
  if (!r.read(version) || !r.read(reserved))
    return fail(LoadError{LoadErrorCode::Truncated, r.offset(), "the file ends inside the header"});
  if (version != kModuleVersion)
    return fail(LoadError{LoadErrorCode::BadVersion, 4,
                          "module format version " + std::to_string(version) +
                              "; this VM reads version " + std::to_string(kModuleVersion)});
  if (reserved != 0)
    return fail(LoadError{LoadErrorCode::NotCanonical, 6, "reserved header field is not zero"});

  uint8_t last_id = 0;
  while (!r.at_end()) {
    const std::size_t at = r.offset();
    uint8_t id = 0;
    uint32_t size = 0;
    if (!r.read(id) || !r.read(size))
      return fail(LoadError{LoadErrorCode::Truncated, at, "the file ends inside a section header"});
    if (id == 0 || id > kLastSection)
      return fail(
          LoadError{LoadErrorCode::BadSection, at, "unknown section id " + std::to_string(id)});
    if (id <= last_id)
      return fail(LoadError{LoadErrorCode::BadSection, at,
                            "section `" + std::string(section_name(id)) +
                                "` is repeated or out of order (sections ascend by id)"});
    if (size == 0)
      return fail(LoadError{LoadErrorCode::BadSection, at,
                            "section `" + std::string(section_name(id)) + "` is empty; omit it"});
    std::span<const uint8_t> payload;
    if (!r.read_bytes(size, payload))
      return fail(LoadError{LoadErrorCode::Truncated, at,
                            "section `" + std::string(section_name(id)) + "` claims " +
                                std::to_string(size) + " bytes, but only " +
                                std::to_string(r.remaining()) + " remain"});
    if (id > kCodeSection && last_id < kCodeSection)
      return fail(LoadError{LoadErrorCode::BadSection, at, "the code section must come first"});
    last_id = id;
    if (id > kFunctionsSection && m_.functions.empty())
      return fail(LoadError{LoadErrorCode::BadSection, at,
                            "the functions section is missing (it must follow code)"});

    ByteReader s(payload, r.offset() - size);
    bool ok = false;
    switch (id) {
      case kCodeSection:
        ok = section_code(s);
        break;
      case kRodataSection:
        ok = section_rodata(s);
        break;
      case kFunctionsSection:
        ok = section_functions(s);
        break;
      case kImportsSection:
        ok = section_imports(s);
        break;
      case kAbiSection:
        ok = section_abi(s);
        break;
      case kExportsSection:
        ok = section_exports(s);
        break;
      case kMetadataSection:
        ok = section_metadata(s);
        break;
      case kLinesSection:
        ok = section_lines(s);
        break;
    }
    if (!ok) return fail(err_);
    if (!s.at_end())
      return fail(LoadError{LoadErrorCode::TrailingBytes, s.offset(),
                            std::to_string(s.remaining()) +
                                " unused bytes at the end of section `" +
                                std::string(section_name(id)) + "`"});
  }
  if (m_.code.empty())
    return fail(LoadError{LoadErrorCode::BadSection, r.offset(), "the module has no code section"});
  if (m_.functions.empty())
    return fail(
        LoadError{LoadErrorCode::BadSection, r.offset(), "the module has no functions section"});
  return std::move(m_);
}

}  // namespace

Result<Module, LoadError> read_module(std::span<const uint8_t> bytes) {
  return Parser(bytes).parse();
}

}  // namespace assent::vm
