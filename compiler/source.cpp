#include "compiler/source.hpp"

#include <algorithm>

namespace assent::compiler {

SourceFile::SourceFile(std::string file_name, std::string contents)
    : name(std::move(file_name)), text(std::move(contents)) {
  line_starts.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
}

std::pair<uint32_t, uint32_t> SourceFile::position(uint32_t offset) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts.begin());
  return {line, offset - line_starts[line - 1] + 1};
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  const uint32_t begin = line_starts[line - 1];
  uint32_t end =
      line < line_starts.size() ? line_starts[line] - 1 : static_cast<uint32_t>(text.size());
  if (end > begin && text[end - 1] == '\r') --end;
  return std::string_view(text).substr(begin, end - begin);
}

}  // namespace assent::compiler
