// The code tables of stdlib/tables (purpose of use, data categories): one code per line,
// indented four spaces per level under its parent, followed by its display name.
#pragma once

#include <string>
#include <vector>

#include "vm/result.hpp"

namespace assent::stdlib {

struct TableRow {
  std::string code;
  std::string parent;  // empty at the top level
  std::string display;
};

// Parses a table; errors name the line ("purpose_of_use.txt:12: indented two levels").
Result<std::vector<TableRow>, std::string> parse_table(const std::string& name,
                                                       const std::string& text);

// The Assent module for a table: `enum <Enum> { ... }`, `<prefix>_ancestors(x)`,
// `<prefix>_covers(granted, requested)` and `<prefix>_display(x)`.
std::string generate_module(const std::vector<TableRow>& rows, const std::string& enum_name,
                            const std::string& source_name);

}  // namespace assent::stdlib
