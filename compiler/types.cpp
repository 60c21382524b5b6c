#include "compiler/types.hpp"

#include "compiler/ast.hpp"

namespace assent::compiler {

bool Type::is_scalar() const {
  switch (kind) {
    case Kind::Bool:
    case Kind::U8:
    case Kind::U32:
    case Kind::U64:
    case Kind::I64:
    case Kind::Time:
    case Kind::Duration:
    case Kind::Enum:
    case Kind::Set:
      return true;
    default:
      return false;
  }
}

bool Type::is_ordered() const {
  return is_integer() || kind == Kind::U256 || kind == Kind::Time || kind == Kind::Duration;
}

bool Type::is_value() const {
  switch (kind) {
    case Kind::Error:
    case Kind::Unit:
    case Kind::Map:
    case Kind::List:
    case Kind::Optional:
    case Kind::Interface:
    case Kind::Array:
      return false;
    default:
      return true;
  }
}

bool Type::is_fixed_size() const {
  switch (kind) {
    case Kind::Bytes:
    case Kind::String:
    case Kind::List:
    case Kind::Map:
    case Kind::Optional:
    case Kind::Unit:
    case Kind::Interface:
    case Kind::Error:
    case Kind::Array:
      return false;
    case Kind::Record:
      for (const auto& f : record->fields)
        if (!f.resolved || !f.resolved->is_fixed_size()) return false;
      return true;
    case Kind::Tuple:
      for (const Type* m : args)
        if (!m->is_fixed_size()) return false;
      return true;
    default:
      return true;
  }
}

bool Type::is_key() const {
  if (kind == Kind::Tuple) {
    for (const Type* m : args)
      if (!m->is_key()) return false;
    return true;
  }
  return is_scalar() || kind == Kind::Identity;
}

uint32_t Type::bit_width() const {
  switch (kind) {
    case Kind::U8:
      return 8;
    case Kind::U32:
      return 32;
    default:
      return 64;
  }
}

std::string to_string(const Type* t) {
  if (t == nullptr) return "?";
  switch (t->kind) {
    case Kind::Error:
      return "{error}";
    case Kind::Unit:
      return "unit";
    case Kind::Bool:
      return "bool";
    case Kind::U8:
      return "u8";
    case Kind::U32:
      return "u32";
    case Kind::U64:
      return "u64";
    case Kind::I64:
      return "i64";
    case Kind::U256:
      return "u256";
    case Kind::Time:
      return "time";
    case Kind::Duration:
      return "duration";
    case Kind::Identity:
      return "identity";
    case Kind::Bytes:
      return "bytes";
    case Kind::String:
      return "string";
    case Kind::Enum:
      return t->enum_decl->name;
    case Kind::Record:
      return t->record->name;
    case Kind::Interface:
      return t->interface_decl->name;
    case Kind::Tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < t->args.size(); ++i)
        out += (i ? ", " : "") + to_string(t->args[i]);
      return out + ")";
    }
    case Kind::Set:
      return "set<" + to_string(t->args[0]) + ">";
    case Kind::List:
      return "list<" + to_string(t->args[0]) + ">";
    case Kind::Array:
      return "array<" + to_string(t->args[0]) + ">";
    case Kind::Optional:
      return "optional<" + to_string(t->args[0]) + ">";
    case Kind::Map:
      return "map<" + to_string(t->args[0]) + ", " + to_string(t->args[1]) + ">";
  }
  return "?";
}

Types::Types() {
  for (int k = 0; k <= static_cast<int>(Kind::String); ++k)
    basic_.push_back(
        std::make_unique<Type>(Type{static_cast<Kind>(k), nullptr, nullptr, nullptr, {}}));
}

const Type* Types::intern(Type t) {
  for (const auto& c : composite_)
    if (c->kind == t.kind && c->enum_decl == t.enum_decl && c->record == t.record &&
        c->interface_decl == t.interface_decl && c->args == t.args)
      return c.get();
  composite_.push_back(std::make_unique<Type>(std::move(t)));
  return composite_.back().get();
}

const Type* Types::enum_type(const EnumDecl* d) {
  return intern({Kind::Enum, d, nullptr, nullptr, {}});
}
const Type* Types::record_type(const RecordDecl* d) {
  return intern({Kind::Record, nullptr, d, nullptr, {}});
}
const Type* Types::interface_type(const InterfaceDecl* d) {
  return intern({Kind::Interface, nullptr, nullptr, d, {}});
}
const Type* Types::tuple(std::vector<const Type*> m) {
  return intern({Kind::Tuple, nullptr, nullptr, nullptr, std::move(m)});
}
const Type* Types::set(const Type* e) {
  return intern({Kind::Set, nullptr, nullptr, nullptr, {e}});
}
const Type* Types::list(const Type* e) {
  return intern({Kind::List, nullptr, nullptr, nullptr, {e}});
}
const Type* Types::array(const Type* e) {
  return intern({Kind::Array, nullptr, nullptr, nullptr, {e}});
}
const Type* Types::map(const Type* k, const Type* v) {
  return intern({Kind::Map, nullptr, nullptr, nullptr, {k, v}});
}
const Type* Types::optional(const Type* v) {
  return intern({Kind::Optional, nullptr, nullptr, nullptr, {v}});
}

}  // namespace assent::compiler
