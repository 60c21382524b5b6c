// How Assent values are laid out: in registers, in memory, in the ABI encoding and in
// storage keys (docs/language.md, "Types", "ABI encoding" and "Storage layout"), by the
// representation of each kind (compiler/types.hpp, `Repr`).
#include "compiler/codegen.hpp"

namespace assent::compiler {

// In registers: bool i1; u8 and enums i8; u32 i32; u64, i64, time, duration and sets i64.
// Everything else is a pointer: identity, u256, records and tuples to their memory; bytes,
// string and list to a blob (u32 length or count, then the encoded content).
llvm::Type* CodeGen::value_type(const Type* t) {
  if (t->is(Kind::Bool)) return i1_;
  if (t->is_scalar()) return llvm::Type::getIntNTy(ctx_, 8 * kind_info(t->kind).bytes);
  return ptr_;
}

// In memory (record fields, tuple members, locals): scalars by width (bool as i8),
// identity and u256 inline as 32 bytes, blobs as a pointer, records and tuples inline.
llvm::Type* CodeGen::mem_type(const Type* t) {
  if (t->is(Kind::Bool)) return i8_;
  switch (t->repr()) {
    case Repr::Bytes32:
      return llvm::ArrayType::get(i8_, kind_info(t->kind).bytes);
    case Repr::Aggregate: {
      if (auto it = structs_.find(t); it != structs_.end()) return it->second;
      std::vector<llvm::Type*> fields;
      for (const Type* m : t->members())
        fields.push_back(mem_type(m));
      auto* st =
          llvm::StructType::create(ctx_, fields, t->is(Kind::Record) ? t->record->name : "tuple");
      structs_[t] = st;
      return st;
    }
    default:
      return value_type(t);
  }
}

uint64_t CodeGen::mem_size(const Type* t) {
  return mod_.getDataLayout().getTypeAllocSize(mem_type(t));
}
uint64_t CodeGen::mem_align(const Type* t) {
  return mod_.getDataLayout().getABITypeAlign(mem_type(t)).value();
}

// The canonical ABI encoding (docs/language.md "ABI encoding"): little-endian, packed.
uint64_t CodeGen::encoded_size(const Type* t) {
  switch (t->repr()) {
    case Repr::Scalar:
    case Repr::Bytes32:
      return kind_info(t->kind).bytes;
    case Repr::Aggregate: {
      uint64_t n = 0;
      for (const Type* m : t->members())
        n += encoded_size(m);
      return n;
    }
    default:
      return 0;  // variable size
  }
}

// Storage keys sort like the values: integers big-endian, i64 with the sign bit flipped.
uint64_t CodeGen::key_size(const Type* t) {
  if (t->is(Kind::Tuple)) {
    uint64_t n = 0;
    for (const Type* m : t->args)
      n += key_size(m);
    return n;
  }
  return encoded_size(t);
}

uint32_t CodeGen::abi_named(const Type* t) {
  if (auto it = abi_index_.find(t); it != abi_index_.end()) return it->second;
  vm::TypeDef def;
  if (t->is(Kind::Enum)) {
    def.kind = vm::TypeDefKind::Enum;
    def.name = t->enum_decl->name;
    for (const auto& [name, span] : t->enum_decl->variants)
      def.variants.push_back(name);
  } else {
    def.kind = vm::TypeDefKind::Record;
    def.name = t->record->name;
    // Fields first: a record may only name types defined before it.
    for (const auto& f : t->record->fields)
      def.fields.push_back({f.name, abi_type(f.resolved), false});
  }
  const auto index = static_cast<uint32_t>(abi_.types.size());
  abi_.types.push_back(std::move(def));
  abi_index_[t] = index;
  return index;
}

vm::Type CodeGen::abi_type(const Type* t) {
  using vm::TypeTag;
  if (const auto tag = kind_info(t->kind).tag) return {*tag, 0, {}};
  switch (t->kind) {
    case Kind::Enum:
    case Kind::Record:
      return {TypeTag::Named, abi_named(t), {}};
    case Kind::Set:
      return {TypeTag::Set, 0, {abi_type(t->args[0])}};
    case Kind::List:
      return {TypeTag::List, 0, {abi_type(t->args[0])}};
    case Kind::Optional:
      return {TypeTag::Optional, 0, {abi_type(t->args[0])}};
    case Kind::Tuple: {
      vm::Type out{TypeTag::Tuple, 0, {}};
      for (const Type* m : t->args)
        out.args.push_back(abi_type(m));
      return out;
    }
    default:
      return {TypeTag::Unit, 0, {}};
  }
}

}  // namespace assent::compiler
