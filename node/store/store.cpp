#include "node/store/store.hpp"

#include <algorithm>
#include <filesystem>

#include "node/store/disk.hpp"

namespace assent::store {

std::array<uint8_t, 8> be64(uint64_t v) {
  std::array<uint8_t, 8> out{};
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return out;
}

uint64_t read_be64(View bytes) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i)
    v = (v << 8) | bytes[i];
  return v;
}

Result<std::optional<uint64_t>, LmdbError> meta_u64(const Txn& txn, const Databases& db,
                                                    std::string_view name) {
  auto v = txn.get(db.meta, view(name));
  if (!v.ok()) return fail(v.error());
  if (!*v) return std::optional<uint64_t>();
  // A named number that is not 8 bytes is damage, never "absent" (a nonce read as 0 again).
  if ((*v)->size() != 8)
    return fail(LmdbError{MDB_CORRUPTED, "the store's `" + std::string(name) + "` is " +
                                             std::to_string((*v)->size()) +
                                             " bytes, not a number of 8"});
  return std::optional<uint64_t>(read_be64(**v));
}

std::optional<LmdbError> put_meta_u64(Txn& txn, const Databases& db, std::string_view name,
                                      uint64_t v) {
  return txn.put(db.meta, view(name), be64(v));
}

std::size_t map_size_for(const std::string& dir) {
  constexpr std::size_t kGiB = std::size_t{1} << 30;
  // The store's directory may not exist yet: its parent is on the same filesystem.
  DiskUsage disk = disk_usage(dir);
  if (!disk.known) {
    const auto parent = std::filesystem::absolute(dir).parent_path();
    disk = disk_usage(parent.empty() ? std::string(".") : parent.string());
  }
  if (!disk.known) return 64 * kGiB;
  const std::size_t rounded = (disk.total + kGiB - 1) / kGiB * kGiB;
  return std::clamp(rounded, kGiB, (std::size_t{64} << 10) * kGiB);
}

std::size_t Store::map_size() const {
  MDB_envinfo info{};
  return mdb_env_info(env_.raw(), &info) == 0 ? info.me_mapsize : 0;
}

Result<std::unique_ptr<Store>, LmdbError> Store::open(const std::string& dir, StoreConfig config) {
  const std::size_t map_size = config.map_size != 0 ? config.map_size : map_size_for(dir);
  auto env = Env::open(dir, map_size, 16, config.sync ? 0 : MDB_NOSYNC);
  if (!env.ok()) return fail(env.error());
  auto txn = Txn::begin(*env, false);
  if (!txn.ok()) return fail(txn.error());
  Databases db{};
  struct Named {
    MDB_dbi* dbi;
    const char* name;
  };
  const Named names[] = {{&db.state, "state"},
                         {&db.contracts, "contracts"},
                         {&db.code, "code"},
                         {&db.blocks, "blocks"},
                         {&db.block_index, "block_index"},
                         {&db.receipts, "receipts"},
                         {&db.events, "events"},
                         {&db.event_index, "event_index"},
                         {&db.tree_nodes, "tree_nodes"},
                         {&db.tree_roots, "tree_roots"},
                         {&db.tree_stale, "tree_stale"},
                         {&db.meta, "meta"},
                         {&db.consortium, "consortium"}};
  for (const auto& n : names) {
    auto dbi = txn->open_db(n.name, true);
    if (!dbi.ok()) return fail(dbi.error());
    *n.dbi = *dbi;
  }
  auto recorded = meta_u64(*txn, db, "format");
  if (!recorded.ok()) return fail(recorded.error());
  std::optional<uint64_t> format = *recorded;
  if (!format) {
    // A store holding nothing is new: it gets this program's format. One holding records
    // without a format was made before formats were recorded.
    bool empty = true;
    for (MDB_dbi dbi : {db.meta, db.state, db.contracts, db.blocks}) {
      auto first = txn->seek(dbi, {});
      if (!first.ok()) return fail(first.error());
      empty = empty && !*first;
    }
    format = empty ? kStoreFormat : 1;
    if (empty)
      if (auto e = put_meta_u64(*txn, db, "format", kStoreFormat)) return fail(*e);
  }
  if (auto e = txn->commit()) return fail(*e);
  return std::unique_ptr<Store>(new Store(std::move(env).value(), db, dir, *format));
}

std::optional<std::string> Store::format_problem() const {
  if (format_ == kStoreFormat) return std::nullopt;
  return "the store in `" + dir_ + "` has format " + std::to_string(format_) +
         (format_ < kStoreFormat ? ", written by an earlier version of Assent" : "") +
         "; this one reads format " + std::to_string(kStoreFormat) +
         (format_ < kStoreFormat ? " (since format 2 the state root covers senders' nonces)" : "") +
         ". Its chain cannot be carried over (its blocks' state roots were computed the other "
         "way): start a new chain from an empty data directory (a devnet: `rm -rf .devnet` and "
         "`make devnet` again; a cluster: every node's data, and the chain's keys in etcd, or a "
         "new --chain-id)";
}

}  // namespace assent::store
