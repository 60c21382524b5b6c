// Receipt statuses (node/executor/outcome.hpp): the executor's reasons are told apart from
// the VM's traps, a nested call's refusal is the status of the frame that made it, and
// docs/api.md lists every status by name.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/compile.hpp"
#include "node/executor/executor.hpp"
#include "tests/node/node_fixture.hpp"
#include "vm/assembler.hpp"

using namespace assent;
using node::ExecOutcome;
using node::Identity;

namespace {

struct Bed : testing::TempStore {
  uint64_t height = 0;
  Bed() : TempStore("outcome") {}

  Identity deploy(const std::vector<uint8_t>& module) {
    auto b = exec->begin_block({++height, 1'700'000'000});
    REQUIRE(b.ok());
    auto r = (*b)->deploy(Identity{1}, height, module, {}, 10'000'000, {});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE((*b)->finish().ok());
    REQUIRE_FALSE((*b)->commit());
    return *r.contract;
  }
  node::Receipt call(const Identity& contract, const std::string& method) {
    auto b = exec->begin_block({++height, 1'700'000'000});
    REQUIRE(b.ok());
    node::Receipt r = (*b)->call(Identity{1}, contract, method, {}, 10'000'000, Identity{9});
    REQUIRE((*b)->finish().ok());
    REQUIRE_FALSE((*b)->commit());
    return r;
  }
  node::Receipt view(const Identity& contract, const std::string& method) {
    auto txn = store->begin_read();
    REQUIRE(txn.ok());
    return exec->view(*txn, {height, 1'700'000'000}, Identity{1}, contract, method, {}, 10'000'000);
  }
};

std::vector<uint8_t> compiled(const std::string& source) {
  auto c = compiler::compile("test.assent", source);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  return c.bytes;
}

}  // namespace

TEST_CASE("outcome: a refused nested call is the status of the frame that made it") {
  Bed bed;
  const Identity self = bed.deploy(compiled(R"(
interface Loop { view down() -> u64; action again(); }
contract Self {
    view down() -> u64 { return Loop(this).down(); }
    action again() { Loop(this).again(); }
}
)"));
  node::Receipt r = bed.call(self, "again");
  CHECK(r.status == ExecOutcome::ReentrantCall);
  CHECK(r.message.find("re-entrant call into contract") != std::string::npos);
  CHECK(r.gas_used > 0);  // what ran until the refusal is paid for, as before
  r = bed.view(self, "down");
  CHECK(r.status == ExecOutcome::CallDepthLimit);
  CHECK(r.message == "call depth limit of 8 reached");

  // A view that calls as an action (the compiler refuses it; a hand-written module can try).
  auto m = vm::assemble(R"(
.rodata address "0123456789abcdef0123456789abcdef"
.rodata method "x"
.func peek view
    lddw r1, address
    lddw r2, method
    mov64 r3, 1
    mov64 r4, 0
    mov64 r5, 0
    syscall call.action
    exit
)");
  REQUIRE(m.ok());
  auto bytes = vm::encode_module(*m);
  REQUIRE(bytes.ok());
  const Identity peek = bed.deploy(*bytes);
  r = bed.view(peek, "peek");
  CHECK(r.status == ExecOutcome::ViewCallsAction);
  CHECK(r.message == "a view cannot call an action");
}

TEST_CASE("outcome: the VM's statuses keep their values; the executor's start at 64") {
  CHECK(node::outcome_of(vm::Status::SyscallFailed) == ExecOutcome::SyscallFailed);
  CHECK(static_cast<int>(ExecOutcome::OutOfGas) == static_cast<int>(vm::Status::OutOfGas));
  CHECK(static_cast<int>(ExecOutcome::NoContract) == 64);
  CHECK(node::vm_status_of(ExecOutcome::NoMethod) == vm::Status::SyscallFailed);
  CHECK(node::vm_status_of(ExecOutcome::Aborted) == vm::Status::Aborted);
  CHECK(node::to_string(ExecOutcome::StoreFailed) == "store-failed");
  CHECK(node::to_string(ExecOutcome::BadFunction) == "bad-function");
  for (const auto& row : node::outcome_rows()) {
    CAPTURE(row.name);
    CHECK(node::outcome_from_value(static_cast<uint8_t>(row.code)) == row.code);
    CHECK(node::to_string(row.code) == row.name);
  }
  CHECK_FALSE(node::outcome_from_value(7).has_value());
  CHECK_FALSE(node::outcome_from_value(63).has_value());
  CHECK_FALSE(node::outcome_from_value(255).has_value());
}

TEST_CASE("outcome: docs/api.md lists every receipt status, and no other") {
  std::ifstream in(std::string(ASSENT_SOURCE_DIR) + "/docs/api.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto start = doc.find("### Receipt statuses");
  REQUIRE(start != std::string::npos);
  const auto end = doc.find("\n#", start + 1);
  const std::string section = doc.substr(start, end - start);
  // Rows: | `name` | meaning |
  std::set<std::string> listed;
  const std::regex row(R"(\n\| `([a-z-]+)` \|)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row);
       it != std::sregex_iterator(); ++it)
    listed.insert((*it)[1]);
  std::set<std::string> statuses;
  for (const auto& r : node::outcome_rows())
    statuses.insert(std::string(r.name));
  CHECK(listed == statuses);
}
