// The public eBPF conformance suite (../shared/conformance/bpf/cases.tsv): every `result`
// case gives its expected r0 under both dispatch modes, every `reject` case is refused, and
// the cases Assent leaves out are refused with the rule named in conformance_known_gaps.txt.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/shared.hpp"
#include "vm/disassembler.hpp"
#include "vm/hex.hpp"
#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

struct Case {
  std::string name, kind, memory, program, expected;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, '\t'))
    out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

std::vector<Case> load_cases() {
  std::ifstream in(std::string(ASSENT_SHARED_DIR) + "/conformance/bpf/cases.tsv");
  std::vector<Case> cases;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto f = split_tabs(line);
    REQUIRE_MESSAGE(f.size() == 5, "bad row: " << line);
    cases.push_back({f[0], f[1], f[2], f[3], f[4]});
  }
  return cases;
}

std::map<std::string, std::string> load_gaps() {
  std::ifstream in(std::string(ASSENT_SOURCE_DIR) + "/tests/vm/conformance_known_gaps.txt");
  REQUIRE(in.good());
  std::map<std::string, std::string> gaps;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = split_tabs(line);
    REQUIRE(f.size() == 2);
    gaps[f[0]] = f[1];
  }
  return gaps;
}

uint64_t parse_expected(const std::string& text) {
  return std::stoull(text, nullptr, 16);
}

TEST_CASE("conformance: every case of the public eBPF suite") {
  const std::string path = std::string(ASSENT_SHARED_DIR) + "/conformance/bpf/cases.tsv";
  if (assent::testing::shared_missing(path)) return;
  const auto cases = load_cases();
  const auto gaps = load_gaps();
  CHECK(cases.size() == 358);

  int passed = 0, rejected = 0, gap_count = 0;
  std::map<std::string, bool> gap_seen;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto code = parse_hex(c.program);
    REQUIRE(code.ok());
    auto memory = parse_hex(c.memory);
    REQUIRE(memory.ok());

    if (auto gap = gaps.find(c.name); gap != gaps.end()) {
      gap_seen[c.name] = true;
      auto p = verify_raw(*code, test::core_registry());
      REQUIRE_MESSAGE(!p.ok(),
                      c.name << " now verifies: remove it from conformance_known_gaps.txt");
      CHECK(std::string(to_string(p.error().rule)) == gap->second);
      CHECK(!p.error().message.empty());
      ++gap_count;
      continue;
    }
    if (c.kind == "reject") {
      auto p = verify_raw(*code, test::core_registry());
      CHECK_MESSAGE(!p.ok(), c.name << " should be rejected");
      if (!p.ok()) ++rejected;
      continue;
    }
    REQUIRE(c.kind == "result");
    for (Dispatch d : test::kDispatches) {
      CAPTURE(test::dispatch_name(d));
      auto p = verify_raw(*code, test::core_registry(), d);
      REQUIRE_MESSAGE(p.ok(), p.error().describe());
      Machine machine;
      const ExecResult r = machine.run(*p, 0, *memory, 1'000'000);
      CHECK_MESSAGE(r.ok(), r.describe());
      CHECK(r.r0 == parse_expected(c.expected));
      if (d == Dispatch::Threaded && r.ok() && r.r0 == parse_expected(c.expected)) ++passed;
    }
  }
  for (const auto& [name, rule] : gaps)
    CHECK_MESSAGE(gap_seen.count(name), "known gap " << name << " is not in the suite; remove it");
  MESSAGE("conformance: " << passed << " results correct, " << rejected << " rejects refused, "
                          << gap_count << " known gaps refused");
  CHECK(passed + rejected + gap_count == static_cast<int>(cases.size()));
}

TEST_CASE("conformance: programs survive disassembly and reassembly") {
  const std::string path = std::string(ASSENT_SHARED_DIR) + "/conformance/bpf/cases.tsv";
  if (assent::testing::shared_missing(path)) return;
  int round_trips = 0;
  for (const auto& c : load_cases()) {
    if (c.kind != "result") continue;
    CAPTURE(c.name);
    auto code = parse_hex(c.program);
    REQUIRE(code.ok());
    auto p = verify_raw(*code, test::core_registry());
    if (!p.ok()) continue;  // the known gaps
    const std::string listing = disassemble(p->module());
    auto again = assemble(listing);
    REQUIRE_MESSAGE(again.ok(), again.error().describe("listing") << "\n" << listing);
    CHECK(again->code == p->module().code);
    CHECK(again->functions == p->module().functions);
    ++round_trips;
  }
  CHECK(round_trips == 358 - 45 - 36);
}

}  // namespace
}  // namespace assent::vm
