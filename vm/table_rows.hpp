// Lookups over the tables the project keeps one per fact (error codes, roles, operations):
// constant arrays of rows, each with a `code` (an enum) and a `name`, generated from an
// X-macro. One implementation of "the row of this code" and "the code of this name", and the
// compile-time checks that make the first an index.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace assent {

// Whether row i has the enum value i, so that a code indexes its row.
template <class Row, std::size_t N>
constexpr bool rows_in_enum_order(const Row (&rows)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (static_cast<std::size_t>(rows[i].code) != i) return false;
  return true;
}

// Whether no two rows share a name (a name names one code).
template <class Row, std::size_t N>
constexpr bool row_names_unique(const Row (&rows)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (std::string_view(rows[i].name) == rows[j].name) return false;
  return true;
}

// The code whose row has `name`, if any: a search, whatever the order of the rows.
template <class Row, std::size_t N>
constexpr auto code_named(const Row (&rows)[N], std::string_view name)
    -> std::optional<decltype(rows[0].code)> {
  for (const Row& row : rows)
    if (name == row.name) return row.code;
  return std::nullopt;
}

}  // namespace assent
