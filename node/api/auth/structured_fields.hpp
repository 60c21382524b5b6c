// Structured Field Values for HTTP (RFC 8941): the part that HTTP Message Signatures
// (RFC 9421) and Content-Digest (RFC 9530) need, parsed strictly and serialized canonically.
//
// What is parsed: a Dictionary whose members are Items or Inner Lists, each with Parameters;
// bare items that are Integers, Strings, Tokens, Byte Sequences or Booleans. What is refused,
// where RFC 8941 would accept: Decimals (no header here has one), a key twice in one
// dictionary or one parameter list (RFC 8941 keeps the last; two signatures under one label
// are an ambiguity to refuse, not resolve), and more members, items or parameters than
// kMaxSfMembers: a header is at most 16 KiB (the server's limit), and these bound the work
// and the answer's size whatever it holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "vm/result.hpp"

namespace assent::node::auth {

inline constexpr std::size_t kMaxSfMembers = 32;  // per dictionary, inner list or parameter list

struct SfToken {
  std::string text;
  bool operator==(const SfToken&) const = default;
};
struct SfBytes {
  std::vector<uint8_t> bytes;
  bool operator==(const SfBytes&) const = default;
};
// An Integer, a String, a Token, a Byte Sequence or a Boolean.
using SfBareItem = std::variant<int64_t, std::string, SfToken, SfBytes, bool>;
using SfParams = std::vector<std::pair<std::string, SfBareItem>>;

struct SfItem {
  SfBareItem value;
  SfParams params;
};
struct SfInnerList {
  std::vector<SfItem> items;
  SfParams params;
};
using SfMember = std::variant<SfItem, SfInnerList>;
using SfDictionary = std::vector<std::pair<std::string, SfMember>>;

// Parses a header's value as a Dictionary (RFC 8941 4.2.2), or says what is wrong and at
// which character.
Result<SfDictionary, std::string> parse_sf_dictionary(std::string_view text);

// The canonical serialization (RFC 8941 4.1) of an inner list with its parameters, an item,
// or a bare item: what RFC 9421's signature base holds for `@signature-params`.
std::string serialize_sf(const SfInnerList& list);
std::string serialize_sf(const SfItem& item);
std::string serialize_sf(const SfBareItem& item);
std::string serialize_sf(const SfParams& params);

// A parameter's value by key, or nullptr.
const SfBareItem* sf_param(const SfParams& params, std::string_view key);

}  // namespace assent::node::auth
