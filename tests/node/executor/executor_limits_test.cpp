// What a transaction's or a view's gas buys, on real LMDB stores: bytes written to state stay
// under the bound one maximal transaction may add (stdlib/gas_schedule.hpp), events stop at
// their per-transaction limits, and a view of the largest gas ends in bounded time.
#include <doctest/doctest.h>

#include <chrono>
#include <cstring>

#include "node/executor/executor.hpp"
#include "node/store/events.hpp"
#include "tests/node/node_fixture.hpp"
#include "stdlib/gas_schedule.hpp"
#include "vm/assembler.hpp"

using namespace assent;
using node::Identity;
namespace gas = stdlib::gas;

namespace {

struct Env : testing::TempStore {
  uint64_t height = 0;
  explicit Env(const std::string& name) : TempStore("limits-" + name) {}

  Identity deploy(const std::vector<uint8_t>& module) {
    Identity address{};
    run([&](node::BlockRun& b) {
      auto r = b.deploy(Identity{1}, height, module, {}, gas::kMaxTransactionGas, {});
      REQUIRE_MESSAGE(r.ok(), r.describe());
      address = *r.contract;
    });
    return address;
  }
  template <class Fn>
  void run(Fn&& fn) {
    ++height;
    auto b = exec->begin_block({height, 1'700'000'000 + height});
    REQUIRE(b.ok());
    fn(**b);
    REQUIRE((*b)->finish().ok());
    REQUIRE(!(*b)->commit());
  }
  // One transaction of the largest gas calling `method` with two u64 arguments.
  node::Receipt call(const Identity& c, const std::string& method, uint64_t x, uint64_t y) {
    std::vector<uint8_t> args(16);
    std::memcpy(args.data(), &x, 8);
    std::memcpy(args.data() + 8, &y, 8);
    node::Receipt r;
    run([&](node::BlockRun& b) {
      r = b.call(Identity{1}, c, method, args, gas::kMaxTransactionGas, Identity{9});
    });
    return r;
  }
  // Bytes of the pages the databases use, and the high-water mark of the file (pages ever
  // used): what persists, and what the store's file grew to.
  std::pair<uint64_t, uint64_t> used() {
    auto txn = store->begin_read();
    REQUIRE(txn.ok());
    const auto& d = store->db();
    uint64_t pages = 0, page_size = 0;
    for (MDB_dbi dbi : {d.state, d.contracts, d.code, d.blocks, d.block_index, d.receipts, d.events,
                        d.event_index, d.tree_nodes, d.tree_roots, d.tree_stale, d.meta}) {
      MDB_stat st;
      REQUIRE(mdb_stat(txn->raw(), dbi, &st) == 0);
      pages += st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages;
      page_size = st.ms_psize;
    }
    MDB_envinfo info;
    REQUIRE(mdb_env_info(mdb_txn_env(txn->raw()), &info) == 0);
    return {pages * page_size, (info.me_last_pgno + 1) * page_size};
  }
};

std::vector<uint8_t> module_of(const std::string& source, std::vector<vm::Event> events = {}) {
  auto m = vm::assemble(source);
  REQUIRE_MESSAGE(m.ok(), m.error().describe("test.s"));
  m->abi.events = std::move(events);
  auto bytes = vm::encode_module(*m);
  REQUIRE(bytes.ok());
  return *bytes;
}

// fill(count, size): writes `count` values of `size` bytes (zeros, from the heap) under the
// keys 0, 1, ... (8 bytes each). Per value: 10 instructions and storage.set.
const char* kFill = R"(
.func fill action
    ldxdw r7, [r1+0]
    ldxdw r8, [r1+8]
    mov64 r1, 65536
    syscall vm.heap_grow
    mov64 r6, 0
loop:
    jge r6, r7, done
    stxdw [r10-8], r6
    mov64 r1, r10
    add64 r1, -8
    mov64 r2, 8
    lddw r3, 0x300000000
    mov64 r4, r8
    syscall storage.set
    add64 r6, 1
    ja loop
done:
    mov64 r0, 0
    exit
)";

// emit(count, size): emits `count` events #0 whose data is a `bytes` field of `size` - 4 bytes.
const char* kEmit = R"(
.func emit action
    ldxdw r7, [r1+0]
    ldxdw r8, [r1+8]
    mov64 r1, 16384
    syscall vm.heap_grow
    lddw r1, 0x300000000
    mov64 r2, r8
    sub64 r2, 4
    stxw [r1+0], r2
    mov64 r6, 0
loop:
    jge r6, r7, done
    mov64 r1, 0
    lddw r2, 0x300000000
    mov64 r3, r8
    syscall event.emit
    add64 r6, 1
    ja loop
done:
    mov64 r0, 0
    exit
)";

}  // namespace

TEST_CASE("executor: a maximal transaction writes at most 4 MiB, whatever the size of its values") {
  // 64 KiB values (the largest), and the sizes LMDB rounds up the most: just over a page's
  // inline limit (2,040) and just over one overflow page (4,080).
  for (const uint64_t size : {uint64_t{65536}, uint64_t{2041}, uint64_t{4081}, uint64_t{100}}) {
    CAPTURE(size);
    Env env("fill-" + std::to_string(size));
    const Identity c = env.deploy(module_of(kFill));
    // The gas of `fill`: 5 instructions and vm.heap_grow (10, and a gas per word mapped beyond
    // the 4 KiB every run starts with), then per value
    // the loop's test (1), 9 instructions and storage.set (6,000 + 5 per byte of key and
    // value), and at the end the last test and 2 instructions.
    const uint64_t per_value = 1 + 9 + gas::kStorageWrite + gas::kStateByteGas * (8 + size);
    const uint64_t fixed = 5 + 10 + (65536 - 4096) / 32 + 1 + 2;
    const uint64_t fits = (gas::kMaxTransactionGas - fixed) / per_value;
    CHECK(env.call(c, "fill", 0, size).gas_used == fixed);
    const auto before = env.used();
    const node::Receipt r = env.call(c, "fill", fits, size);
    REQUIRE_MESSAGE(r.ok(), r.describe());
    CHECK(r.gas_used == fixed + fits * per_value);
    const auto after = env.used();
    const uint64_t grew = after.first - before.first, file = after.second - before.second;
    MESSAGE(fits << " values of " << size << " bytes: " << grew
                 << " bytes stored, the file grew by " << file);
    CHECK(grew <= gas::kMaxStateBytesPerTransaction);
    CHECK(file <= gas::kMaxStateBytesPerTransaction);
    if (size == 65536) CHECK(fits == 29);  // 10,000,000 / 333,730 (it was 1,190 at 8,400 each)
    // One more value does not fit: the transaction runs out of gas and writes nothing.
    const node::Receipt over = env.call(c, "fill", fits + 1, size);
    CHECK(over.status == node::ExecOutcome::OutOfGas);
    CHECK(over.gas_used == gas::kMaxTransactionGas);
  }
}

TEST_CASE("executor: a transaction emits at most 1,024 events and 256 KiB of event data") {
  Env env("events");
  std::vector<vm::Event> events{{"Note", {{"data", {vm::TypeTag::Bytes, 0, {}}, false}}}};
  const Identity c = env.deploy(module_of(kEmit, events));
  auto stored_events = [&] {
    auto txn = env.store->begin_read();
    REQUIRE(txn.ok());
    return store::meta_u64(*txn, env.store->db(), "event_seq").value().value_or(0);
  };
  // 9 instructions and vm.heap_grow, then per event the loop's test, 6 instructions and
  // event.emit: 3,000 and 10 per byte of data (8 bytes: a 4-byte length and 4 bytes).
  const node::Receipt ok = env.call(c, "emit", gas::kMaxEventsPerTransaction, 8);
  REQUIRE_MESSAGE(ok.ok(), ok.describe());
  CHECK(ok.events.size() == 1024);
  CHECK(ok.gas_used == 9 + 10 + (16384 - 4096) / 32 +
                           1024 * (1 + 6 + gas::kEventEmit + gas::kEventBytePrice * 8) + 1 + 2);
  CHECK(stored_events() == 1024);

  const node::Receipt over = env.call(c, "emit", gas::kMaxEventsPerTransaction + 1, 8);
  CHECK(over.status == node::ExecOutcome::SyscallFailed);
  CHECK(over.message ==
        "event.emit: a transaction may emit at most 1024 events (docs/syscalls.md, \"Prices and "
        "limits\"); split the work across transactions");
  CHECK(over.events.empty());
  CHECK(stored_events() == 1024);  // none of the failed transaction's

  // 16 events of 16 KiB are the most data a transaction may emit; a 17th is refused.
  REQUIRE(env.call(c, "emit", 16, 16384).ok());
  const node::Receipt big = env.call(c, "emit", 17, 16384);
  CHECK(big.status == node::ExecOutcome::SyscallFailed);
  CHECK(big.message.find("may carry at most 262144 bytes of data, and this one would bring them "
                         "to 278528") != std::string::npos);
  CHECK(stored_events() == 1024 + 16);
}

TEST_CASE("executor: a view of the largest gas ends out of gas, in well under a second") {
  Env env("view");
  // Endless loops of the costliest things a view can do per gas: local calls, and syscalls
  // whose price is mostly time (Ed25519 verification, SHA-256 of 64 KiB, storage reads).
  const Identity c = env.deploy(module_of(R"(
.rodata key hex "0000000000000000000000000000000000000000000000000000000000000000"
; RFC 8032's first test vector: a valid signature of the empty message, so that each
; verification does all its work.
.rodata pub hex "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
.rodata sig hex "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
.func spin view
spin_loop:
    call leaf
    ja spin_loop
.func verify view
verify_loop:
    lddw r1, pub
    lddw r2, key
    mov64 r3, 0
    lddw r4, sig
    syscall crypto.ed25519_verify
    ja verify_loop
.func hash view
    mov64 r1, 65536
    syscall vm.heap_grow
hash_loop:
    lddw r1, 0x300000000
    mov64 r2, 65536
    mov64 r3, r10
    add64 r3, -32
    syscall crypto.sha256
    ja hash_loop
.func read view
read_loop:
    lddw r1, key
    mov64 r2, 32
    mov64 r3, r10
    add64 r3, -64
    mov64 r4, 32
    syscall storage.get
    ja read_loop
.func leaf
    exit
)"));
  auto txn = env.store->begin_read();
  REQUIRE(txn.ok());
  for (const std::string method : {"spin", "verify", "hash", "read"}) {
    CAPTURE(method);
    const auto start = std::chrono::steady_clock::now();
    const node::Receipt r = env.exec->view(*txn, {env.height, 1'700'000'000}, Identity{1}, c,
                                           method, {}, gas::kMaxTransactionGas);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    MESSAGE(std::string(method) << ": 10,000,000 gas in " << ms << " ms");
    CHECK(r.status == node::ExecOutcome::OutOfGas);
    CHECK(r.gas_used == gas::kMaxTransactionGas);
    CHECK(ms < 1000);
  }
}
