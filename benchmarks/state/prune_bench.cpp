// State-tree pruning: the same blocks of 1,000 consent grants on two fresh stores, one
// keeping every version of the state tree and one pruning to the last few (as a node does,
// ExecutorConfig::keep_versions), in this one invocation. Reports committed calls per
// second, the store's size and its tree nodes, and the ratios between the two.
#include <cstdio>
#include <cstdlib>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "state/grants.hpp"

using namespace assent;
using namespace assent::bench_grants;

namespace {

struct Run {
  double calls_per_second = 0;
  double gib = 0;
  uint64_t tree_nodes = 0, awaiting = 0, records = 0;
};

Run run(const std::vector<uint8_t>& module, uint64_t keep, int blocks, int calls) {
  const fs::path dir = fs::temp_directory_path() / ("assent-prune-bench-" + std::to_string(keep) +
                                                    "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto store = store::Store::open(dir.string(), {std::size_t{64} << 30, true});
  if (!store.ok()) std::exit(1);
  node::ExecutorConfig config;
  config.keep_versions = keep;
  node::Executor exec(**store, config);
  uint64_t height = 0;
  Identity contract{};
  {
    auto b = exec.begin_block({++height, 1'700'000'000});
    auto r = (*b)->deploy(Identity{1}, 0, module, {}, 10'000'000, {});
    if (!r.ok() || !r.contract) {
      std::fprintf(stderr, "deploy failed: %s\n", r.describe().c_str());
      std::exit(1);
    }
    contract = *r.contract;
    if (!(*b)->finish().ok() || (*b)->commit()) std::exit(1);
  }
  // Half the grants go to new patients, half update earlier ones: a state that grows and
  // changes, as a consent registry's does.
  uint64_t next_patient = 0;
  const auto start = Clock::now();
  for (int block = 0; block < blocks; ++block) {
    auto b = exec.begin_block({++height, 1'700'000'000 + height});
    for (int i = 0; i < calls; ++i) {
      const uint64_t patient = i % 2 ? next_patient++ : (next_patient * 7919) % (next_patient + 1);
      auto r = (*b)->call(id_of(patient, 0x70), contract, "grant", grant_args(patient), 1'000'000,
                          Identity{});
      if (!r.ok()) {
        std::fprintf(stderr, "grant failed: %s\n", r.describe().c_str());
        std::exit(1);
      }
    }
    if (!(*b)->finish().ok() || (*b)->commit()) std::exit(1);
  }
  Run out;
  out.calls_per_second = static_cast<double>(blocks) * calls / since(start);
  auto txn = (*store)->begin_read();
  if (!txn.ok()) std::exit(1);
  std::error_code ec;
  out.gib = static_cast<double>(fs::file_size(dir / "data.mdb", ec)) / (1 << 30);
  auto tree_nodes = txn->entries((*store)->db().tree_nodes);
  auto awaiting = (*store)->tree().awaiting_pruning(*txn);
  auto records = txn->entries((*store)->db().state);
  if (!tree_nodes.ok() || !awaiting.ok() || !records.ok()) std::exit(1);
  out.tree_nodes = *tree_nodes;
  out.awaiting = *awaiting;
  out.records = *records;
  txn->abort();
  store->reset();
  fs::remove_all(dir);
  return out;
}

}  // namespace

int main() {
  const auto module = grants_module();
  if (!module) return 1;
  // Small mode keeps 4 versions, so that its 40 blocks prune too (every 16 blocks, as
  // ExecutorConfig::prune_every has it).
  const int blocks = static_cast<int>(bench::count_from_env("ASSENT_BENCH_BLOCKS", 300, 40));
  const int calls = bench::pick(1000, 100);
  const uint64_t keep = bench::pick(100, 4);
  std::printf("State tree pruning: %d blocks of %d consent grants, fsync per block\n\n", blocks,
              calls);
  const Run all = run(*module, 0, blocks, calls);
  const Run pruned = run(*module, keep, blocks, calls);
  bench::Table t({"versions kept", "calls/s committed", "store on disk", "state records",
                  "tree nodes", "nodes per record", "awaiting pruning"});
  auto row = [&](const std::string& kept, const Run& r) {
    t.row({kept, bench::fmt("%.0f", r.calls_per_second), bench::fmt("%.2f GiB", r.gib),
           std::to_string(r.records), std::to_string(r.tree_nodes),
           bench::fmt("%.2f", static_cast<double>(r.tree_nodes) / static_cast<double>(r.records)),
           std::to_string(r.awaiting)});
  };
  row("all", all);
  row(std::to_string(keep), pruned);
  std::printf(
      "\nPruned against keeping all: %.2fx the calls/s, %.2fx the tree nodes, %.2fx the "
      "store on disk\n",
      pruned.calls_per_second / all.calls_per_second,
      static_cast<double>(pruned.tree_nodes) / static_cast<double>(all.tree_nodes),
      pruned.gib / all.gib);
  return 0;
}
