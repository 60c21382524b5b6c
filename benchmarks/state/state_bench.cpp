// State benchmark, on a real LMDB store in a temporary directory:
//   1. committed calls per second: blocks of 1,000 consent grants (the DESIGN.md contract),
//      state root and commit included, with the time split between VM, host functions and
//      LMDB;
//   2. permission checks per second through a view, on 1 and 2 threads, with a million
//      stored consent records (ASSENT_BENCH_RECORDS to change it);
//   3. state-root cost per changed key with those keys stored, proof size and check time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "node/chain/verify.hpp"
#include "node/executor/executor.hpp"
#include "state/grants.hpp"

using namespace assent;
using namespace assent::bench_grants;

int main() {
  const uint64_t records = bench::count_from_env("ASSENT_BENCH_RECORDS", 1'000'000, 5'000);
  const fs::path dir =
      fs::temp_directory_path() / ("assent-state-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto store = store::Store::open(dir.string(), {std::size_t{64} << 30, true});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  node::Executor exec(**store);
  const auto module = grants_module();
  if (!module) return 1;
  uint64_t height = 0;
  Identity contract{};
  {
    auto b = exec.begin_block({++height, 1'700'000'000});
    auto r = (*b)->deploy(Identity{1}, 0, *module, {}, 10'000'000, {});
    if (!r.ok() || !r.contract) {
      std::fprintf(stderr, "deploy failed: %s\n", r.describe().c_str());
      return 1;
    }
    contract = *r.contract;
    if (!(*b)->finish().ok() || (*b)->commit()) return 1;
  }

  // 1. Committed grants: blocks of 1,000 calls, one patient per call.
  uint64_t patient_counter = 0;
  auto run_block = [&](uint64_t calls, node::ExecutorProfile* profile, double* root_s,
                       double* commit_s) {
    exec.profile = profile;
    auto b = exec.begin_block({++height, 1'700'000'000 + height});
    for (uint64_t i = 0; i < calls; ++i) {
      const uint64_t patient = patient_counter++;
      const auto args = grant_args(patient);
      auto r = (*b)->call(id_of(patient, 0x70), contract, "grant", args, 1'000'000, Identity{});
      if (!r.ok()) {
        std::fprintf(stderr, "grant failed: %s\n", r.describe().c_str());
        std::exit(1);
      }
    }
    auto t = Clock::now();
    auto root = (*b)->finish();
    if (root_s) *root_s += since(t);
    t = Clock::now();
    if (!root.ok() || (*b)->commit()) std::exit(1);
    if (commit_s) *commit_s += since(t);
    exec.profile = nullptr;
  };
  {
    node::ExecutorProfile profile;
    double root_s = 0, commit_s = 0;
    const int blocks = bench::pick(20, 2);
    const auto start = Clock::now();
    for (int i = 0; i < blocks; ++i)
      run_block(1000, &profile, &root_s, &commit_s);
    const double total = since(start);
    const double calls = blocks * 1000.0;
    const double machine = profile.machine_ns / 1e9, host = profile.host_ns / 1e9,
                 txn = profile.txn_ns / 1e9;
    std::printf(
        "Committed consent grants: %d blocks of 1,000 calls (DESIGN.md contract), fsync per "
        "block\n\n",
        blocks);
    bench::Table t({"calls/s committed", "per call", "VM", "host functions (with their LMDB)",
                    "nested transactions", "state root", "commit", "events, other"});
    const double other = total - machine - txn - root_s - commit_s;
    auto share = [&](double x) { return bench::fmt("%.0f%%", 100 * x / total); };
    t.row({bench::fmt("%.0f", calls / total), bench::fmt("%.1f us", total / calls * 1e6),
           share(machine - host), share(host), share(txn), share(root_s), share(commit_s),
           share(std::max(0.0, other))});
  }

  // 2. Fill to `records` consent records, then check permissions.
  {
    const auto start = Clock::now();
    while (patient_counter < records)
      run_block(std::min<uint64_t>(50'000, records - patient_counter), nullptr, nullptr, nullptr);
    std::printf("\nFilled %llu consent records (%llu blocks) in %.1f s\n\n",
                static_cast<unsigned long long>(records),
                static_cast<unsigned long long>(height - 1), since(start));
  }
  {
    // What the store holds, and the state tree's share (old versions are pruned as blocks
    // commit, keeping ExecutorConfig::keep_versions).
    auto txn = (*store)->begin_read();
    if (!txn.ok()) return 1;
    std::error_code ec;
    const auto bytes = fs::file_size(dir / "data.mdb", ec);
    bench::Table t({"store on disk", "state records", "tree nodes", "nodes per record",
                    "awaiting pruning", "versions kept"});
    const auto& db = (*store)->db();
    auto entries = [&](MDB_dbi dbi) {
      auto n = txn->entries(dbi);
      if (!n.ok()) std::exit(1);
      return *n;
    };
    auto awaiting = (*store)->tree().awaiting_pruning(*txn);
    if (!awaiting.ok()) return 1;
    const double state = static_cast<double>(entries(db.state) + entries(db.contracts));
    t.row({bench::fmt("%.2f GiB", static_cast<double>(bytes) / (1 << 30)),
           bench::fmt("%.0f", state), std::to_string(entries(db.tree_nodes)),
           bench::fmt("%.2f", static_cast<double>(entries(db.tree_nodes)) / state),
           std::to_string(*awaiting), std::to_string(entries(db.tree_roots))});
  }
  {
    bench::Table t({"threads", "checks/s", "median", "p99", "allowed"});
    for (int threads : {1, 2}) {
      const uint64_t per_thread = bench::pick(200'000, 2'000);
      std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
      std::atomic<uint64_t> allowed{0}, failed{0};
      auto worker = [&](int w) {
        auto txn = (*store)->begin_read();
        if (!txn.ok()) std::exit(1);
        uint64_t x = 12345 + static_cast<uint64_t>(w);
        auto& lat = latencies[static_cast<std::size_t>(w)];
        lat.reserve(per_thread);
        for (uint64_t i = 0; i < per_thread; ++i) {
          x = x * 6364136223846793005ull + 1442695040888963407ull;
          const uint64_t patient = (x >> 20) % records;
          const auto args = permits_args(patient, 1, patient % 997);
          if (i % 1000 == 0) {  // a fresh snapshot now and then, as an API worker would take
            txn->reset();
            if (txn->renew()) std::exit(1);
          }
          const auto t0 = Clock::now();
          auto r = exec.view(*txn, {height, 1'700'000'000 + height}, Identity{}, contract,
                             "permits", args, 1'000'000);
          lat.push_back(since(t0));
          if (!r.ok())
            ++failed;
          else if (r.return_data == std::vector<uint8_t>{1})
            ++allowed;
        }
      };
      const auto start = Clock::now();
      std::vector<std::thread> pool;
      for (int w = 0; w < threads; ++w)
        pool.emplace_back(worker, w);
      for (auto& th : pool)
        th.join();
      const double total = since(start);
      std::vector<double> all;
      for (auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
      std::sort(all.begin(), all.end());
      t.row({std::to_string(threads), bench::fmt("%.0f", threads * per_thread / total),
             bench::fmt("%.2f us", all[all.size() / 2] * 1e6),
             bench::fmt("%.2f us", all[all.size() * 99 / 100] * 1e6),
             bench::fmt("%.0f%%", 100.0 * allowed / (threads * per_thread))});
      if (failed > 0) {
        std::fprintf(stderr, "%llu of the permits views failed\n",
                     static_cast<unsigned long long>(failed.load()));
        return 1;
      }
    }
  }

  // 3. State root: cost per changed key with the state above, proofs.
  {
    double root_s = 0;
    const int blocks = bench::pick(5, 1);
    for (int i = 0; i < blocks; ++i)
      run_block(1000, nullptr, &root_s, nullptr);
    const uint64_t changed = blocks * 1000 * 2;  // each grant writes two keys
    auto txn = (*store)->begin_read();
    const uint8_t field = 2;  // `count`, a map: keys are [2] | identity
    std::vector<uint8_t> key{field};
    const Identity p = id_of(5, 0x70);
    key.insert(key.end(), p.begin(), p.end());
    const auto leaf = node::Executor::state_leaf_key(contract, key);
    auto proof = (*store)->tree().prove(*txn, height, leaf);
    std::vector<uint8_t> state_key(contract.begin(), contract.end());
    state_key.insert(state_key.end(), key.begin(), key.end());
    auto value = txn->get((*store)->db().state, state_key);
    auto stored_root = (*store)->tree().root(*txn, height);
    if (!proof.ok() || !value.ok() || !*value || !stored_root.ok()) return 1;
    const auto root = stored_root->hash;
    const auto value_hash = stdlib::sha256(**value);
    bool ok = true;
    const int checks = bench::pick(1000, 10);
    const double check =
        bench::median_seconds(5,
                              [&] {
                                for (int i = 0; i < checks; ++i)
                                  ok = ok && store::verify_proof(root, leaf, value_hash, *proof);
                              }) /
        checks;
    std::printf("\nState root with %llu keys stored\n\n",
                static_cast<unsigned long long>(2 * patient_counter));
    bench::Table t({"per changed key", "proof size", "proof depth", "proof check", "verifies"});
    const double per_changed_key = root_s / static_cast<double>(changed);
    t.row({bench::fmt("%.2f us", per_changed_key * 1e6),
           std::to_string(proof->encode().size()) + " bytes",
           std::to_string(proof->siblings.size()), bench::fmt("%.2f us", check * 1e6),
           ok ? "yes" : "NO"});
    if (!ok) return 1;

    // 4. The whole state root recomputed from the records in memory (what `assent verify`
    // and a starting node do), against the stored tree's root.
    const auto t0 = Clock::now();
    auto recomputed = node::recompute_state_root(**store, *txn);
    const double full = since(t0);
    if (!recomputed.ok()) return 1;
    const double per_record = full / static_cast<double>(recomputed->records);
    std::printf("\nState root recomputed from every record (assent verify, node start)\n\n");
    bench::Table v({"records", "time", "per record", "vs incremental per changed key", "matches"});
    v.row({std::to_string(recomputed->records), bench::fmt("%.2f s", full),
           bench::fmt("%.2f us", per_record * 1e6),
           bench::fmt("%.2fx", per_record / per_changed_key),
           recomputed->root == root ? "yes" : "NO"});
    if (recomputed->root != root) return 1;
  }
  store->reset();
  fs::remove_all(dir);
  return 0;
}
