// The language suite: every tests/lang/**/*.assent is compiled, verified, deployed on a
// fresh LMDB store and called, and checked against the expectations in its comments:
//
//   // expect: 55                      the result of `main()`, as JSON
//   // call: grant("a...", 5)          the next call (arguments as a JSON array); the
//   // expect: 1                         expectation below it applies to it
//   // expect trap: arithmetic overflow  the call fails with this message
//   // expect error: 3:9 unknown name `x`  compilation fails with exactly these errors
//
// A file without `// call:` lines calls `main()` once. Every module the compiler emits
// must pass the verifier. Each call is its own block. (Contracts are tested with
// `assent test`, in Assent: contracts/*_test.assent.)
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "compiler/compile.hpp"
#include "node/executor/executor.hpp"
#include "stdlib/abi_codec.hpp"
#include "stdlib/host_syscalls.hpp"
#include "vm/verifier.hpp"

namespace fs = std::filesystem;
using namespace assent;

namespace {

struct Call {
  std::string function = "main";
  std::string args = "[]";
  std::optional<std::string> result;  // expected JSON
  std::optional<std::string> trap;    // expected failure message
};

struct Expectations {
  std::vector<Call> calls;
  std::vector<std::string> errors;  // "line:col message"
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
    s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ')
    ++i;
  return s.substr(i);
}

Expectations parse_expectations(const std::string& text) {
  Expectations x;
  std::istringstream in(text);
  std::string line;
  bool explicit_calls = false;
  while (std::getline(in, line)) {
    const auto at = line.find("// ");
    if (at == std::string::npos) continue;
    const std::string c = line.substr(at + 3);
    if (c.rfind("call: ", 0) == 0) {
      explicit_calls = true;
      Call call;
      const std::string spec = trim(c.substr(6));
      const auto paren = spec.find('(');
      call.function = spec.substr(0, paren);
      call.args = '[' + spec.substr(paren + 1, spec.rfind(')') - paren - 1) + "]";
      x.calls.push_back(call);
    } else if (c.rfind("expect error: ", 0) == 0) {
      x.errors.push_back(trim(c.substr(14)));
    } else if (c.rfind("expect trap: ", 0) == 0 || c.rfind("expect: ", 0) == 0) {
      if (x.calls.empty() || (!explicit_calls && (x.calls.back().result || x.calls.back().trap)))
        x.calls.emplace_back();
      if (c.rfind("expect trap: ", 0) == 0)
        x.calls.back().trap = trim(c.substr(13));
      else
        x.calls.back().result = trim(c.substr(8));
    }
  }
  return x;
}

// Runs one source file; returns a list of failures (empty when it passes).
std::vector<std::string> run_case(const fs::path& path, std::size_t& calls_run) {
  std::vector<std::string> failures;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const Expectations x = parse_expectations(ss.str());
  if (x.calls.empty() && x.errors.empty()) return {"no expectations in the file"};
  const std::string name = path.filename().string(), text = ss.str();
  const auto compiled = compiler::compile(name, text);
  if (!x.errors.empty()) {
    std::multiset<std::string> want(x.errors.begin(), x.errors.end()), got;
    for (const auto& p : compiled.problems)
      got.insert(std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.message);
    if (compiled.ok) failures.push_back("compiled, but errors were expected");
    if (want != got) {
      std::string listing;
      for (const auto& g : got)
        listing += "\n    got: " + g;
      for (const auto& w : want)
        listing += "\n    want: " + w;
      failures.push_back("diagnostics differ:" + listing);
    }
    return failures;
  }
  if (!compiled.ok) return {"compilation failed:\n" + compiled.diagnostics};
  if (auto v = vm::verify(compiled.module, stdlib::node_syscalls()); !v.ok())
    return {"the module fails verification: " + v.error().describe()};

  const fs::path dir = fs::temp_directory_path() / ("assent-lang-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  // Removed on every way out, early returns included (declared before the store, so the
  // store closes first).
  struct RemoveDir {
    fs::path path;
    ~RemoveDir() { fs::remove_all(path); }
  } remove_dir{dir};
  auto store = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
  if (!store.ok()) return {"store: " + store.error().message};
  node::Executor exec(**store);
  const node::Identity caller{0x11, 0x11, 0x11};
  uint64_t height = 1;
  node::Identity contract{};
  {
    auto block = exec.begin_block({height, 1'700'000'000});
    REQUIRE(block.ok());
    auto r = (*block)->deploy(caller, 0, compiled.bytes, {}, 10'000'000, {});
    if (!r.ok() || !r.contract) return {"deploy failed: " + r.describe()};
    contract = *r.contract;
    REQUIRE((*block)->finish().ok());
    REQUIRE(!(*block)->commit());
  }
  const vm::Module& module = compiled.module;
  for (const auto& call : x.calls) {
    ++calls_run;
    ++height;
    const std::string label = call.function + call.args;
    const vm::Export* e = module.find_export(call.function);
    if (e == nullptr) {
      failures.push_back(label + ": no such export");
      continue;
    }
    auto args = abi::fields_from_json(e->params, module.abi, abi::Json::parse(call.args));
    if (!args.ok()) {
      failures.push_back(label + ": " + args.error());
      continue;
    }
    node::Receipt r;
    const uint64_t time = 1'700'000'000 + height * 10;
    if (e->kind == vm::ExportKind::View) {
      auto txn = (*store)->begin_read();
      REQUIRE(txn.ok());
      r = exec.view(*txn, {height, time}, caller, contract, call.function, *args, 10'000'000);
    } else {
      auto block = exec.begin_block({height, time});
      REQUIRE(block.ok());
      r = (*block)->call(caller, contract, call.function, *args, 10'000'000, {});
      REQUIRE((*block)->finish().ok());
      REQUIRE(!(*block)->commit());
    }
    if (call.trap) {
      if (r.ok())
        failures.push_back(label + ": expected a trap `" + *call.trap + "`, but it returned");
      else if (r.message != *call.trap)
        failures.push_back(label + ": trap `" + r.message + "`, expected `" + *call.trap + "`");
      continue;
    }
    if (!r.ok()) {
      failures.push_back(label + ": " + r.describe());
      continue;
    }
    if (!call.result) continue;
    std::size_t used = 0;
    auto json = abi::to_json(e->result, module.abi, r.return_data, used);
    if (!json.ok()) {
      failures.push_back(label + ": result does not decode: " + json.error());
      continue;
    }
    abi::Json want;
    try {
      want = abi::Json::parse(*call.result);
    } catch (...) {
      failures.push_back(label + ": the expectation `" + *call.result + "` is not JSON");
      continue;
    }
    if (*json != want)
      failures.push_back(label + ": got " + json->dump() + ", expected " + want.dump());
  }
  return failures;
}

// Runs every .assent file under `root`; returns how many there were.
std::size_t run_suite(const fs::path& root, const std::string& title) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.path().extension() == ".assent") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::size_t passed = 0, calls = 0;
  for (const auto& f : files) {
    const auto failures = run_case(f, calls);
    for (const auto& failure : failures)
      FAIL_CHECK(std::string(fs::relative(f, root).string() + ": " + failure));
    if (failures.empty()) ++passed;
  }
  MESSAGE(title << ": " << passed << " of " << files.size() << " files pass (" << calls
                << " calls)");
  return files.size();
}

}  // namespace

TEST_CASE("language suite: tests/lang/**/*.assent") {
  CHECK(run_suite(fs::path(ASSENT_SOURCE_DIR) / "tests" / "lang", "language suite") >= 150);
}

// The tutorial in docs/contracts.md creates a contract and its test file; the repository keeps
// both (`assent test contracts/` runs them), and this keeps the page and the files the same.
TEST_CASE("the tutorial's contract and test file are the files in the repository") {
  const fs::path root = ASSENT_SOURCE_DIR;
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string page = read(root / "docs/contracts.md");
  const std::string tutorial = page.substr(std::min(page.find("## Tutorial"), page.size()));
  std::vector<std::string> blocks;
  static const std::regex fenced("```[a-z]*\n([^`]*)```");
  for (std::sregex_iterator it(tutorial.begin(), tutorial.end(), fenced), end; it != end; ++it)
    blocks.push_back((*it)[1].str());
  REQUIRE(blocks.size() == 4);
  CHECK(blocks[0] == read(root / "contracts/research_opt_in.assent"));
  CHECK(blocks[2] == read(root / "contracts/research_opt_in_test.assent"));
}
