// The executor against real LMDB stores: exact gas, reverts, nested calls, iteration
// order, event indexes, concurrent readers, and state roots that agree across stores.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "compiler/compile.hpp"
#include "node/executor/executor.hpp"
#include "node/store/events.hpp"
#include "tests/node/node_fixture.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/assembler.hpp"
#include "vm/hex.hpp"

namespace fs = std::filesystem;
using namespace assent;
using node::Identity;

namespace {

struct Env : testing::TempStore {
  uint64_t height = 0;

  explicit Env(const std::string& name, node::ExecutorConfig config = {})
      : TempStore("exec-" + name, config) {}
  uint64_t time() const { return 1'700'000'000 + height * 5; }

  // Runs `fn` in a new block and commits it; returns the block's state root.
  template <class Fn>
  store::Hash block(Fn&& fn) {
    ++height;
    auto b = exec->begin_block({height, time()});
    REQUIRE(b.ok());
    fn(**b);
    auto root = (*b)->finish();
    REQUIRE(root.ok());
    REQUIRE(!(*b)->commit());
    return *root;
  }
  Identity deploy(const std::vector<uint8_t>& module, uint64_t nonce = 0) {
    Identity address{};
    block([&](node::BlockRun& b) {
      auto r = b.deploy(Identity{1}, nonce, module, {}, 10'000'000, {});
      REQUIRE_MESSAGE(r.ok(), r.describe());
      address = *r.contract;
    });
    return address;
  }
  node::Receipt call(const Identity& contract, const std::string& method,
                     const std::vector<uint8_t>& args = {}, const Identity& caller = Identity{1}) {
    node::Receipt out;
    block([&](node::BlockRun& b) {
      out = b.call(caller, contract, method, args, 10'000'000, Identity{9});
    });
    return out;
  }
  node::Receipt view(const Identity& contract, const std::string& method,
                     const std::vector<uint8_t>& args = {}) {
    auto txn = store->begin_read();
    REQUIRE(txn.ok());
    return exec->view(*txn, {height, time()}, Identity{1}, contract, method, args, 10'000'000);
  }
};

std::vector<uint8_t> compile(const std::string& source) {
  auto c = compiler::compile("test.assent", source);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  return c.bytes;
}

std::vector<uint8_t> assemble(const std::string& source) {
  auto m = vm::assemble(source);
  REQUIRE_MESSAGE(m.ok(), m.error().describe("test.s"));
  auto bytes = vm::encode_module(*m);
  REQUIRE(bytes.ok());
  return *bytes;
}

uint64_t u64_result(const node::Receipt& r) {
  REQUIRE(r.return_data.size() == 8);
  uint64_t v;
  std::memcpy(&v, r.return_data.data(), 8);
  return v;
}

const char* kCounter = R"(
contract Counter {
    storage { a: u64; b: u64; }
    event Bumped(indexed by: identity, value: u64);
    action bump() -> u64 { a += 1; b += 1; emit Bumped(caller, a); return a; }
    action bump_then_fail() { a += 1; require(false, "no"); }
    view pair_equal() -> bool { return a == b; }
    view get() -> u64 { return a; }
}
)";

}  // namespace

TEST_CASE("executor: gas is exact: instructions plus each syscall's cost") {
  Env env("gas");
  // 7 instructions and storage.set of an 8-byte key and value: 6,000 + 5 per byte of them.
  const auto module = assemble(R"(
.rodata key "key00001"
.rodata value "value001"
.func put action
    lddw r1, key
    mov64 r2, 8
    lddw r3, value
    mov64 r4, 8
    syscall storage.set
    mov64 r0, 0
    exit
)");
  const Identity c = env.deploy(module);
  const node::Receipt r = env.call(c, "put");
  REQUIRE(r.ok());
  CHECK(r.gas_used == 7 + 6000 + 5 * 16);
  // Deployment costs 5 gas per byte of code and of one state entry (1,200 bytes), and `init`,
  // when there is one.
  node::Receipt deployed;
  env.block(
      [&](node::BlockRun& b) { deployed = b.deploy(Identity{2}, 0, module, {}, 10'000'000, {}); });
  CHECK(deployed.gas_used == 5 * (module.size() + 1200));
  env.block([&](node::BlockRun& b) {
    deployed = b.deploy(Identity{2}, 1, module, {}, 5 * (module.size() + 1200) - 1, {});
  });
  CHECK(deployed.status == node::ExecOutcome::OutOfGas);
}

TEST_CASE("executor: a failed call leaves no state, no events and the same root") {
  Env env("revert");
  const Identity c = env.deploy(compile(kCounter));
  REQUIRE(env.call(c, "bump").ok());
  const store::Hash before = env.block([](node::BlockRun&) {});
  const node::Receipt failed = env.call(c, "bump_then_fail");
  CHECK(failed.status == node::ExecOutcome::Aborted);
  CHECK(failed.message == "no");
  CHECK(failed.line == 6);
  CHECK(failed.events.empty());
  CHECK(u64_result(env.view(c, "get")) == 1);
  const store::Hash after = env.block([](node::BlockRun&) {});
  CHECK(after == before);
  auto txn = env.store->begin_read();
  REQUIRE(txn.ok());
  store::EventQuery q;
  q.key = c;
  CHECK(store::query_events(*txn, env.store->db(), q)->events.size() == 1);
}

TEST_CASE("executor: nested calls commit with their caller, and revert with it") {
  Env env("nested");
  const Identity inner = env.deploy(compile(R"(
contract Inner {
    storage { hits: u64; }
    action hit() -> u64 { hits += 1; return hits; }
    view get() -> u64 { return hits; }
}
)"));
  const Identity outer = env.deploy(compile(R"(
interface Inner { action hit() -> u64; }
contract Outer {
    action call_ok(target: identity) -> u64 { return Inner(target).hit(); }
    action call_then_fail(target: identity) { let n = Inner(target).hit(); require(n > 100, "too few hits"); }
}
)"),
                                    1);
  const std::vector<uint8_t> arg(inner.begin(), inner.end());
  node::Receipt r = env.call(outer, "call_ok", arg);
  REQUIRE_MESSAGE(r.ok(), r.describe());
  CHECK(u64_result(r) == 1);
  r = env.call(outer, "call_then_fail", arg);
  CHECK(r.status == node::ExecOutcome::Aborted);
  CHECK(r.message == "too few hits");
  CHECK(u64_result(env.view(inner, "get")) == 1);  // the inner write went with the outer failure
}

TEST_CASE("executor: storage.next walks a contract's keys in byte order, within its prefix") {
  Env env("iterate");
  const auto module = assemble(R"(
.rodata k3 "k3"
.rodata k1 "k1"
.rodata k2 "k2"
.rodata j9 "j9"
.rodata prefix "k"
.func fill action
    lddw r1, k3
    mov64 r2, 2
    lddw r3, k3
    mov64 r4, 2
    syscall storage.set
    lddw r1, j9
    mov64 r2, 2
    lddw r3, j9
    mov64 r4, 2
    syscall storage.set
    lddw r1, k1
    mov64 r2, 2
    lddw r3, k1
    mov64 r4, 2
    syscall storage.set
    lddw r1, k2
    mov64 r2, 2
    lddw r3, k2
    mov64 r4, 2
    syscall storage.set
    mov64 r0, 0
    exit
; walk: returns the second byte of every key under "k", in order
.func walk view
    lddw r6, 0x300000100     ; cursor: the last key found
    mov64 r7, 0              ; its length
    lddw r8, 0x300000200     ; output
    mov64 r9, 0              ; output length
loop:
    lddw r1, prefix
    mov64 r2, 1
    mov64 r3, r6
    mov64 r4, r7
    mov64 r5, r6
    syscall storage.next
    jeq r0, -1, done
    mov64 r7, r0
    ldxb r1, [r6+1]
    mov64 r2, r8
    add64 r2, r9
    stxb [r2+0], r1
    add64 r9, 1
    ja loop
done:
    mov64 r1, r8
    mov64 r2, r9
    syscall vm.set_return
    mov64 r0, 0
    exit
)");
  const Identity c = env.deploy(module);
  REQUIRE(env.call(c, "fill").ok());
  const node::Receipt r = env.view(c, "walk");
  REQUIRE_MESSAGE(r.ok(), r.describe());
  CHECK(std::string(r.return_data.begin(), r.return_data.end()) == "123");
}

TEST_CASE("executor: events are indexed by contract, name and identity, with paging and time") {
  Env env("events");
  const Identity c = env.deploy(compile(kCounter));
  const Identity alice{0xa1}, bob{0xb0};
  for (int i = 0; i < 5; ++i)
    REQUIRE(env.call(c, "bump", {}, i % 2 ? bob : alice).ok());
  auto txn = env.store->begin_read();
  REQUIRE(txn.ok());
  store::EventQuery q;
  q.key = c;
  auto all = store::query_events(*txn, env.store->db(), q)->events;
  REQUIRE(all.size() == 5);
  CHECK(all[0].event.name == "Bumped");
  CHECK(all[0].seq < all[4].seq);
  q.by = store::EventQuery::By::Name;
  q.name = "Bumped";
  CHECK(store::query_events(*txn, env.store->db(), q)->events.size() == 5);
  q.name = "Other";
  CHECK(store::query_events(*txn, env.store->db(), q)->events.empty());
  q.by = store::EventQuery::By::Identity;
  q.key = bob;
  auto about_bob = store::query_events(*txn, env.store->db(), q)->events;
  CHECK(about_bob.size() == 2);
  q.key = alice;
  q.limit = 2;
  auto page1 = store::query_events(*txn, env.store->db(), q)->events;
  REQUIRE(page1.size() == 2);
  q.after = page1.back().seq;
  auto page2 = store::query_events(*txn, env.store->db(), q)->events;
  CHECK(page2.size() == 1);
  q = store::EventQuery{};
  q.key = c;
  q.from_time = all[1].event.time;
  q.to_time = all[2].event.time;
  CHECK(store::query_events(*txn, env.store->db(), q)->events.size() == 2);
  // The data decodes with the contract's ABI.
  auto m = vm::read_module(compile(kCounter));
  REQUIRE(m.ok());
  auto json = abi::fields_to_json(m->abi.events[0].fields, m->abi, all[4].event.data);
  REQUIRE(json.ok());
  CHECK((*json)["value"] == 5);
}

TEST_CASE("executor: readers see whole blocks while blocks are written") {
  Env env("readers");
  const Identity c = env.deploy(compile(kCounter));
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, torn{0};
  auto reader = [&] {
    uint64_t last_seen = 0;  // per thread: each thread's snapshots only move forward
    while (!stop) {
      auto txn = env.store->begin_read();
      REQUIRE(txn.ok());
      const node::Receipt r =
          env.exec->view(*txn, {1, 1}, Identity{1}, c, "pair_equal", {}, 1'000'000);
      if (!r.ok() || r.return_data != std::vector<uint8_t>{1}) ++torn;
      const node::Receipt g = env.exec->view(*txn, {1, 1}, Identity{1}, c, "get", {}, 1'000'000);
      if (g.ok()) {
        const uint64_t v = u64_result(g);
        if (v < last_seen) ++torn;  // snapshots never go back in time
        last_seen = v;
      }
      ++reads;
    }
  };
  std::thread t1(reader), t2(reader);
  for (int i = 0; i < 200; ++i)
    REQUIRE(env.call(c, "bump").ok());
  stop = true;
  t1.join();
  t2.join();
  CHECK(torn == 0);
  CHECK(reads > 0);
  CHECK(u64_result(env.view(c, "get")) == 200);
}

TEST_CASE("executor: two stores fed the same blocks have the same state roots") {
  // b prunes its state tree to the last two versions, at every block: roots are the same.
  node::ExecutorConfig pruning;
  pruning.keep_versions = 2;
  pruning.prune_every = 1;
  Env a("same-a"), b("same-b", pruning);
  const auto module = compile(kCounter);
  const Identity ca = a.deploy(module), cb = b.deploy(module);
  CHECK(ca == cb);
  for (int i = 0; i < 10; ++i) {
    store::Hash ra = a.block([&](node::BlockRun& run) {
      REQUIRE(run.call(Identity{1}, ca, "bump", {}, 1'000'000, {}).ok());
    });
    store::Hash rb = b.block([&](node::BlockRun& run) {
      REQUIRE(run.call(Identity{1}, cb, "bump", {}, 1'000'000, {}).ok());
    });
    CHECK(ra == rb);
    CHECK(ra != store::Hash{});
  }
  {
    auto ta = a.store->begin_read(), tb = b.store->begin_read();
    REQUIRE(ta.ok());
    REQUIRE(tb.ok());
    CHECK(b.store->tree().oldest_version(*tb).value() == b.height - 1);
    CHECK(a.store->tree().oldest_version(*ta).value() == 1);
    CHECK(tb->entries(b.store->db().tree_nodes).value() <
          ta->entries(a.store->db().tree_nodes).value());
    const uint8_t key_a[] = {1};
    const store::Hash leaf = node::Executor::state_leaf_key(cb, key_a);
    CHECK(b.store->tree().prove(*tb, b.height, leaf).ok());
    CHECK_FALSE(b.store->tree().prove(*tb, b.height - 2, leaf).ok());
  }
  // A different history gives a different root.
  store::Hash ra = a.block([&](node::BlockRun& run) {
    REQUIRE(run.call(Identity{1}, ca, "bump", {}, 1'000'000, {}).ok());
  });
  store::Hash rb = b.block([](node::BlockRun&) {});
  CHECK(ra != rb);
  // And a key's value is proved against the root.
  auto txn = a.store->begin_read();
  REQUIRE(txn.ok());
  const uint8_t key_a[] = {1};  // storage field `a` is field 1
  const store::Hash leaf = node::Executor::state_leaf_key(ca, key_a);
  auto proof = a.store->tree().prove(*txn, a.height, leaf);
  REQUIRE(proof.ok());
  auto value = txn->get(a.store->db().state, [&] {
    std::vector<uint8_t> k(ca.begin(), ca.end());
    k.push_back(1);
    return k;
  }());
  REQUIRE(value.ok());
  REQUIRE(value->has_value());
  CHECK(store::verify_proof(ra, leaf, stdlib::sha256(**value), *proof));
}

TEST_CASE("executor: calls to what is not there fail with a clear message") {
  Env env("missing");
  const Identity c = env.deploy(compile(kCounter));
  node::Receipt r = env.call(c, "nope");
  CHECK(r.status == node::ExecOutcome::NoMethod);
  CHECK(r.message ==
        "the contract has no method `nope`; it has: bump, bump_then_fail, pair_equal, get");
  r = env.call(Identity{7}, "bump");
  CHECK(r.status == node::ExecOutcome::NoContract);
  CHECK(r.message.rfind("no contract at 07", 0) == 0);
  r = env.view(c, "bump");
  CHECK(r.status == node::ExecOutcome::NotAView);
  CHECK(r.message == "`bump` is an action; it cannot run as a view");
  node::Receipt bad;
  env.block([&](node::BlockRun& b) {
    bad = b.deploy(Identity{1}, 5, std::vector<uint8_t>{1, 2, 3}, {}, 1'000'000, {});
  });
  CHECK(bad.status == node::ExecOutcome::ModuleRejected);
  CHECK(bad.message.rfind("module rejected: bad-magic", 0) == 0);
  env.block([&](node::BlockRun& b) {
    bad = b.deploy(Identity{1}, 0, compile(kCounter), {}, 1'000'000, {});
  });
  CHECK(bad.status == node::ExecOutcome::ContractExists);
  CHECK(bad.message.rfind("a contract already exists at", 0) == 0);
  CHECK(bad.describe().rfind("contract-exists: a contract already exists at", 0) == 0);
  env.block([&](node::BlockRun& b) {
    bad = b.deploy(Identity{1}, 6, compile(kCounter), std::vector<uint8_t>{1}, 1'000'000, {});
  });
  CHECK(bad.status == node::ExecOutcome::NoInit);
}
