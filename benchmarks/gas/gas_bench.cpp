// Gas against time: how long one gas lasts when plain instructions spend it and when each
// syscall does, on a real LMDB store, so that the prices of stdlib/gas_schedule.hpp can be
// checked (docs/syscalls.md, "Gas"). Each case is an assembled loop that calls one thing N
// times; its time per gas is compared with that of a loop of plain ALU instructions, measured
// in the same process. Writes run in a block, state root and commit included; reads run as
// views on a read transaction, as the API runs them.
//
//   build/benchmarks/gas/gas_bench            all cases
//   build/benchmarks/gas/gas_bench sha256     the cases whose name contains `sha256`
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "harness.hpp"
#include "node/executor/executor.hpp"
#include "vm/assembler.hpp"
#include "vm/hex.hpp"

namespace fs = std::filesystem;
using namespace assent;
using node::Identity;

namespace {

struct Bench {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<node::Executor> exec;
  uint64_t height = 0;
  uint64_t nonce = 0;

  Bench() : dir(fs::temp_directory_path() / ("assent-gas-bench-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    auto s = store::Store::open(dir.string(), {std::size_t{8} << 30, false});
    if (!s.ok()) throw std::runtime_error(s.error().message);
    store = std::move(s).value();
    exec = std::make_unique<node::Executor>(*store);
  }
  ~Bench() {
    exec.reset();
    store.reset();
    fs::remove_all(dir);
  }

  // Runs `fn` in a block and commits it.
  template <class Fn>
  void block(Fn&& fn) {
    auto b = exec->begin_block({++height, 1'700'000'000 + height});
    if (!b.ok()) throw std::runtime_error(b.error().message);
    fn(**b);
    if (!(*b)->finish().ok() || (*b)->commit()) throw std::runtime_error("commit failed");
  }
  Identity deploy(const std::vector<uint8_t>& module) {
    Identity address{};
    block([&](node::BlockRun& b) {
      auto r = b.deploy(Identity{1}, ++nonce, module, {}, 1'000'000'000, {});
      if (!r.ok()) throw std::runtime_error("deploy: " + r.describe());
      address = *r.contract;
    });
    return address;
  }
  node::Receipt action(const Identity& c, const std::string& method, uint64_t gas) {
    node::Receipt r;
    block([&](node::BlockRun& b) { r = b.call(Identity{1}, c, method, {}, gas, Identity{9}); });
    return r;
  }
  // Bytes of the pages the store's databases use (free pages not counted): what persists.
  uint64_t used_bytes() {
    auto txn = store->begin_read();
    if (!txn.ok()) throw std::runtime_error(txn.error().message);
    const auto& d = store->db();
    uint64_t total = 0;
    for (MDB_dbi dbi : {d.state, d.contracts, d.code, d.blocks, d.block_index, d.receipts, d.events,
                        d.event_index, d.tree_nodes, d.tree_roots, d.tree_stale, d.meta}) {
      MDB_stat st;
      if (mdb_stat(txn->raw(), dbi, &st) != 0) throw std::runtime_error("mdb_stat failed");
      total += (st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) * st.ms_psize;
    }
    return total;
  }
  node::Receipt view(const Identity& c, const std::string& method, uint64_t gas) {
    auto txn = store->begin_read();
    if (!txn.ok()) throw std::runtime_error(txn.error().message);
    return exec->view(*txn, {height, 1'700'000'000 + height}, Identity{1}, c, method, {}, gas);
  }
};

std::vector<uint8_t> module_of(const std::string& source, const std::vector<vm::Event>& events) {
  auto m = vm::assemble(source);
  if (!m.ok()) throw std::runtime_error(m.error().describe("bench.s") + "\n" + source);
  m->abi.events = events;
  auto bytes = vm::encode_module(*m);
  if (!bytes.ok()) throw std::runtime_error(bytes.error().describe());
  return *bytes;
}

// A function `name` of kind `kind` that runs `setup` once, then `body` `n` times with the
// iteration number in r6 (r7-r9 are the body's).
std::string loop(const std::string& name, const char* kind, uint64_t n, const std::string& body,
                 const std::string& setup = "") {
  return ".func " + name + " " + kind + "\n" + setup + "    mov64 r6, 0\n" + name + "_loop:\n" +
         body + "    add64 r6, 1\n    jlt r6, " + std::to_string(n) + ", " + name +
         "_loop\n    mov64 r0, 0\n    exit\n";
}

// An Ed25519 key, message and valid signature, from a fixed seed.
std::string ed25519_rodata() {
  uint8_t seed[32];
  for (int i = 0; i < 32; ++i)
    seed[i] = static_cast<uint8_t>(i + 1);
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, 32);
  uint8_t pub[32], msg[32] = {7}, sig[64];
  size_t pub_len = 32, sig_len = 64;
  EVP_PKEY_get_raw_public_key(key, pub, &pub_len);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(md, sig, &sig_len, msg, 32);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return ".rodata pub hex \"" + to_hex(std::span<const uint8_t>(pub, 32)) + "\"\n" +
         ".rodata msg hex \"" + to_hex(std::span<const uint8_t>(msg, 32)) + "\"\n" +
         ".rodata sig hex \"" + to_hex(std::span<const uint8_t>(sig, 64)) + "\"\n";
}

struct Case {
  std::string name;
  const char* kind;  // "view" or "action"
  uint64_t n;
  std::string body, setup;
};

int run(const std::string& filter) {
  Bench b;
  const std::string key8 =
      "    stxdw [r10-8], r6\n    mov64 r1, r10\n    add64 r1, -8\n    mov64 r2, 8\n";
  const std::string grow64k = "    mov64 r1, 65536\n    syscall vm.heap_grow\n";
  const std::string grow16k =
      "    mov64 r1, 16384\n    syscall vm.heap_grow\n    lddw r1, 0x300000000\n"
      "    mov64 r2, 16380\n    stxw [r1+0], r2\n";
  const uint64_t populated = bench::pick(4096, 256);  // small keys the reads find
  std::vector<Case> cases = {
      {"alu", "view", 2'000'000,
       "    add64 r7, r6\n    xor64 r7, 5\n    mul64 r7, 3\n    rsh64 r7, 1\n", ""},
      {"memory", "view", 2'000'000,
       "    stxdw [r10-8], r6\n    ldxdw r7, [r10-8]\n    stxdw [r10-16], r7\n"
       "    ldxdw r8, [r10-16]\n",
       ""},
      {"division", "view", 2'000'000,
       "    mov64 r7, r6\n    div64 r7, 7\n    mod64 r7, 3\n    sdiv64 r7, 3\n", ""},
      {"local call", "view", 1'000'000, "    call leaf\n", ""},
      {"ctx.now", "view", 1'000'000, "    syscall ctx.now\n", ""},
      {"ctx.caller", "view", 1'000'000,
       "    mov64 r1, r10\n    add64 r1, -32\n    syscall ctx.caller\n", ""},
      {"vm.set_return 8 B", "view", 1'000'000,
       "    mov64 r1, r10\n    add64 r1, -8\n    mov64 r2, 8\n    syscall vm.set_return\n", ""},
      {"u256.mul", "view", 500'000,
       "    lddw r1, big\n    lddw r2, big\n    mov64 r3, r10\n    add64 r3, -32\n"
       "    syscall u256.mul\n",
       ""},
      {"u256.div", "view", 500'000,
       "    lddw r1, big\n    lddw r2, small\n    mov64 r3, r10\n    add64 r3, -32\n"
       "    syscall u256.div\n",
       ""},
      {"u256.add", "view", 500'000,
       "    lddw r1, big\n    lddw r2, small\n    mov64 r3, r10\n    add64 r3, -32\n"
       "    syscall u256.add\n",
       ""},
      {"u256.cmp", "view", 500'000, "    lddw r1, big\n    lddw r2, small\n    syscall u256.cmp\n",
       ""},
      {"crypto.sha256 32 B", "view", 300'000,
       "    lddw r1, msg\n    mov64 r2, 32\n    mov64 r3, r10\n    add64 r3, -32\n"
       "    syscall crypto.sha256\n",
       ""},
      {"crypto.sha256 64 KiB", "view", 300,
       "    lddw r1, 0x300000000\n    mov64 r2, 65536\n    mov64 r3, r10\n    add64 r3, -32\n"
       "    syscall crypto.sha256\n",
       grow64k},
      {"crypto.ed25519_verify", "view", 2'000,
       "    lddw r1, pub\n    lddw r2, msg\n    mov64 r3, 32\n    lddw r4, sig\n"
       "    syscall crypto.ed25519_verify\n",
       ""},
      {"storage.get 8 B key, 32 B value", "view", 500'000,
       "    mov64 r7, r6\n    mod64 r7, " + std::to_string(populated) +
           "\n    stxdw [r10-8], r7\n    mov64 r1, r10\n    add64 r1, -8\n    mov64 r2, 8\n"
           "    mov64 r3, r10\n    add64 r3, -64\n    mov64 r4, 32\n    syscall storage.get\n",
       ""},
      {"storage.get absent", "view", 500'000,
       "    add64 r7, 1000000\n    stxdw [r10-8], r7\n    mov64 r1, r10\n    add64 r1, -8\n"
       "    mov64 r2, 8\n    mov64 r3, r10\n    add64 r3, -64\n    mov64 r4, 32\n"
       "    syscall storage.get\n",
       ""},
      {"storage.get 64 KiB value", "view", 2'000,
       "    mov64 r7, r6\n    mod64 r7, 8\n    add64 r7, 100000\n    stxdw [r10-8], r7\n"
       "    mov64 r1, r10\n    add64 r1, -8\n    mov64 r2, 8\n    lddw r3, 0x300000000\n"
       "    mov64 r4, 65536\n    syscall storage.get\n",
       grow64k},
      {"storage.has", "view", 500'000,
       "    mov64 r7, r6\n    mod64 r7, " + std::to_string(populated) +
           "\n    stxdw [r10-8], r7\n    mov64 r1, r10\n    add64 r1, -8\n    mov64 r2, 8\n"
           "    syscall storage.has\n",
       ""},
      {"storage.next", "view", 500'000,
       "    mov64 r1, r10\n    add64 r1, -512\n    mov64 r2, 0\n    mov64 r3, r10\n"
       "    add64 r3, -256\n    mov64 r4, r8\n    mov64 r5, r10\n    add64 r5, -256\n"
       "    syscall storage.next\n    mov64 r8, r0\n    jne r0, -1, +1\n    mov64 r8, 0\n",
       "    mov64 r8, 0\n"},
      {"storage.set 8 B key, 32 B value, new keys", "action", 20'000,
       key8 + "    lddw r3, msg\n    mov64 r4, 32\n    syscall storage.set\n", ""},
      {"storage.set 8 B key, 32 B value, same key", "action", 100'000,
       "    lddw r1, msg\n    mov64 r2, 8\n    lddw r3, msg\n    mov64 r4, 32\n"
       "    syscall storage.set\n",
       ""},
      {"storage.set 8 B key, 64 KiB value, new keys", "action", 200,
       key8 + "    lddw r3, 0x300000000\n    mov64 r4, 65536\n    syscall storage.set\n", grow64k},
      {"storage.remove absent keys", "action", 20'000, key8 + "    syscall storage.remove\n", ""},
      {"event.emit 8 B", "action", 1'000,
       "    stxdw [r10-8], r6\n    mov64 r1, 0\n    mov64 r2, r10\n    add64 r2, -8\n"
       "    mov64 r3, 8\n    syscall event.emit\n",
       ""},
      {"event.emit 16 KiB", "action", 16,
       "    mov64 r1, 1\n    lddw r2, 0x300000000\n    mov64 r3, 16384\n    syscall event.emit\n",
       grow16k},
      {"event.emit 3 indexed identities", "action", 1'000,
       "    mov64 r1, 2\n    lddw r2, 0x300000000\n    mov64 r3, 96\n    syscall event.emit\n",
       grow64k},
      {"call.view", "view", 100'000,
       "    lddw r1, callee\n    lddw r2, get\n    mov64 r3, 3\n    mov64 r4, 0\n    mov64 r5, 0\n"
       "    syscall call.view\n",
       ""},
      {"call.action", "action", 20'000,
       "    lddw r1, callee\n    lddw r2, poke\n    mov64 r3, 4\n    mov64 r4, 0\n"
       "    mov64 r5, 0\n    syscall call.action\n",
       ""},
  };
  for (auto& c : cases)
    c.n = bench::pick(c.n, std::max<uint64_t>(1, c.n / 1000));

  // Events: #0 one u64, #1 bytes, #2 three indexed identities (the most a module may index).
  std::vector<vm::Event> events(3);
  events[0] = {"Small", {{"v", {vm::TypeTag::U64, 0, {}}, false}}};
  events[1] = {"Big", {{"data", {vm::TypeTag::Bytes, 0, {}}, false}}};
  events[2].name = "Many";
  for (int i = 0; i < 3; ++i)
    events[2].fields.push_back({"who" + std::to_string(i), {vm::TypeTag::Identity, 0, {}}, true});

  const Identity callee = b.deploy(module_of(
      ".func get view\n    mov64 r0, 0\n    exit\n.func poke action\n    mov64 r0, 0\n    exit\n",
      {}));
  std::string rodata = ed25519_rodata() + ".rodata callee hex \"" + to_hex(callee) + "\"\n" +
                       ".rodata get \"get\"\n.rodata poke \"poke\"\n" + ".rodata big hex \"" +
                       std::string(30, 'f') + std::string(34, '0') + "\"\n" +
                       ".rodata small hex \"07" + std::string(62, '0') + "\"\n";

  // One contract holds every view (and the state they read); writes get a fresh one per run.
  std::string views = rodata;
  for (const auto& c : cases)
    if (std::string(c.kind) == "view")
      views += loop("v" + std::to_string(&c - &cases[0]), "view", c.n, c.body, c.setup);
  views += loop("populate", "action", populated,
                key8 + "    lddw r3, msg\n    mov64 r4, 32\n    syscall storage.set\n") +
           loop("populate_big", "action", 8,
                "    mov64 r7, r6\n    add64 r7, 100000\n    stxdw [r10-8], r7\n    mov64 r1, r10\n"
                "    add64 r1, -8\n    mov64 r2, 8\n    lddw r3, 0x300000000\n"
                "    mov64 r4, 65536\n    syscall storage.set\n",
                grow64k) +
           ".func leaf\n    mov64 r0, 1\n    exit\n";
  const Identity reader = b.deploy(module_of(views, events));
  for (const char* m : {"populate", "populate_big"})
    if (!b.action(reader, m, 1'000'000'000).ok()) throw std::runtime_error(m);

  std::printf(
      "Gas against time: each case's time per gas against plain instructions' (alu), real "
      "LMDB store\n\n");
  bench::Table table({"case", "calls", "gas per call", "ns per call", "ns per gas",
                      "vs plain instructions", "store bytes per call"});
  double baseline = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    if (!filter.empty() && c.name.find(filter) == std::string::npos && i != 0) continue;
    const bool view = std::string(c.kind) == "view";
    node::Receipt r;
    double seconds;
    std::string stored = "";
    if (view) {
      const std::string method = "v" + std::to_string(i);
      seconds = bench::median_seconds(5, [&] { r = b.view(reader, method, 1'000'000'000'000); });
    } else {
      const auto module = module_of(
          rodata + loop("run", "action", c.n, c.body, c.setup) + ".func leaf\n    exit\n", events);
      const int runs = bench::pick(3, 1);
      std::vector<Identity> fresh;
      for (int k = 0; k < runs; ++k)
        fresh.push_back(b.deploy(module));
      int k = 0;
      const uint64_t before = b.used_bytes();
      seconds =
          bench::median_seconds(runs, [&] { r = b.action(fresh[k++], "run", 1'000'000'000'000); });
      stored = bench::fmt(
          "%.0f", static_cast<double>(b.used_bytes() - before) / runs / static_cast<double>(c.n));
    }
    if (!r.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name.c_str(), r.describe().c_str());
      return 1;
    }
    const double ns_per_gas = seconds * 1e9 / static_cast<double>(r.gas_used);
    if (i == 0) baseline = ns_per_gas;
    table.row({c.name, std::to_string(c.n),
               bench::fmt("%.1f", static_cast<double>(r.gas_used) / static_cast<double>(c.n)),
               bench::fmt("%.0f", seconds * 1e9 / static_cast<double>(c.n)),
               bench::fmt("%.2f", ns_per_gas), bench::fmt("%.2fx", ns_per_gas / baseline), stored});
  }
  // Deploying: the code is stored and verified; its gas is charged by its size.
  if (filter.empty() || std::string("deploy").find(filter) != std::string::npos) {
    std::string big = ".rodata blob hex \"" + std::string(2 * bench::pick(200'000, 20'000), 'a') +
                      "\"\n.func run action\n";
    for (int i = 0; i < bench::pick(30'000, 3'000); ++i)
      big += "    mov64 r0, " + std::to_string(i) + "\n";
    big += "    exit\n";
    const auto module = module_of(big, {});
    node::Receipt r;
    const int runs = bench::pick(3, 1);
    const uint64_t before = b.used_bytes();
    const double seconds = bench::median_seconds(runs, [&] {
      b.block([&](node::BlockRun& run) {
        r = run.deploy(Identity{3}, ++b.nonce, module, {}, 1'000'000'000, {});
      });
    });
    if (!r.ok()) {
      std::fprintf(stderr, "deploy: %s\n", r.describe().c_str());
      return 1;
    }
    const double ns_per_gas = seconds * 1e9 / static_cast<double>(r.gas_used);
    table.row({"deploy " + std::to_string(module.size() / 1024) + " KiB", "1",
               std::to_string(r.gas_used), bench::fmt("%.0f", seconds * 1e9),
               bench::fmt("%.2f", ns_per_gas), bench::fmt("%.2fx", ns_per_gas / baseline),
               std::to_string((b.used_bytes() - before) / static_cast<uint64_t>(runs))});
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc > 1 ? argv[1] : "");
  } catch (const std::exception& e) {  // Bench and module_of say what failed by throwing
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
