// Build tool: `gen_hierarchy TABLE ENUM OUTPUT` writes the Assent module of a code table.
#include <fstream>
#include <iostream>
#include <sstream>

#include "stdlib/hierarchy_table.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: gen_hierarchy TABLE ENUM OUTPUT\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "error: cannot open " << argv[1] << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string path = argv[1];
  const std::string name = path.substr(path.find_last_of('/') + 1);
  auto rows = assent::stdlib::parse_table(name, text.str());
  if (!rows.ok()) {
    std::cerr << "error: " << rows.error() << "\n";
    return 1;
  }
  std::ofstream out(argv[3]);
  out << assent::stdlib::generate_module(*rows, argv[2], name);
  return out ? 0 : 1;
}
