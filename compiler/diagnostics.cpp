#include "compiler/diagnostics.hpp"

namespace assent::compiler {

std::string Diagnostic::location() const {
  if (span.file == nullptr) return "<input>";
  auto [line, col] = span.file->position(span.begin);
  return span.file->name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

std::string Diagnostic::render() const {
  std::string out =
      location() + (severity == Severity::Error ? ": error: " : ": warning: ") + message + "\n";
  if (span.file != nullptr) {
    auto [line, col] = span.file->position(span.begin);
    std::string_view text = span.file->line_text(line);
    const std::string number = std::to_string(line);
    const std::string pad(number.size(), ' ');
    // A long line (generated code, a whole contract on one line) is shown around the column.
    constexpr uint32_t kShown = 120, kBefore = 40;
    uint32_t first = 0;  // the column shown first, less one
    std::string before, after;
    if (text.size() > kShown) {
      first = col > kBefore ? col - 1 - kBefore : 0;
      if (first > 0) before = "...";
      if (text.size() - first > kShown) after = "...";
      text = text.substr(first, kShown);
    }
    out += " " + number + " | " + before + std::string(text) + after + "\n";
    out += " " + pad + " | " + std::string(before.size(), ' ');
    for (uint32_t i = first + 1; i < col && i - 1 - first < text.size(); ++i)
      out += text[i - 1 - first] == '\t' ? '\t' : ' ';
    // The caret covers the span, clipped to its first line and to what is shown.
    const uint32_t line_end =
        span.file->line_starts[line - 1] + first + static_cast<uint32_t>(text.size());
    const uint32_t end = std::min(span.end, line_end);
    out += "^";
    for (uint32_t i = span.begin + 1; i < end; ++i)
      out += "~";
    out += "\n";
  }
  if (!hint.empty()) out += "hint: " + hint + "\n";
  return out;
}

void Diagnostics::error(Span span, std::string message, std::string hint) {
  ++errors_;
  if (list_.size() >= kMaxErrors) return;
  list_.push_back({Severity::Error, span, std::move(message), std::move(hint)});
}

std::string Diagnostics::render_all() const {
  std::string out;
  for (const auto& d : list_)
    out += d.render();
  if (errors_ > list_.size())
    out += std::to_string(errors_ - list_.size()) + " more errors not shown\n";
  if (errors_ > 0) out += std::to_string(errors_) + (errors_ == 1 ? " error\n" : " errors\n");
  return out;
}

}  // namespace assent::compiler
