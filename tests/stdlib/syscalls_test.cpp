// The syscall registry, and its agreement with docs/syscalls.md.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "stdlib/gas_schedule.hpp"
#include "stdlib/host_syscalls.hpp"
#include "stdlib/syscall_table.hpp"
#include "stdlib/test_syscalls.hpp"
#include "tests/vm/vm_test_support.hpp"

namespace assent::vm {
namespace {

Status no_op(SyscallContext&, SyscallArgs, uint64_t& r0) {
  r0 = 7;
  return Status::Ok;
}

TEST_CASE("registry: names are unique and found by name") {
  SyscallRegistry r;
  CHECK(r.add({"test.a", 1, no_op, ""}));
  CHECK_FALSE(r.add({"test.a", 2, no_op, ""}));
  REQUIRE(r.find("test.a") != nullptr);
  CHECK(r.find("test.a")->cost == 1);
  CHECK(r.find("test.b") == nullptr);
}

TEST_CASE("registry: a program calls a registered syscall by name") {
  SyscallRegistry r;
  register_core_syscalls(r);
  r.add({"test.seven", 5, no_op, ""});
  auto p = verify(test::assemble_ok("syscall test.seven\nexit\n"), r);
  REQUIRE(p.ok());
  Machine m;
  const ExecResult result = m.run(*p, 0, {}, 100);
  CHECK(result.r0 == 7);
  CHECK(result.gas_used == 2 + 5);
}

// Rows of the markdown tables in docs/syscalls.md: name -> the second column, the syscalls'
// (base gas) or, with `prices`, those of "Prices and limits" (the gas schedule's values).
std::map<std::string, uint64_t> documented_rows(bool prices) {
  std::ifstream in(std::string(ASSENT_SOURCE_DIR) + "/docs/syscalls.md");
  REQUIRE(in.good());
  std::map<std::string, uint64_t> rows;
  std::string line;
  bool in_prices = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_prices = line == "## Prices and limits";
    if (line.rfind("| `", 0) != 0 || in_prices != prices) continue;
    std::stringstream ss(line);
    std::string empty, name, cost;
    std::getline(ss, empty, '|');
    std::getline(ss, name, '|');
    std::getline(ss, cost, '|');
    const auto first = name.find('`'), last = name.rfind('`');
    rows[name.substr(first + 1, last - first - 1)] = std::stoull(cost);
  }
  return rows;
}

TEST_CASE("the registries hold exactly the rows of the syscall table") {
  // A node's: the core and host rows; `assent test`'s: every row. Same names, gas, summaries.
  for (const bool test : {false, true}) {
    const auto& registry = test ? stdlib::test_syscalls() : stdlib::node_syscalls();
    std::size_t rows = 0;
    for (const auto& row : stdlib::kSyscalls) {
      if (row.set == stdlib::SyscallSet::Test && !test) continue;
      ++rows;
      CAPTURE(row.name);
      const SyscallSpec* spec = registry.find(row.name);
      REQUIRE(spec != nullptr);
      CHECK(spec->cost == row.gas);
      CHECK(spec->summary == row.summary);
    }
    CHECK(registry.all().size() == rows);
  }
  // The test syscalls are `assent test`'s alone, and named so.
  for (const auto& row : stdlib::kSyscalls)
    CHECK((row.set == stdlib::SyscallSet::Test) == (row.name.rfind("test.", 0) == 0));
}

TEST_CASE("the syscall table's signatures") {
  CHECK(stdlib::info(stdlib::Syscall::CtxNow).arity() == 0);
  CHECK(stdlib::info(stdlib::Syscall::VmAbort).arity() == 3);
  CHECK(stdlib::info(stdlib::Syscall::StorageNext).arity() == 5);
  CHECK(stdlib::info(stdlib::Syscall::TestAt).arity() == 1);
  CHECK(stdlib::syscall_name(stdlib::Syscall::U256Cmp) == "u256.cmp");
}

TEST_CASE("docs/syscalls.md lists every syscall of the table at its base gas") {
  const auto documented = documented_rows(false);
  for (const auto& row : stdlib::kSyscalls) {
    const std::string name(row.name);
    CAPTURE(name);
    REQUIRE(documented.count(name));
    CHECK(documented.at(name) == row.gas);
  }
  CHECK(documented.size() == std::size(stdlib::kSyscalls));
}

TEST_CASE("docs/syscalls.md lists every price and limit of the gas schedule at its value") {
  const auto documented = documented_rows(true);
  for (const auto& row : stdlib::gas::kSchedule) {
    const std::string name(row.name);
    CAPTURE(name);
    REQUIRE(documented.count(name));
    CHECK(documented.at(name) == row.value);
  }
  CHECK(documented.size() == std::size(stdlib::gas::kSchedule));
}

TEST_CASE("the gas schedule keeps one maximal transaction's writes within its bound") {
  namespace gas = stdlib::gas;
  // At the price of a byte, the most bytes the largest gas pays for, times what LMDB may make
  // of each, stay within the bound.
  CHECK(gas::kMaxTransactionGas / gas::kStateByteGas * gas::kStorageAmplification <=
        gas::kMaxStateBytesPerTransaction);
  const auto* set = stdlib::node_syscalls().find("storage.set");
  REQUIRE(set != nullptr);
  CHECK(set->cost == gas::kStateByteGas * gas::kStateEntryBytes);
  CHECK(stdlib::node_syscalls().find("event.emit")->cost ==
        gas::kStateByteGas * gas::kEventRecordBytes);
}

}  // namespace
}  // namespace assent::vm
