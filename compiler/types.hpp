// Semantic types. Types are interned by `Types`, so two types are equal exactly when their
// pointers are.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

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
  // Values held in a machine register (everything else is a pointer to memory).
  bool is_scalar() const;
  // Ordered by `<`: integers, u256, time, duration.
  bool is_ordered() const;
  // Values that can be stored, passed and returned (not map, list, optional, interface).
  bool is_value() const;
  // Fixed encoded size: no bytes, string or list inside.
  bool is_fixed_size() const;
  // Usable as a map key: fixed-size, and not u256 or a record (see docs/language.md).
  bool is_key() const;
  uint32_t bit_width() const;  // integers: 8, 32, 64
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
