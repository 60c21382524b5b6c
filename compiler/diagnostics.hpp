// Diagnostics in the style of modern compilers:
//
//   grant.assent:12:9: error: cannot assign to `count`: it is a `let` binding
//      12 |         count = 2;
//         |         ^~~~~
//   hint: declare it with `var` to make it mutable
//
// Messages are lowercase, without a final period, with user input in backticks.
#pragma once

#include <string>
#include <vector>

#include "compiler/source.hpp"

namespace assent::compiler {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  Span span;
  std::string message;
  std::string hint;  // optional

  std::string render() const;    // the whole block above, ending in a newline
  std::string location() const;  // "file:line:col"
};

class Diagnostics {
 public:
  void error(Span span, std::string message, std::string hint = {});
  bool has_errors() const { return errors_ > 0; }
  const std::vector<Diagnostic>& all() const { return list_; }
  std::string render_all() const;
  // Caps the number of errors kept: one mistake should not bury the output.
  static constexpr std::size_t kMaxErrors = 50;

 private:
  std::vector<Diagnostic> list_;
  std::size_t errors_ = 0;
};

}  // namespace assent::compiler
