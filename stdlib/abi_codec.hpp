// The canonical binary ABI (docs/language.md "ABI encoding") and its JSON form, driven by
// a module's ABI section. The node uses it to turn JSON arguments into call input and
// results and events back into JSON; tests use it to print results. No LLVM.
//
// JSON form: bool as true/false; u8, u32, u64, i64, time and duration as numbers (a decimal
// string is accepted too); u256 as a decimal string; identity and bytes as hex strings;
// string as a string; an enum as its variant's name; a set as an array of names; a list or
// tuple as an array; a record as an object; an optional as null or its value.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vm/module.hpp"
#include "vm/result.hpp"

namespace assent::abi {

using Bytes = std::vector<uint8_t>;
using Json = nlohmann::ordered_json;

// The size of the one encoded value of `type` at the start of `bytes`, or nullopt when it is
// malformed (truncated, a bad bool, enum or set value).
std::optional<std::size_t> measure(const vm::Type& type, const vm::Abi& abi,
                                   std::span<const uint8_t> bytes);

// Decodes one value; `consumed` gets its size. Errors say what and where.
Result<Json, std::string> to_json(const vm::Type& type, const vm::Abi& abi,
                                  std::span<const uint8_t> bytes, std::size_t& consumed);
// Decodes a whole encoding of `fields` (parameters, event fields) into an object.
Result<Json, std::string> fields_to_json(const std::vector<vm::Field>& fields, const vm::Abi& abi,
                                         std::span<const uint8_t> bytes);

// Whether `bytes` is exactly one encoding of `fields`, by the rules of fields_to_json, without
// building the JSON (an event's data is checked this way when it is emitted).
bool fields_valid(const std::vector<vm::Field>& fields, const vm::Abi& abi,
                  std::span<const uint8_t> bytes);

// Encodes a JSON value as `type`. `where` names it in errors ("argument `until`").
Result<Bytes, std::string> from_json(const vm::Type& type, const vm::Abi& abi, const Json& value,
                                     const std::string& where);
// Encodes arguments given as an object by name, or an array in order.
Result<Bytes, std::string> fields_from_json(const std::vector<vm::Field>& fields,
                                            const vm::Abi& abi, const Json& args);

// Whether `data` is exactly one encoding of the event's fields (as fields_valid), and if so
// the values of its fields marked `indexed` (identities, in order), in the same one pass: an
// event is checked and its index keys found once, when it is emitted.
std::optional<std::vector<std::array<uint8_t, 32>>> event_index_keys(const vm::Event& event,
                                                                     const vm::Abi& abi,
                                                                     std::span<const uint8_t> data);

}  // namespace assent::abi
