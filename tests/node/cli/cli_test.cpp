// The `assent` binary, run as a user would: run, run-raw, disasm, asm, and a
// node's bad options.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/shell.hpp"

namespace {

namespace fs = std::filesystem;

using assent::testing::Output;

Output sh(const std::string& command) {
  return assent::testing::shell("cd '" + fs::temp_directory_path().string() + "' && " + command);
}

const std::string kAssent = std::string(ASSENT_BIN_DIR) + "/assent";

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("assent-cli-test-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name, const std::string& content) const {
    std::ofstream(path / name) << content;
    return (path / name).string();
  }
};

TEST_CASE("cli: run-raw prints r0 in hex and exits 0") {
  auto r = sh("echo 'b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00' | " + kAssent + " run-raw");
  CHECK(r.code == 0);
  CHECK(r.out == "0x2a\n");
  // r1 points to a copy of the memory and r2 holds its length.
  r = sh("echo 'bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00' | " + kAssent +
         " run-raw 00 11 22");
  CHECK(r.out == "0x3\n");
  r = sh("echo '71 10 01 00 00 00 00 00 95 00 00 00 00 00 00 00' | " + kAssent +
         " run-raw '00 11 22'");
  CHECK(r.out == "0x11\n");
}

TEST_CASE("cli: run-raw refuses bad programs and traps with a reason and a non-zero exit") {
  auto r = sh("echo '95 00 00 00 01 00 00 00' | " + kAssent + " run-raw");
  CHECK(r.code == 1);
  CHECK(r.out ==
        "error: program rejected: pc 0: non-zero-field: exit uses no immediate, but imm is 1\n");
  r = sh("echo '79 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00' | " + kAssent + " run-raw");
  CHECK(r.code == 1);
  CHECK(r.out.find("error: trap: memory-fault at pc 0") == 0);
  r = sh("echo 'zz' | " + kAssent + " run-raw");
  CHECK(r.code == 1);
  CHECK(r.out == "error: program on stdin: bad hex digit `z` at character 1\n");
  r = sh("echo '05 00 ff ff 00 00 00 00' | " + kAssent + " run-raw --gas 1000");
  CHECK(r.code == 1);
  CHECK(r.out.find("out-of-gas") != std::string::npos);
}

TEST_CASE("cli: asm, run and disasm a module") {
  TempDir dir;
  const std::string src = dir.file("sum.s", R"(
.func sum view
    ldxb r0, [r1+0]
    ldxb r2, [r1+1]
    add64 r0, r2
    exit
)");
  const std::string acm = (dir.path / "sum.acm").string();
  auto r = sh(kAssent + " asm " + src + " -o " + acm);
  REQUIRE_MESSAGE(r.code == 0, r.out);

  r = sh(kAssent + " run " + acm + " sum --input 0305");
  CHECK(r.code == 0);
  CHECK(r.out == "result: 8 (0x8)\ngas used: 4 of 10000000\nstatus: ok\n");

  r = sh(kAssent + " run " + acm + " sum --input 03");
  CHECK(r.code == 1);
  CHECK(r.out.find("status: memory-fault at pc 1: read of 1 bytes at 0x4_00000001") !=
        std::string::npos);

  r = sh(kAssent + " run " + acm + " total");
  CHECK(r.code == 1);
  CHECK(r.out == "error: " + acm + " exports no function `total`; it exports: sum\n");

  r = sh(kAssent + " disasm " + acm);
  CHECK(r.code == 0);
  CHECK(r.out.find(".func sum") != std::string::npos);
  CHECK(r.out.find("add64 r0, r2") != std::string::npos);
}

TEST_CASE("cli: bad files get errors that name them") {
  TempDir dir;
  const std::string junk = dir.file("junk.acm", "not a module");
  auto r = sh(kAssent + " run " + junk + " f");
  CHECK(r.code == 1);
  CHECK(r.out ==
        "error: " + junk + ": bad-magic at byte 0: not an Assent module (no `ACM\\0` magic)\n");

  r = sh(kAssent + " run " + (dir.path / "missing.acm").string() + " f");
  CHECK(r.code == 1);
  CHECK(r.out.find("cannot open") != std::string::npos);

  const std::string bad = dir.file("bad.s", "mov64 r0, 1\nfrobnicate\n");
  r = sh(kAssent + " asm " + bad + " -o " + (dir.path / "bad.acm").string());
  CHECK(r.code == 1);
  CHECK(r.out == bad + ":2:1: error: unknown instruction `frobnicate`\n");
  CHECK_FALSE(fs::exists(dir.path / "bad.acm"));

  const std::string unverified = dir.file("loop.s", "mov64 r0, 1\n");
  r = sh(kAssent + " asm " + unverified + " -o " + (dir.path / "loop.acm").string());
  CHECK(r.code == 1);
  CHECK(r.out.find("falls-off-end") != std::string::npos);

  r = sh(kAssent + " run");
  CHECK(r.code == 2);
}

}  // namespace

TEST_CASE("cli: a node refuses --advertise and --proposers it could not use, and says why") {
  TempDir dir;
  const std::string data = " --data " + (dir.path / "node").string();
  auto r = sh(kAssent + " node" + data + " --advertise http://10.0.0.1:8645");
  CHECK(r.code == 1);
  CHECK(r.out == "error: --advertise is for a cluster node (with --etcd)\n");
  for (const char* bad :
       {"10.0.0.1:8645", "ftp://a.example:443", "http://a.example", "http://a.example:0",
        "http://a.example:70000", "http://a b:1", "http://a.example:8645/v1"}) {
    r = sh(kAssent + " node" + data + " --etcd http://127.0.0.1:1 --name a --advertise '" + bad +
           "'");
    CHECK(r.code == 1);
    CHECK(r.out == "error: --advertise: `" + std::string(bad) +
                       "` is not an API address other nodes can use: give https://HOST:PORT (or "
                       "http://HOST:PORT for a node without TLS)\n");
  }
  // The scheme says what the API serves: https:// only with a certificate.
  r = sh(kAssent + " node" + data +
         " --etcd http://127.0.0.1:1 --name a --advertise https://a.example:443");
  CHECK(r.code == 1);
  CHECK(r.out ==
        "error: --advertise https://a.example:443: the API serves plain HTTP: advertise "
        "http://HOST:PORT, or give it a certificate (--tls-cert, --tls-key)\n");
  r = sh(kAssent + " node" + data + " --etcd http://127.0.0.1:1 --name a --host 0.0.0.0");
  CHECK(r.code == 1);
  CHECK(r.out ==
        "error: --host 0.0.0.0 is not an address the other nodes can reach this one at: say "
        "which with --advertise http://HOST:PORT\n");
  const std::string id(64, 'a');
  r = sh(kAssent + " node" + data + " --proposers " + id +
         ",zz --etcd http://127.0.0.1:1 --name a");
  CHECK(r.code == 2);
  CHECK(r.out ==
        "error: --proposers: `zz` is not an identity: give 64 hex digits (the identity `assent "
        "key show FILE` prints)\n");
  r = sh(kAssent + " node" + data + " --proposers " + id);
  CHECK(r.code == 1);
  CHECK(r.out == "error: --proposers is for a cluster node (with --etcd)\n");
  CHECK_FALSE(fs::exists(dir.path / "node"));  // refused before anything is written
}
