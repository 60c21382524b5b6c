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
// must pass the verifier.
//
// The scenarios of the reference contracts (tests/contracts/*.assent) use the same runner,
// with two more forms:
//
//   // contract: contracts/patient_consent.assent   compile this file (from the repo root)
//   // call as bob: grant(@bob, 0, ...)              call with bob as the caller; `@bob` in
//                                                   arguments is bob's identity, as JSON
//   // deploy registry: contracts/x.assent          deploy another contract first; `@registry`
//                                                   is its address
//   // init: @registry                              arguments of the contract's `init`
//   // call as bob on registry: grant(...)          call the other contract
//   // advance: 259200                              the calls after this run that many
//                                                   seconds later
//
// A named identity is the name's bytes padded with zeros to 32 bytes; the default caller,
// which also deploys the contract, is `@deployer`.
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
  std::string caller = "deployer";
  std::string target;    // a contract deployed with `// deploy NAME:`; empty for the main one
  uint64_t advance = 0;  // seconds to move the clock forward before this call
  std::string function = "main";
  std::string args = "[]";
  std::optional<std::string> result;  // expected JSON
  std::optional<std::string> trap;    // expected failure message
};

struct Expectations {
  std::optional<std::string> contract;  // a source file to compile instead of this one
  std::vector<std::pair<std::string, std::string>> deploys;  // name, source file
  std::string init_args = "[]";
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
  uint64_t advance = 0;
  while (std::getline(in, line)) {
    const auto at = line.find("// ");
    if (at == std::string::npos) continue;
    const std::string c = line.substr(at + 3);
    if (c.rfind("contract: ", 0) == 0) {
      x.contract = trim(c.substr(10));
    } else if (c.rfind("deploy ", 0) == 0) {
      const auto colon = c.find(": ");
      x.deploys.emplace_back(trim(c.substr(7, colon - 7)), trim(c.substr(colon + 2)));
    } else if (c.rfind("advance: ", 0) == 0) {
      advance += std::stoull(c.substr(9));
    } else if (c.rfind("init: ", 0) == 0) {
      x.init_args = "[" + trim(c.substr(6)) + "]";
    } else if (c.rfind("call: ", 0) == 0 || c.rfind("call as ", 0) == 0 ||
               c.rfind("call on ", 0) == 0) {
      explicit_calls = true;
      Call call;
      call.advance = std::exchange(advance, 0);
      const auto colon = c.find(':');  // the first: arguments may hold more
      std::istringstream words(c.substr(4, colon - 4));
      for (std::string word, value; words >> word >> value;)
        (word == "as" ? call.caller : call.target) = value;
      const std::string spec = trim(c.substr(colon + 1));
      const auto paren = spec.find('(');
      call.function = spec.substr(0, paren);
      call.args = "[" + spec.substr(paren + 1, spec.rfind(')') - paren - 1) + "]";
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

using Contracts = std::map<std::string, node::Identity>;

node::Identity named_identity(const std::string& name, const Contracts& contracts) {
  if (auto it = contracts.find(name); it != contracts.end()) return it->second;
  node::Identity id{};
  if (name == "deployer") return node::Identity{0x11, 0x11, 0x11};
  for (std::size_t i = 0; i < name.size() && i < id.size(); ++i)
    id[i] = static_cast<uint8_t>(name[i]);
  return id;
}

// Replaces each `@name` in call arguments with the named identity as a JSON hex string.
std::string substitute_identities(const std::string& args, const Contracts& contracts) {
  static const std::regex at_name("@([A-Za-z_][A-Za-z0-9_]*)");
  std::string out;
  auto last = args.cbegin();
  for (std::sregex_iterator it(args.begin(), args.end(), at_name), end; it != end; ++it) {
    out.append(last, args.cbegin() + it->position());
    static const char* digits = "0123456789abcdef";
    out += '"';
    for (uint8_t b : named_identity((*it)[1].str(), contracts)) {
      out += digits[b >> 4];
      out += digits[b & 15];
    }
    out += '"';
    last = args.cbegin() + it->position() + it->length();
  }
  out.append(last, args.cend());
  return out;
}

// Runs one source file; returns a list of failures (empty when it passes).
std::vector<std::string> run_case(const fs::path& path, std::size_t& calls_run) {
  std::vector<std::string> failures;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const Expectations x = parse_expectations(ss.str());
  if (x.calls.empty() && x.errors.empty()) return {"no expectations in the file"};
  std::string name = path.filename().string(), text = ss.str();
  if (x.contract) {
    std::ifstream source(fs::path(ASSENT_SOURCE_DIR) / *x.contract);
    if (!source) return {"cannot read the contract " + *x.contract};
    std::stringstream contract_text;
    contract_text << source.rdbuf();
    name = *x.contract;
    text = contract_text.str();
  }

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
  const node::Identity deployer = named_identity("deployer", {});
  uint64_t height = 1, clock = 0;
  Contracts addresses;
  std::map<std::string, compiler::Compilation> modules;
  {
    auto block = exec.begin_block({height, 1'700'000'000});
    REQUIRE(block.ok());
    uint64_t nonce = 0;
    auto deploy = [&](const std::string& as, compiler::Compilation module,
                      const std::string& init_json) {
      std::vector<uint8_t> init_args;
      if (const vm::Export* init = module.module.find_export("init")) {
        auto args =
            abi::fields_from_json(init->params, module.module.abi,
                                  abi::Json::parse(substitute_identities(init_json, addresses)));
        if (!args.ok()) return failures.push_back("init arguments: " + args.error());
        init_args = *args;
      }
      auto r = (*block)->deploy(deployer, nonce++, module.bytes, init_args, 10'000'000, {});
      if (!r.ok() || !r.contract)
        return failures.push_back("deploy of " + as + " failed: " + r.describe());
      addresses[as] = *r.contract;
      modules.emplace(as, std::move(module));
    };
    for (const auto& [as, file] : x.deploys) {
      std::ifstream source(fs::path(ASSENT_SOURCE_DIR) / file);
      std::stringstream other;
      other << source.rdbuf();
      auto module = compiler::compile(file, other.str());
      if (!module.ok) return {"compilation of " + file + " failed:\n" + module.diagnostics};
      deploy(as, std::move(module), "[]");
    }
    deploy("", compiled, x.init_args);
    REQUIRE((*block)->finish().ok());
    REQUIRE(!(*block)->commit());
  }
  for (const auto& call : x.calls) {
    if (!failures.empty() && addresses.count("") == 0) break;
    ++calls_run;
    ++height;
    const std::string label =
        call.target + (call.target.empty() ? "" : ".") + call.function + call.args;
    const node::Identity caller = named_identity(call.caller, addresses);
    auto target = modules.find(call.target);
    if (target == modules.end()) {
      failures.push_back(label + ": no contract deployed as `" + call.target + "`");
      continue;
    }
    const vm::Module& module = target->second.module;
    const node::Identity contract = addresses.at(call.target);
    const vm::Export* e = module.find_export(call.function);
    if (e == nullptr) {
      failures.push_back(label + ": no such export");
      continue;
    }
    auto args = abi::fields_from_json(
        e->params, module.abi, abi::Json::parse(substitute_identities(call.args, addresses)));
    if (!args.ok()) {
      failures.push_back(label + ": " + args.error());
      continue;
    }
    node::Receipt r;
    clock += call.advance;
    const uint64_t time = 1'700'000'000 + height * 10 + clock;
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
      want = abi::Json::parse(substitute_identities(*call.result, addresses));
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

TEST_CASE("reference contract scenarios: tests/contracts/*.assent") {
  CHECK(run_suite(fs::path(ASSENT_SOURCE_DIR) / "tests" / "contracts", "contract scenarios") >= 1);
}

// The tutorial in docs/contracts.md creates a contract and its scenario; the repository
// keeps both files, run above, and this keeps the page and the files the same.
TEST_CASE("the tutorial's contract and scenario are the files in the repository") {
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
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0] == read(root / "contracts/research_opt_in.assent"));
  CHECK(blocks[2] == read(root / "tests/contracts/research_opt_in.assent"));
}
