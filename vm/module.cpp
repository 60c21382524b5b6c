#include <algorithm>

#include "vm/module.hpp"
#include "vm/module_sections.hpp"

namespace assent::vm {

std::string_view section_name(uint8_t id) {
  switch (id) {
    case kCodeSection:
      return "code";
    case kRodataSection:
      return "rodata";
    case kFunctionsSection:
      return "functions";
    case kImportsSection:
      return "imports";
    case kAbiSection:
      return "abi";
    case kExportsSection:
      return "exports";
    case kMetadataSection:
      return "metadata";
    case kLinesSection:
      return "lines";
    default:
      return "unknown";
  }
}

std::optional<std::string> check_name(std::string_view name, NameKind kind) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxNameBytes)
    return "`" + std::string(name.substr(0, 16)) + "...` is longer than 64 bytes";
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  bool segment_start = true;
  for (char c : name) {
    bool ok = false;
    switch (kind) {
      case NameKind::Identifier:
        ok = alpha(c) || (!segment_start && digit(c));
        break;
      case NameKind::Syscall:
        ok = alpha(c) || (!segment_start && (digit(c) || c == '.'));
        break;
      case NameKind::Key:
        ok = alpha(c) || digit(c) || c == '.' || c == '-';
        break;
    }
    if (!ok) {
      std::string shown;
      for (char s : name)
        shown += (s >= 0x20 && s < 0x7f) ? s : '?';
      return "`" + shown + "` is not a valid name (letters, digits and `_`" +
             std::string(kind == NameKind::Syscall ? ", segments joined by `.`" : "") +
             std::string(kind == NameKind::Key ? ", `.` and `-`" : "") +
             (kind == NameKind::Key ? ")" : ", not starting with a digit)");
    }
    segment_start = kind == NameKind::Syscall && c == '.';
  }
  if (segment_start) return '`' + std::string(name) + "` ends with `.`";
  return std::nullopt;
}

const Export* Module::find_export(std::string_view name) const {
  for (const auto& e : exports)
    if (e.name == name) return &e;
  return nullptr;
}

const Function* Module::function_at(uint32_t entry) const {
  auto it = std::lower_bound(functions.begin(), functions.end(), entry,
                             [](const Function& f, uint32_t pc) { return f.entry < pc; });
  return it != functions.end() && it->entry == entry ? &*it : nullptr;
}

const LineEntry* Module::line_for(uint32_t pc) const {
  auto it = std::upper_bound(lines.begin(), lines.end(), pc,
                             [](uint32_t p, const LineEntry& l) { return p < l.pc; });
  return it == lines.begin() ? nullptr : &*std::prev(it);
}

std::string_view to_string(LoadErrorCode code) {
  switch (code) {
    case LoadErrorCode::Truncated:
      return "truncated";
    case LoadErrorCode::BadMagic:
      return "bad-magic";
    case LoadErrorCode::BadVersion:
      return "bad-version";
    case LoadErrorCode::TooLarge:
      return "too-large";
    case LoadErrorCode::BadSection:
      return "bad-section";
    case LoadErrorCode::TrailingBytes:
      return "trailing-bytes";
    case LoadErrorCode::BadName:
      return "bad-name";
    case LoadErrorCode::DuplicateName:
      return "duplicate-name";
    case LoadErrorCode::BadIndex:
      return "bad-index";
    case LoadErrorCode::BadType:
      return "bad-type";
    case LoadErrorCode::NotCanonical:
      return "not-canonical";
  }
  return "unknown";
}

std::string LoadError::describe() const {
  return std::string(to_string(code)) + " at byte " + std::to_string(offset) + ": " + message;
}

std::string_view to_string(TypeTag tag) {
  switch (tag) {
#define ASSENT_TYPE_TAG_NAME(id, tag, name) \
  case TypeTag::id:                         \
    return name;
    ASSENT_TYPE_TAGS(ASSENT_TYPE_TAG_NAME)
#undef ASSENT_TYPE_TAG_NAME
  }
  return "unknown";
}

std::string format_type(const Type& type, const Abi& abi) {
  switch (type.tag) {
    case TypeTag::List:
    case TypeTag::Set:
    case TypeTag::Optional:
      return std::string(to_string(type.tag)) + "<" + format_type(type.args.at(0), abi) + ">";
    case TypeTag::Tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < type.args.size(); ++i)
        out += (i ? ", " : "") + format_type(type.args[i], abi);
      return out + ")";
    }
    case TypeTag::Named:
      return type.index < abi.types.size() ? abi.types[type.index].name
                                           : '#' + std::to_string(type.index);
    default:
      return std::string(to_string(type.tag));
  }
}

}  // namespace assent::vm
