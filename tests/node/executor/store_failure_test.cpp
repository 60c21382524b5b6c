// A store that fails under a contract: storage.get, storage.has and storage.next that meet an
// LMDB error trap the call with the store's message, never read as a missing key, and in a
// block they fail the block (BlockRun cannot be finished or committed).
#include <doctest/doctest.h>

#include "compiler/compile.hpp"
#include "node/executor/executor.hpp"
#include "tests/node/node_fixture.hpp"
#include "vm/assembler.hpp"

using namespace assent;
using node::Identity;

namespace {

const char* kReader = R"(
contract Reader {
    storage { a: u64; }
    action set(v: u64) { a = v; }
    action read() -> u64 { return a; }
    view get() -> u64 { return a; }
}
)";

// has: storage.has of "k"; next: storage.next under "k".
const char* kProbe = R"(
.rodata key "k"
.func has view
    lddw r1, key
    mov64 r2, 1
    syscall storage.has
    exit
.func next view
    lddw r1, key
    mov64 r2, 1
    mov64 r3, 0
    mov64 r4, 0
    lddw r5, 0x300000100
    syscall storage.next
    mov64 r0, 0
    exit
)";

std::vector<uint8_t> compiled(const std::string& source) {
  auto c = compiler::compile("test.assent", source);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  return c.bytes;
}

std::vector<uint8_t> assembled(const std::string& source) {
  auto m = vm::assemble(source);
  REQUIRE_MESSAGE(m.ok(), m.error().describe("test.s"));
  auto bytes = vm::encode_module(*m);
  REQUIRE(bytes.ok());
  return *bytes;
}

struct Bed : testing::TempStore {
  uint64_t height = 0;
  Bed() : TempStore("store-failure") {}

  Identity deploy(const std::vector<uint8_t>& module, uint64_t nonce) {
    auto b = exec->begin_block({++height, 1'700'000'000});
    REQUIRE(b.ok());
    auto r = (*b)->deploy(Identity{1}, nonce, module, {}, 10'000'000, {});
    REQUIRE_MESSAGE(r.ok(), r.describe());
    REQUIRE((*b)->finish().ok());
    REQUIRE_FALSE((*b)->commit());
    return *r.contract;
  }
  node::Receipt view(const Identity& contract, const std::string& method) {
    auto txn = store->begin_read();
    REQUIRE(txn.ok());
    return exec->view(*txn, {height, 1'700'000'000}, Identity{1}, contract, method, {}, 1'000'000);
  }
};

}  // namespace

TEST_CASE("store failure: a contract's read that meets an LMDB error fails the block") {
  Bed bed;
  const Identity reader = bed.deploy(compiled(kReader), 0);
  {
    auto b = bed.exec->begin_block({++bed.height, 1'700'000'000});
    REQUIRE(b.ok());
    REQUIRE((*b)->call(Identity{1}, reader, "set", std::vector<uint8_t>(8, 7), 1'000'000, {}).ok());
    REQUIRE((*b)->finish().ok());
    REQUIRE_FALSE((*b)->commit());
  }
  bed.break_contract_state();

  auto b = bed.exec->begin_block({++bed.height, 1'700'000'000});
  REQUIRE(b.ok());
  const node::Receipt r = (*b)->call(Identity{1}, reader, "read", {}, 1'000'000, Identity{9});
  CHECK_FALSE(r.ok());
  CHECK(r.message.find("the store failed: mdb_get: ") != std::string::npos);
  REQUIRE((*b)->store_failure().has_value());
  CHECK((*b)->store_failure()->code == EINVAL);
  // The block cannot be finished nor committed: its state is not what its calls made.
  auto root = (*b)->finish();
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().code == EINVAL);
  CHECK((*b)->commit().has_value());
}

TEST_CASE(
    "store failure: a view's storage.get, storage.has and storage.next say the store failed") {
  Bed bed;
  const Identity reader = bed.deploy(compiled(kReader), 0);
  const Identity probe = bed.deploy(assembled(kProbe), 1);
  REQUIRE(bed.view(reader, "get").ok());
  REQUIRE(bed.view(probe, "has").ok());
  REQUIRE(bed.view(probe, "next").ok());
  bed.break_contract_state();

  node::Receipt r = bed.view(reader, "get");
  CHECK_FALSE(r.ok());
  CHECK(r.message.rfind("the store failed: mdb_get: ", 0) == 0);
  r = bed.view(probe, "has");
  CHECK_FALSE(r.ok());
  CHECK(r.message.rfind("the store failed: mdb_get: ", 0) == 0);
  r = bed.view(probe, "next");
  CHECK_FALSE(r.ok());
  CHECK(r.message.rfind("the store failed: mdb_cursor_open: ", 0) == 0);
}
