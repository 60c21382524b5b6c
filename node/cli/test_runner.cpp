#include "node/cli/test_runner.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include "node/executor/executor.hpp"
#include "node/cli/files.hpp"
#include "node/cli/process.hpp"
#include "stdlib/test_syscalls.hpp"
#include "vm/module.hpp"

namespace assent::node {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kStartTime = 1'700'000'000;  // the block time tests start at
constexpr const char* kTestSuffix = "_test.assent";

bool is_test_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > std::string(kTestSuffix).size() && name.ends_with(kTestSuffix);
}

// A temporary directory, removed with everything in it when it goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "assent-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Compiled {
  bool ok = false;
  std::string diagnostics;
  std::vector<uint8_t> bytes;
};

Compiled compile(const std::string& assentc, const fs::path& source, bool test,
                 const std::string& out_dir) {
  Compiled c;
  const std::string out = out_dir + "/" + source.stem().string() + ".acm";
  std::vector<std::string> argv = {assentc, source.string(), "-o", out};
  if (test) argv.push_back("--test");
  ProcessResult p = run_process(argv);
  c.diagnostics = std::move(p.output);
  if (p.exit_code != 0) {
    if (c.diagnostics.empty()) c.diagnostics = "error: `" + assentc + "` did not run\n";
    return c;
  }
  auto bytes = read_file(out);
  if (!bytes.ok()) {
    c.diagnostics = "error: " + bytes.error() + "\n";
    return c;
  }
  c.ok = true;
  c.bytes = std::move(bytes).value();
  return c;
}

struct Outcome {
  bool passed = false;
  uint64_t gas = 0;
  std::string message;
  uint32_t line = 0, column = 0;  // in the test file, when known
};

// Runs one test function on a fresh store: the test file is deployed as a contract by the
// account "tester", then `name` is called.
Outcome run_one(const std::vector<uint8_t>& test_module, const std::string& name,
                const std::map<std::string, stdlib::Bytes>& modules, uint64_t gas) {
  Outcome o;
  TempDir dir;
  if (dir.path().empty()) {
    o.message = "cannot create a temporary directory";
    return o;
  }
  auto store = store::Store::open(dir.path(), {std::size_t{1} << 30, false});
  if (!store.ok()) {
    o.message = "cannot open a store: " + store.error().message;
    return o;
  }
  TestState state;
  state.modules = modules;
  ExecutorConfig config;
  config.syscalls = &stdlib::test_syscalls();
  Executor exec(**store, config);
  exec.test = &state;
  auto block = exec.begin_block({1, kStartTime});
  if (!block.ok()) {
    o.message = "cannot begin a block: " + block.error().message;
    return o;
  }
  const Identity tester = stdlib::test_account("tester");
  const Identity tx{};
  Receipt deployed = (*block)->deploy(tester, 0, test_module, {}, gas, tx);
  if (!deployed.ok()) {
    o.message = "the test module did not deploy: " + deployed.describe();
    return o;
  }
  Receipt r = (*block)->call(tester, *deployed.contract, name, {}, gas, tx);
  o.gas = r.gas_used;
  o.passed = r.ok();
  if (r.ok()) return o;
  o.message = std::string(to_string(r.status)) + ": " + r.message;
  // An abort in the test itself says where; a failure in a call it made, where the call was.
  o.line = r.line != 0 ? r.line : state.line;
  o.column = r.line != 0 ? r.column : state.column;
  return o;
}

std::string with_commas(uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

int run_tests(const TestOptions& options, std::ostream& out) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  const fs::path root(options.path);
  std::vector<fs::path> test_files;
  if (fs::is_regular_file(root, ec)) {
    if (!is_test_file(root)) {
      out << "error: `" << options.path << "` is not a test file (its name ends in " << kTestSuffix
          << ")\n";
      return 2;
    }
    test_files.push_back(root);
  } else if (fs::is_directory(root, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(root, ec))
      if (entry.is_regular_file() && is_test_file(entry.path())) test_files.push_back(entry.path());
    std::sort(test_files.begin(), test_files.end());
  } else {
    out << "error: `" << options.path << "` does not exist\n";
    return 2;
  }
  if (test_files.empty()) {
    out << "error: no test files (*" << kTestSuffix << ") under `" << options.path << "`\n";
    return 2;
  }
  const std::string assentc =
      options.assentc.empty() ? sibling_program("assentc") : options.assentc;
  TempDir build;

  int passed = 0, failed = 0;
  // The contracts beside each test file, compiled once per directory; by file name.
  std::map<fs::path, std::map<std::string, stdlib::Bytes>> contracts;
  for (const fs::path& file : test_files) {
    const fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    if (!contracts.count(dir)) {
      auto& modules = contracts[dir];
      std::vector<fs::path> sources;
      for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".assent" && !is_test_file(entry.path()))
          sources.push_back(entry.path());
      std::sort(sources.begin(), sources.end());
      for (const auto& source : sources) {
        Compiled c = compile(assentc, source, false, build.path());
        if (c.ok) {
          modules[source.stem().string()] = std::move(c.bytes);
          continue;
        }
        out << "FAIL  " << source.string() << " does not compile:\n" << c.diagnostics;
        ++failed;
      }
    }
    out << file.string() << "\n";
    Compiled t = compile(assentc, file, true, build.path());
    if (!t.ok) {
      out << "FAIL  does not compile:\n" << t.diagnostics;
      ++failed;
      continue;
    }
    auto module = vm::read_module(t.bytes);
    if (!module.ok()) {
      out << "FAIL  the compiled module is unreadable: " << module.error().describe() << "\n";
      ++failed;
      continue;
    }
    int found = 0;
    for (const auto& e : module->exports) {
      if (!e.name.starts_with("test_") || e.kind != vm::ExportKind::Function) continue;
      if (!options.filter.empty() && e.name.find(options.filter) == std::string::npos) continue;
      ++found;
      Outcome o;
      if (!e.params.empty())
        o.message = "a test function takes no parameters";
      else
        o = run_one(t.bytes, e.name, contracts[dir], options.gas);
      out << (o.passed ? "  PASS  " : "  FAIL  ") << std::left << std::setw(60) << e.name << " gas "
          << std::right << std::setw(11) << with_commas(o.gas) << "\n";
      if (!o.passed) {
        out << "        ";
        if (o.line != 0) out << file.string() << ":" << o.line << ":" << o.column << ": ";
        out << o.message << "\n";
      }
      (o.passed ? passed : failed)++;
    }
    if (found == 0 && options.filter.empty())
      out << "  (no test_* functions: name a test `fn test_something() { ... }`)\n";
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << (failed == 0 ? "ok" : "FAILED") << ": " << passed << " passed, " << failed
      << " failed, in " << test_files.size() << " file" << (test_files.size() == 1 ? "" : "s")
      << " (" << std::fixed << std::setprecision(1) << seconds << " s)\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}

void add_test_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TestOptions>();
  auto* cmd = app.add_subcommand(
      "test", "Compile contracts and run the test_* functions of their *_test.assent files");
  cmd->add_option("path", options->path, "a directory, or one test file")->capture_default_str();
  cmd->add_option("--filter", options->filter, "run only tests whose name contains this");
  cmd->add_option("--assentc", options->assentc, "the compiler (default: beside assent)");
  cmd->add_option("--gas", options->gas, "gas for each test")->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run_tests(*options, std::cout); });
}

}  // namespace assent::node
