// Source files and positions. A Span is a byte range in one file; line and column are
// computed from it only when a diagnostic is printed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace assent::compiler {

struct SourceFile {
  std::string name;  // as the user gave it, for messages
  std::string text;
  std::vector<uint32_t> line_starts;  // byte offset of each line's first character

  SourceFile(std::string file_name, std::string contents);
  // 1-based line and column of a byte offset.
  std::pair<uint32_t, uint32_t> position(uint32_t offset) const;
  std::string_view line_text(uint32_t line) const;  // without its newline
};

struct Span {
  const SourceFile* file = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;

  uint32_t line() const { return file ? file->position(begin).first : 0; }
  uint32_t column() const { return file ? file->position(begin).second : 0; }
  Span to(const Span& other) const { return Span{file, begin, other.end > end ? other.end : end}; }
};

}  // namespace assent::compiler
