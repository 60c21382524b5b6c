// Base64 (RFC 4648): the standard alphabet with padding, for structured-field byte sequences
// (RFC 8941: Signature, Content-Digest), and the URL alphabet without padding, for JWTs
// (RFC 7515). Decoding is strict about the alphabet: a character outside it, or a length no
// encoding has, is no value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace assent::node::auth {

std::string base64_encode(std::span<const uint8_t> bytes);
std::string base64url_encode(std::span<const uint8_t> bytes);
inline std::string base64url_encode(std::string_view text) {
  return base64url_encode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

// The standard alphabet; `=` padding may be there or not (RFC 8941 asks parsers not to
// insist), but only at the end and only as much as the length calls for.
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);
// The URL alphabet, never padded (a JWS's parts are not).
std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text);

}  // namespace assent::node::auth
