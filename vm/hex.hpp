// Hex text <-> bytes, for the CLI (`--input HEX`, `run-raw`) and the conformance tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.hpp"

namespace assent {

// Parses hex digits, ignoring whitespace between bytes ("b7 00 00 00" or "b7000000"), with an
// optional "0x" prefix. A byte's two digits must be adjacent.
// Errors say where: "bad hex digit `g` at character 5".
Result<std::vector<uint8_t>, std::string> parse_hex(std::string_view text);

std::string to_hex(std::span<const uint8_t> bytes);

// The value of one hex digit (0-15), or -1 for any other character.
int hex_digit_value(char c);

}  // namespace assent
