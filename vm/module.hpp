// The contract module (`.acm`): one canonical binary file holding code, read-only data,
// functions, imported syscall names, the ABI, exports, metadata and a line table.
// The byte layout is specified in docs/module-format.md; this header is its C++ shape.
//
// `read_module` treats its input as hostile: every length, offset, count and index is
// checked, and any input it accepts is written back byte for byte by `write_module`
// (one module, one encoding).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/isa.hpp"
#include "vm/result.hpp"

namespace assent::vm {

inline constexpr uint8_t kModuleMagic[4] = {'A', 'C', 'M', 0};
inline constexpr uint16_t kModuleVersion = 1;

// Limits; a module outside them is refused.
inline constexpr std::size_t kMaxModuleBytes = 8u << 20;
inline constexpr std::size_t kMaxInstructions = 1u << 16;  // slots of kInstructionSize bytes
inline constexpr std::size_t kMaxRodataBytes = 1u << 20;
inline constexpr std::size_t kMaxNameBytes = 64;
inline constexpr std::size_t kMaxEntries = 4096;  // per table: functions, imports, types, ...
inline constexpr std::size_t kMaxTypeDepth = 8;
inline constexpr std::size_t kMinTupleMembers = 2;
inline constexpr std::size_t kMaxTupleMembers = 8;
inline constexpr std::size_t kMaxIndexedFields = 3;  // per event
inline constexpr std::size_t kMaxMetadataValue = 1u << 16;
inline constexpr std::size_t kMaxEnumVariants = 64;  // so that set<Enum> fits in a u64

// Value types of the ABI, one row each: X(Id, tag byte, name). Scalars carry no payload;
// composite types carry arguments. The names are the language's (docs/language.md): the
// compiler names its basic types by them, and format_type writes them.
// clang-format off
#define ASSENT_TYPE_TAGS(X)                                  \
  X(Unit,     0x00, "unit")                                  \
  X(Bool,     0x01, "bool")                                  \
  X(U8,       0x02, "u8")                                    \
  X(U32,      0x03, "u32")                                   \
  X(U64,      0x04, "u64")                                   \
  X(I64,      0x05, "i64")                                   \
  X(U256,     0x06, "u256")                                  \
  X(Time,     0x07, "time")                                  \
  X(Duration, 0x08, "duration")                              \
  X(Identity, 0x09, "identity")                              \
  X(Bytes,    0x0a, "bytes")                                 \
  X(String,   0x0b, "string")                                \
  X(List,     0x20, "list")      /* args[0]: element */      \
  X(Set,      0x21, "set")       /* args[0]: a Named enum */ \
  X(Optional, 0x22, "optional")  /* args[0]: value */        \
  X(Tuple,    0x23, "tuple")     /* args: members (2..8) */  \
  X(Named,    0x30, "named")     /* index into Abi::types */
// clang-format on

enum class TypeTag : uint8_t {
#define ASSENT_TYPE_TAG_ENUM(id, tag, name) id = tag,
  ASSENT_TYPE_TAGS(ASSENT_TYPE_TAG_ENUM)
#undef ASSENT_TYPE_TAG_ENUM
};

struct Type {
  TypeTag tag = TypeTag::Unit;
  uint32_t index = 0;  // Named only
  std::vector<Type> args;

  friend bool operator==(const Type&, const Type&) = default;
};

struct Field {
  std::string name;
  Type type;
  bool indexed = false;  // events only: the node indexes this field's value

  friend bool operator==(const Field&, const Field&) = default;
};

enum class TypeDefKind : uint8_t { Record = 1, Enum = 2 };

struct TypeDef {
  TypeDefKind kind = TypeDefKind::Record;
  std::string name;
  std::vector<Field> fields;          // Record
  std::vector<std::string> variants;  // Enum

  friend bool operator==(const TypeDef&, const TypeDef&) = default;
};

struct Event {
  std::string name;
  std::vector<Field> fields;

  friend bool operator==(const Event&, const Event&) = default;
};

struct Abi {
  std::vector<TypeDef> types;
  std::vector<Event> events;

  friend bool operator==(const Abi&, const Abi&) = default;
};

struct Function {
  std::string name;
  uint32_t entry = 0;  // slot index of the first instruction

  friend bool operator==(const Function&, const Function&) = default;
};

enum class ExportKind : uint8_t {
  Action = 1,    // may write state
  View = 2,      // may not write state
  Init = 3,      // the constructor, run once at deployment
  Function = 4,  // a plain entry point (tests, tools)
};

struct Export {
  std::string name;
  ExportKind kind = ExportKind::Function;
  uint32_t function = 0;  // index into Module::functions
  std::vector<Field> params;
  Type result;

  friend bool operator==(const Export&, const Export&) = default;
};

// Maps the instructions from `pc` on (to the next entry) to a source position.
struct LineEntry {
  uint32_t pc = 0;
  uint32_t line = 0;
  uint32_t column = 0;

  friend bool operator==(const LineEntry&, const LineEntry&) = default;
};

struct MetadataEntry {
  std::string key;
  std::string value;

  friend bool operator==(const MetadataEntry&, const MetadataEntry&) = default;
};

struct Module {
  std::vector<uint8_t> code;  // a multiple of kInstructionSize bytes
  std::vector<uint8_t> rodata;
  std::vector<Function> functions;   // sorted by entry; functions[0].entry == 0
  std::vector<std::string> imports;  // syscall names; `syscall` imm indexes this
  Abi abi;
  std::vector<Export> exports;
  std::vector<MetadataEntry> metadata;  // sorted by key, keys unique
  std::vector<LineEntry> lines;         // sorted by pc, pcs unique

  std::size_t instruction_count() const { return code.size() / kInstructionSize; }
  const Export* find_export(std::string_view name) const;
  const Function* function_at(uint32_t entry) const;
  const LineEntry* line_for(uint32_t pc) const;  // nullptr when the table has none

  friend bool operator==(const Module&, const Module&) = default;
};

enum class LoadErrorCode : uint8_t {
  Truncated,      // the bytes end inside a field
  BadMagic,       // not an .acm file
  BadVersion,     // a format version this VM does not read
  TooLarge,       // a limit of this header is exceeded
  BadSection,     // unknown, repeated, out-of-order or empty section
  TrailingBytes,  // bytes left after a section's content or after the last section
  BadName,        // an identifier that is empty, too long or has invalid characters
  DuplicateName,  // two entries of one table share a name
  BadIndex,       // an index or entry point outside its table
  BadType,        // a malformed or ill-formed ABI type
  NotCanonical,   // valid content in a non-canonical order or encoding
};

std::string_view to_string(LoadErrorCode code);

struct LoadError {
  LoadErrorCode code;
  std::size_t offset;  // byte offset in the file where the problem was found
  std::string message;

  std::string describe() const;  // "bad-index at byte 120: export `grant` names function 9 ..."
};

Result<Module, LoadError> read_module(std::span<const uint8_t> bytes);
std::vector<uint8_t> write_module(const Module& module);

// Checks that a Module built in memory (by the compiler or the assembler) is one that
// read_module would accept; the writer only writes valid modules.
// The offset in a returned error is 0.
Result<std::vector<uint8_t>, LoadError> encode_module(const Module& module);

// The tag's name (its row of ASSENT_TYPE_TAGS), or "unknown" for a byte that is no tag.
std::string_view to_string(TypeTag tag);
std::string format_type(const Type& type, const Abi& abi);

}  // namespace assent::vm
