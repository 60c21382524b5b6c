#include "vm/hex.hpp"

namespace assent {

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
}  // namespace

Result<std::vector<uint8_t>, std::string> parse_hex(std::string_view text) {
  std::vector<uint8_t> out;
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i]))
    ++i;
  if (text.size() - i >= 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) i += 2;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    const int hi = hex_digit_value(text[i]);
    if (hi < 0)
      return fail("bad hex digit `" + std::string(1, text[i]) + "` at character " +
                  std::to_string(i + 1));
    if (i + 1 >= text.size() || is_space(text[i + 1]))
      return fail("odd number of hex digits at character " + std::to_string(i + 1) +
                  " (each byte needs two)");
    const int lo = hex_digit_value(text[i + 1]);
    if (lo < 0)
      return fail("bad hex digit `" + std::string(1, text[i + 1]) + "` at character " +
                  std::to_string(i + 2));
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace assent
