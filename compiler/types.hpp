// Semantic types. Types are interned by `Types`, so two types are equal exactly when their
// pointers are.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/module.hpp"

namespace assent::compiler {

struct EnumDecl;
struct RecordDecl;
struct InterfaceDecl;

enum class Kind : uint8_t {
  Error,  // the type of an expression that already has an error: never reported again
  Unit,
  Bool,
  U8,
  U32,
  U64,
  I64,
  U256,
  Time,
  Duration,
  Identity,
  Bytes,
  String,
  Enum,
  Record,
  Tuple,
  Set,
  List,
  Map,
  Optional,
  Interface,
  Array,  // a local, mutable buffer of scalars, by reference; never crosses the ABI
};

// How values of a kind are held: in registers, in memory and in the ABI encoding
// (docs/language.md, "Types" and "ABI encoding"; codegen_types.cpp and codegen_codec.cpp
// follow it).
enum class Repr : uint8_t {
  None,       // not stored or encoded as a value of its own: error, unit, map, optional,
              // interface, array (a local buffer, by reference)
  Scalar,     // in a register: bool as i1, the others as an integer of `bytes`; in memory and
              // encoded, `bytes` little-endian (a bool is one byte of 0 or 1)
  Bytes32,    // identity, u256: `bytes` (32) inline in memory, encoded as they are; by pointer
  Blob,       // bytes, string, list: a pointer to a u32 length or count, then the content,
              // which is also the encoding
  Aggregate,  // record, tuple: members inline in memory, encoded one after another
};

// The facts of each kind, one row per kind in Kind's order (types.cpp).
struct KindInfo {
  Kind kind;
  // The basic kinds: their ABI tag, whose name (vm::to_string) is the type's name too.
  std::optional<vm::TypeTag> tag;
  bool named;  // written by that name in source (every basic kind but unit)
  Repr repr;
  uint8_t bytes;  // Scalar and Bytes32: the size in memory and encoded
};
const KindInfo& kind_info(Kind k);
// The basic kind a source program names `name` (`u64`, `identity`, ...), in Kind's order.
std::optional<Kind> basic_kind_named(std::string_view name);
// Every basic kind a source program can name, in Kind's order.
const std::vector<Kind>& named_basic_kinds();

struct Type {
  Kind kind;
  const EnumDecl* enum_decl = nullptr;
  const RecordDecl* record = nullptr;
  const InterfaceDecl* interface_decl = nullptr;
  std::vector<const Type*> args;  // Tuple: members; Set/List/Optional: element; Map: key, value

  bool is(Kind k) const { return kind == k; }
  bool is_error() const { return kind == Kind::Error; }
  bool is_integer() const {
    return kind == Kind::U8 || kind == Kind::U32 || kind == Kind::U64 || kind == Kind::I64;
  }
  bool is_signed() const { return kind == Kind::I64; }
  Repr repr() const { return kind_info(kind).repr; }
  // Values held in a machine register (everything else is a pointer to memory).
  bool is_scalar() const { return repr() == Repr::Scalar; }
  // Ordered by `<`: integers, u256, time, duration.
  bool is_ordered() const;
  // Values that can be stored, passed and returned (not map, list, optional, interface).
  bool is_value() const;
  // Fixed encoded size: no bytes, string or list inside.
  bool is_fixed_size() const;
  // Usable as a map key: fixed-size, and not u256 or a record (see docs/language.md).
  bool is_key() const;
  // Record and tuple: the types of its fields or members, in order.
  std::vector<const Type*> members() const;
  uint32_t bit_width() const { return 8u * kind_info(kind).bytes; }  // integers: 8, 32, 64
};

std::string to_string(const Type* t);

class Types {
 public:
  Types();
  const Type* get(Kind k) const { return basic_[static_cast<int>(k)].get(); }
  const Type* error() const { return get(Kind::Error); }
  const Type* enum_type(const EnumDecl* d);
  const Type* record_type(const RecordDecl* d);
  const Type* interface_type(const InterfaceDecl* d);
  const Type* tuple(std::vector<const Type*> members);
  const Type* set(const Type* element);
  const Type* list(const Type* element);
  const Type* array(const Type* element);
  const Type* map(const Type* key, const Type* value);
  const Type* optional(const Type* value);

 private:
  const Type* intern(Type t);
  std::vector<std::unique_ptr<Type>> basic_;
  std::vector<std::unique_ptr<Type>> composite_;
};

}  // namespace assent::compiler
