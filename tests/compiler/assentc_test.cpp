// assentc (and `assent compile`) as a user runs them: outputs, exit codes, diagnostics on
// stderr, byte-identical modules from the same source.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "tests/support/shell.hpp"

namespace fs = std::filesystem;

namespace {

using assent::testing::Output;

Output sh(const std::string& command) {
  return assent::testing::shell(command);
}

const std::string kBin = ASSENT_BIN_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Dir {
  fs::path path = fs::temp_directory_path() / ("assentc-test-" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
  std::string file(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

const char* kSketch = R"(contract C {
    storage { n: u64; }
    action bump() -> u64 { n += 1; return n; }
}
)";

}  // namespace

TEST_CASE("assentc: writes a module that assent runs and disassembles") {
  Dir d;
  const std::string src = d.file("c.assent", kSketch);
  auto r = sh(kBin + "/assentc " + src + " -o " + (d.path / "c.acm").string());
  REQUIRE_MESSAGE(r.code == 0, r.out);
  CHECK(r.out.empty());
  r = sh(kBin + "/assent disasm " + (d.path / "c.acm").string());
  CHECK(r.code == 0);
  CHECK(r.out.find(".export bump action bump") != std::string::npos);
}

TEST_CASE("assentc: the same source gives byte-identical modules, at every level") {
  Dir d;
  const std::string src = d.file("c.assent", kSketch);
  for (const char* level : {"-O0", "-O1", "-O2"}) {
    CAPTURE(level);
    REQUIRE(
        sh(kBin + "/assentc " + src + " " + level + " -o " + (d.path / "a.acm").string()).code ==
        0);
    REQUIRE(
        sh(kBin + "/assentc " + src + " " + level + " -o " + (d.path / "b.acm").string()).code ==
        0);
    CHECK(read(d.path / "a.acm") == read(d.path / "b.acm"));
  }
  // In-process too, and for every source of the language suite that compiles.
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(ASSENT_SOURCE_DIR) / "tests" / "lang")) {
    if (entry.path().extension() != ".assent") continue;
    const std::string text = read(entry.path());
    auto first = assent::compiler::compile("x.assent", text);
    if (!first.ok) continue;
    CAPTURE(entry.path().string());
    CHECK(assent::compiler::compile("x.assent", text).bytes == first.bytes);
  }
}

TEST_CASE("assentc: --emit=llvm and --emit=asm") {
  Dir d;
  const std::string src = d.file("c.assent", kSketch);
  auto r = sh(kBin + "/assentc " + src + " --emit=llvm -o -");
  CHECK(r.code == 0);
  CHECK(r.out.find("target triple = \"bpfel\"") != std::string::npos);
  r = sh(kBin + "/assentc " + src + " --emit=asm -O0 -o -");
  CHECK(r.code == 0);
  CHECK(r.out.find("exit") != std::string::npos);
  r = sh(kBin + "/assentc " + src + " --emit=wasm -o -");
  CHECK(r.code == 2);
}

TEST_CASE("assentc: errors go to stderr with the source line and a caret; exit 1") {
  Dir d;
  const std::string src =
      d.file("bad.assent",
             "fn main() -> u64 {\n    return countr;\n}\nfn counter() -> u64 { return 1; }\n");
  auto r = sh(kBin + "/assentc " + src + " -o " + (d.path / "bad.acm").string());
  CHECK(r.code == 1);
  CHECK(r.out == src +
                     ":2:12: error: unknown name `countr`\n 2 |     return countr;\n   |           "
                     " ^~~~~~\nhint: did you mean `counter`?\n1 error\n");
  CHECK_FALSE(fs::exists(d.path / "bad.acm"));
  r = sh(kBin + "/assentc " + (d.path / "missing.assent").string() + " -o x.acm");
  CHECK(r.code == 1);
  CHECK(r.out.find("cannot open") != std::string::npos);
  r = sh(kBin + "/assentc");
  CHECK(r.code == 2);
}

TEST_CASE("assent compile hands over to assentc") {
  Dir d;
  const std::string src = d.file("c.assent", kSketch);
  auto r = sh(kBin + "/assent compile " + src + " -o " + (d.path / "c.acm").string());
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(fs::exists(d.path / "c.acm"));
}

TEST_CASE("test files import the contracts beside them; other files cannot") {
  const std::string contracts = std::string(ASSENT_SOURCE_DIR) + "/contracts";
  const std::string both = R"(import access_log;
import data_sharing_agreement;
import patient_consent;
fn test_both() {
    let registry = PatientConsent.deploy();
    let log = AccessLog.deploy(registry);
    expect_revert("no such agreement", DataSharingAgreement(log).sign(1));
}
)";
  assent::compiler::CompileOptions test;
  test.test = true;
  test.contracts_dir = contracts;
  // Both contracts declare `interface ConsentRegistry`; the test sees one.
  auto ok = assent::compiler::compile(contracts + "/both_test.assent", both, test);
  CHECK_MESSAGE(ok.ok, ok.diagnostics);
  // Deploy arguments are checked against the contract's init.
  auto wrong = assent::compiler::compile(
      contracts + "/x_test.assent",
      "import access_log;\nfn test_x() { let l = AccessLog.deploy(); }\n", test);
  CHECK_FALSE(wrong.ok);
  CHECK(wrong.diagnostics.find("`AccessLog.deploy` takes 1 argument") != std::string::npos);
  // Without --test, a contract is not a module to import.
  assent::compiler::CompileOptions plain;
  plain.contracts_dir = contracts;
  auto refused = assent::compiler::compile(contracts + "/both_test.assent", both, plain);
  CHECK_FALSE(refused.ok);
  CHECK(refused.diagnostics.find("only test files") != std::string::npos);
}
