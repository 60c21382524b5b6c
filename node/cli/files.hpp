// Whole-file reads and writes for the CLI, with errors that name the file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vm/result.hpp"

namespace assent::node {

Result<std::vector<uint8_t>, std::string> read_file(const std::string& path);
Result<std::string, std::string> read_text_file(const std::string& path);
// Writes through a temporary file and a rename, so a reader never sees half a file.
Result<bool, std::string> write_file(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace assent::node
