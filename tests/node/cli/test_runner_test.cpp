// `assent test`: the runner in process (with the real assentc beside assent), on test files
// written to a temporary directory, passing and failing.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "node/cli/test_runner.hpp"
#include "stdlib/host_syscalls.hpp"
#include "stdlib/test_syscalls.hpp"
#include "vm/verifier.hpp"

namespace {

namespace fs = std::filesystem;
using namespace assent;

struct Dir {
  fs::path path;
  Dir() {
    path = fs::temp_directory_path() / ("assent-runner-test-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

struct Run {
  int code;
  std::string out;
};

Run run(const std::string& path, const std::string& filter = "", uint64_t gas = 10'000'000) {
  node::TestOptions options;
  options.path = path;
  options.filter = filter;
  options.gas = gas;
  options.assentc = std::string(ASSENT_BIN_DIR) + "/assentc";
  std::ostringstream out;
  const int code = node::run_tests(options, out);
  return {code, out.str()};
}

const char* kCounter = R"(contract Counter {
    event Bumped(indexed by: identity, value: u64);
    storage { owner: identity; value: u64; }
    init(start: u64) { owner = caller; value = start; }
    action bump() -> u64 {
        require(caller == owner, "only the owner bumps");
        value += 1;
        emit Bumped(caller, value);
        return value;
    }
    view get() -> u64 { return value; }
    view stamp() -> (u64, time) { return (block_height(), now); }
}
)";

const char* kCounterTests = R"(import counter;
fn test_bump_as_owner() {
    set_caller(account("owner"));
    let c = Counter.deploy(41);
    require(Counter(c).bump() == 42, "bumped");
    expect_event("Bumped");
}
fn test_fresh_store() {
    let c = Counter.deploy(0);
    require(Counter(c).get() == 0, "a fresh counter");
}
fn test_stranger_reverts() {
    set_caller(account("owner"));
    let c = Counter.deploy(0);
    set_caller(account("mallory"));
    expect_revert("only the owner", Counter(c).bump());
    require(Counter(c).get() == 0, "unchanged");
}
fn test_time_and_blocks() {
    let c = Counter.deploy(0);
    advance_time(1d);
    advance_blocks(2);
    require(Counter(c).stamp() == (3, time(1700000000) + 1d), "moved");
}
fn helper() -> u64 { return 1; }
)";

}  // namespace

TEST_CASE("assent test runs test_* functions, each on a fresh store, and reports them") {
  Dir d;
  d.write("counter.assent", kCounter);
  // Tuple destructuring is not Assent: the file must fail to compile, and say where.
  d.write("counter_test.assent",
          std::string(kCounterTests) + "fn test_bad() { let (h, t) = (1, 2); }\n");
  Run bad = run(d.path.string());
  CHECK(bad.code == 1);
  CHECK(bad.out.find("does not compile") != std::string::npos);
  CHECK(bad.out.find("counter_test.assent:") != std::string::npos);

  d.write("counter_test.assent", kCounterTests);
  Run ok = run(d.path.string());
  INFO(ok.out);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("PASS  test_bump_as_owner") != std::string::npos);
  CHECK(ok.out.find("PASS  test_time_and_blocks") != std::string::npos);
  CHECK(ok.out.find("helper") == std::string::npos);
  CHECK(ok.out.find("ok: 4 passed, 0 failed, in 1 file") != std::string::npos);

  Run one = run(d.path.string(), "fresh");
  CHECK(one.code == 0);
  CHECK(one.out.find("ok: 1 passed") != std::string::npos);
}

TEST_CASE("assent test reports each way a test fails, with the test's line") {
  Dir d;
  d.write("counter.assent", kCounter);
  d.write("counter_test.assent", R"(import counter;
fn test_require_fails() {
    require(1 + 1 == 3, "arithmetic");
}
fn test_no_revert() {
    let c = Counter.deploy(0);
    expect_revert("only the owner", Counter(c).bump());
}
fn test_other_revert() {
    set_caller(account("owner"));
    let c = Counter.deploy(0);
    set_caller(account("mallory"));
    expect_revert("something else", Counter(c).bump());
}
fn test_missing_event() {
    let c = Counter.deploy(0);
    expect_event("Bumped");
}
fn test_unexpected_failure() {
    set_caller(account("owner"));
    let c = Counter.deploy(0);
    set_caller(account("mallory"));
    require(Counter(c).bump() == 1, "bumped");
}
fn test_out_of_gas() {
    var i: u64 = 0;
    while true { i += 1; }
}
)");
  Run r = run(d.path.string());
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("counter_test.assent:3:5: aborted: arithmetic") != std::string::npos);
  CHECK(r.out.find("expected `bump` to revert with \"only the owner\", but it succeeded") !=
        std::string::npos);
  CHECK(r.out.find("but it failed with: aborted: only the owner bumps") != std::string::npos);
  CHECK(r.out.find("counter_test.assent:17:5: aborted: expected the last call to emit `Bumped`, "
                   "but it emitted no event") != std::string::npos);
  CHECK(r.out.find("counter_test.assent:23:13: aborted: only the owner bumps") !=
        std::string::npos);
  CHECK(r.out.find("out of gas") != std::string::npos);
  CHECK(r.out.find("FAILED: 0 passed, 6 failed") != std::string::npos);
}

TEST_CASE("assent test refuses bad paths and says what it wants") {
  Dir d;
  CHECK(run((d.path / "missing").string()).code == 2);
  Run empty = run(d.path.string());
  CHECK(empty.code == 2);
  CHECK(empty.out.find("no test files") != std::string::npos);
  d.write("plain.assent", "fn f() -> u64 { return 1; }\n");
  CHECK(run((d.path / "plain.assent").string()).code == 2);
  // A contract that does not compile fails the run, named with its diagnostics.
  d.write("broken.assent", "contract Broken { action f() { let x = ; } }\n");
  d.write("plain_test.assent", "fn test_nothing() {}\n");
  Run broken = run(d.path.string());
  CHECK(broken.code == 1);
  CHECK(broken.out.find("broken.assent does not compile") != std::string::npos);
  CHECK(broken.out.find("PASS  test_nothing") != std::string::npos);
}

TEST_CASE("a node refuses a module that uses the test built-ins") {
  compiler::CompileOptions options;
  options.test = true;
  auto c = compiler::compile("t_test.assent", "fn test_x() { advance_time(1d); }\n", options);
  REQUIRE(c.ok);
  auto node = vm::verify(c.module, stdlib::node_syscalls());
  REQUIRE_FALSE(node.ok());
  CHECK(node.error().describe().find("test.") != std::string::npos);
  CHECK(vm::verify(c.module, stdlib::test_syscalls()).ok());
  // Without the test option, the built-ins are unknown to the compiler too.
  auto plain = compiler::compile("t.assent", "fn f() { advance_time(1d); }\n");
  CHECK_FALSE(plain.ok);
  CHECK(plain.diagnostics.find("is a test built-in") != std::string::npos);
}
