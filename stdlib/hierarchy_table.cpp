#include "stdlib/hierarchy_table.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace assent::stdlib {

Result<std::vector<TableRow>, std::string> parse_table(const std::string& name,
                                                       const std::string& text) {
  std::vector<TableRow> rows;
  std::vector<std::string> path;  // the codes above the current line, by level
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = name + ":" + std::to_string(number) + ": ";
    if (line.empty() || line[0] == '#') continue;
    std::size_t spaces = 0;
    while (spaces < line.size() && line[spaces] == ' ')
      ++spaces;
    if (spaces % 4 != 0) return fail(where + "indentation must be a multiple of four spaces");
    const std::size_t level = spaces / 4;
    if (level > path.size())
      return fail(where + "indented more than one level below the line above");
    const std::size_t space = line.find(' ', spaces);
    if (space == std::string::npos) return fail(where + "a code needs a display name after it");
    TableRow row{line.substr(spaces, space - spaces), level ? path[level - 1] : "",
                 line.substr(space + 1)};
    if (!std::all_of(row.code.begin(), row.code.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; }) ||
        std::isdigit(static_cast<unsigned char>(row.code[0])))
      return fail(where + "`" + row.code + "` is not a valid code (letters, digits and _)");
    for (const auto& r : rows)
      if (r.code == row.code) return fail(where + "`" + row.code + "` appears twice");
    path.resize(level);
    path.push_back(row.code);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return fail(name + ": the table is empty");
  if (rows.size() > 64)
    return fail(name + ": " + std::to_string(rows.size()) + " codes; an enum holds at most 64");
  return rows;
}

std::string generate_module(const std::vector<TableRow>& rows, const std::string& enum_name,
                            const std::string& source_name) {
  std::string prefix = enum_name;
  for (auto& c : prefix)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::map<std::string, std::string> parent;
  for (const auto& r : rows)
    parent[r.code] = r.parent;
  std::ostringstream out;
  out << "// Generated at build time from stdlib/tables/" << source_name << ": do not edit.\n\n";
  out << "enum " << enum_name << " {\n";
  for (std::size_t i = 0; i < rows.size(); ++i)
    out << "    " << rows[i].code << (i + 1 < rows.size() ? ",\n" : "\n");
  out << "}\n\n";
  out << "// `x` and everything above it in the hierarchy.\n";
  out << "fn " << prefix << "_ancestors(x: " << enum_name << ") -> set<" << enum_name << "> {\n";
  for (const auto& r : rows) {
    out << "    if x == " << enum_name << "." << r.code << " { return {";
    bool first = true;
    for (std::string c = r.code; !c.empty(); c = parent[c]) {
      out << (first ? "" : ", ") << enum_name << "." << c;
      first = false;
    }
    out << "}; }\n";
  }
  out << "    return {};\n}\n\n";
  out << "// Whether what is granted covers what is requested: the requested code or one above "
         "it.\n";
  out << "fn " << prefix << "_covers(granted: set<" << enum_name << ">, requested: " << enum_name
      << ") -> bool {\n";
  out << "    return (" << prefix << "_ancestors(requested) & granted) != {};\n}\n\n";
  out << "// The display name of a code.\n";
  out << "fn " << prefix << "_display(x: " << enum_name << ") -> string {\n";
  for (const auto& r : rows) {
    std::string display;
    for (char c : r.display)
      display += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    out << "    if x == " << enum_name << "." << r.code << " { return \"" << display << "\"; }\n";
  }
  out << "    return \"\";\n}\n";
  return out.str();
}

}  // namespace assent::stdlib
