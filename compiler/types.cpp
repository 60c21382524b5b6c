#include "compiler/types.hpp"

#include "compiler/ast.hpp"

namespace assent::compiler {

namespace {

using vm::TypeTag;

constexpr KindInfo kKinds[] = {
    {Kind::Error, {}, false, Repr::None, 0},
    {Kind::Unit, TypeTag::Unit, false, Repr::None, 0},
    {Kind::Bool, TypeTag::Bool, true, Repr::Scalar, 1},
    {Kind::U8, TypeTag::U8, true, Repr::Scalar, 1},
    {Kind::U32, TypeTag::U32, true, Repr::Scalar, 4},
    {Kind::U64, TypeTag::U64, true, Repr::Scalar, 8},
    {Kind::I64, TypeTag::I64, true, Repr::Scalar, 8},
    {Kind::U256, TypeTag::U256, true, Repr::Bytes32, 32},
    {Kind::Time, TypeTag::Time, true, Repr::Scalar, 8},
    {Kind::Duration, TypeTag::Duration, true, Repr::Scalar, 8},
    {Kind::Identity, TypeTag::Identity, true, Repr::Bytes32, 32},
    {Kind::Bytes, TypeTag::Bytes, true, Repr::Blob, 0},
    {Kind::String, TypeTag::String, true, Repr::Blob, 0},
    {Kind::Enum, {}, false, Repr::Scalar, 1},  // its variant's index
    {Kind::Record, {}, false, Repr::Aggregate, 0},
    {Kind::Tuple, {}, false, Repr::Aggregate, 0},
    {Kind::Set, {}, false, Repr::Scalar, 8},  // a bit per variant
    {Kind::List, {}, false, Repr::Blob, 0},
    {Kind::Map, {}, false, Repr::None, 0},
    {Kind::Optional, {}, false, Repr::None, 0},
    {Kind::Interface, {}, false, Repr::None, 0},
    {Kind::Array, {}, false, Repr::None, 0},
};

static_assert(
    [] {
      for (std::size_t i = 0; i < std::size(kKinds); ++i)
        if (static_cast<std::size_t>(kKinds[i].kind) != i) return false;
      return kKinds[std::size(kKinds) - 1].kind == Kind::Array;
    }(),
    "kKinds has one row per Kind, in Kind's order");

}  // namespace

const KindInfo& kind_info(Kind k) {
  return kKinds[static_cast<std::size_t>(k)];
}

const std::vector<Kind>& named_basic_kinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> out;
    for (const KindInfo& k : kKinds)
      if (k.named) out.push_back(k.kind);
    return out;
  }();
  return kinds;
}

std::optional<Kind> basic_kind_named(std::string_view name) {
  for (Kind k : named_basic_kinds())
    if (vm::to_string(*kind_info(k).tag) == name) return k;
  return std::nullopt;
}

std::vector<const Type*> Type::members() const {
  if (kind != Kind::Record) return args;
  std::vector<const Type*> out;
  for (const auto& f : record->fields)
    out.push_back(f.resolved);
  return out;
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

std::string to_string(const Type* t) {
  if (t == nullptr) return "?";
  if (const auto tag = kind_info(t->kind).tag) return std::string(vm::to_string(*tag));
  switch (t->kind) {
    case Kind::Error:
      return "{error}";
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
    default:  // the basic kinds, named above
      break;
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
