// The code tables: they parse, and the purpose-of-use table is the HL7 PurposeOfUse subtree
// row for row (checked against ../shared/data/purpose-of-use.tsv when it is there).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/shared.hpp"
#include "stdlib/hierarchy_table.hpp"

using namespace assent;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<stdlib::TableRow> table(const std::string& name) {
  auto rows =
      stdlib::parse_table(name, read(std::string(ASSENT_SOURCE_DIR) + "/stdlib/tables/" + name));
  REQUIRE_MESSAGE(rows.ok(), rows.error());
  return *rows;
}

}  // namespace

TEST_CASE("tables: purpose of use matches the HL7 PurposeOfUse subtree, row for row") {
  const auto ours = table("purpose_of_use.txt");
  CHECK(ours.size() == 62);
  const std::string shared = std::string(ASSENT_SHARED_DIR) + "/data/purpose-of-use.tsv";
  if (assent::testing::shared_missing(shared)) return;
  std::istringstream in(read(shared));
  std::string line;
  std::getline(in, line);  // header: code, parent, display
  std::size_t i = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t'))
      cols.push_back(col);
    cols.resize(3);
    CAPTURE(line);
    REQUIRE(i < ours.size());
    CHECK(ours[i].code == cols[0]);
    CHECK(ours[i].parent == cols[1]);
    CHECK(ours[i].display == cols[2]);
    ++i;
  }
  CHECK(i == ours.size());
}

TEST_CASE("tables: the data categories parse, with the sensitive classes apart") {
  const auto rows = table("data_categories.txt");
  CHECK(rows.size() == 30);
  for (const char* code :
       {"MentalHealth", "SubstanceUse", "HIV", "Genetics", "ReproductiveHealth"}) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.code == code; });
    REQUIRE(it != rows.end());
    CHECK(it->parent == "Sensitive");
  }
}

TEST_CASE("tables: malformed tables are refused with the line") {
  CHECK(stdlib::parse_table("t", "A one\n   B two\n").error() ==
        "t:2: indentation must be a multiple of four spaces");
  CHECK(stdlib::parse_table("t", "A one\n        B two\n").error() ==
        "t:2: indented more than one level below the line above");
  CHECK(stdlib::parse_table("t", "A\n").error() == "t:1: a code needs a display name after it");
  CHECK(stdlib::parse_table("t", "A one\nA two\n").error() == "t:2: `A` appears twice");
  CHECK(stdlib::parse_table("t", "# nothing\n").error() == "t: the table is empty");
}
