// The node's state store: one LMDB environment per data directory, with a named database
// per kind of record (docs/storage.md, "Databases"). The store owns the environment and the
// database handles; transactions are taken from it, one writer at a time.
#pragma once

#include <memory>
#include <string>

#include "node/store/lmdb.hpp"
#include "node/store/merkle.hpp"

namespace assent::store {

// The layout and meaning of what a store holds, recorded in `meta` as `format` when a store is
// made. 1: before formats were recorded; 2: senders' nonces are leaves of the state tree.
constexpr uint64_t kStoreFormat = 2;

struct StoreConfig {
  // Address space reserved for the file, not disk used. 0: the size of the filesystem that
  // holds the store (map_size_for), so that the map cannot fill before the disk does.
  std::size_t map_size = 0;
  bool sync = true;  // fsync on commit; without it a power loss (not a crash) may lose blocks
};

// The map a store gets by default: its filesystem's size rounded up to a GiB, at least 1 GiB
// and at most 64 TiB (half of what a 64-bit process can map); 64 GiB when statvfs cannot tell.
// LMDB can grow a map only while no transaction of the process is open, and the API's readers
// are always open somewhere: sizing it to the disk once, at open, needs no pause. Without
// MDB_WRITEMAP the file grows only as pages are written, so a large map costs nothing.
std::size_t map_size_for(const std::string& dir);

struct Databases {
  MDB_dbi state;        // contract address | key -> value
  MDB_dbi contracts;    // contract address -> code id
  MDB_dbi code;         // code id -> module bytes
  MDB_dbi blocks;       // height (u64 big-endian) -> block
  MDB_dbi block_index;  // block hash -> height
  MDB_dbi receipts;     // transaction hash -> receipt
  MDB_dbi events;       // sequence (u64 big-endian) -> event record
  MDB_dbi event_index;  // index key | sequence -> (empty)
  MDB_dbi tree_nodes;   // state tree nodes
  MDB_dbi tree_roots;   // version -> state tree root
  MDB_dbi tree_stale;   // version -> keys of the tree nodes it replaced: to prune
  MDB_dbi meta;         // named values: head, nonces, counters
  MDB_dbi consortium;   // the chain's members and its registry of contracts (node/chain/consortium.hpp)
};

class Store {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Store>, LmdbError> open(const std::string& dir,
                                                                      StoreConfig config = {});

  [[nodiscard]] Result<Txn, LmdbError> begin_write() { return Txn::begin(env_, false); }
  [[nodiscard]] Result<Txn, LmdbError> begin_read() const { return Txn::begin(env_, true); }
  const Databases& db() const { return db_; }
  MerkleTree& tree() { return tree_; }
  const MerkleTree& tree() const { return tree_; }
  const std::string& dir() const { return dir_; }
  // The format the store was made with (kStoreFormat for a store made now).
  uint64_t format() const { return format_; }
  // What is wrong when `format()` is not the one this program reads, or nothing.
  std::optional<std::string> format_problem() const;
  std::size_t map_size() const;  // the map as LMDB has it (mdb_env_info)

 private:
  Store(Env env, Databases db, std::string dir, uint64_t format)
      : env_(std::move(env)),
        db_(db),
        tree_(db.tree_nodes, db.tree_roots, db.tree_stale),
        dir_(std::move(dir)),
        format_(format) {}
  Env env_;
  Databases db_;
  MerkleTree tree_;
  std::string dir_;
  uint64_t format_;
};

// Big-endian u64, so that LMDB's byte order is numeric order.
std::array<uint8_t, 8> be64(uint64_t v);
uint64_t read_be64(View bytes);

// Named values in `meta`: nullopt when `name` has none (or not 8 bytes).
[[nodiscard]] Result<std::optional<uint64_t>, LmdbError> meta_u64(const Txn& txn,
                                                                  const Databases& db,
                                                                  std::string_view name);
[[nodiscard]] std::optional<LmdbError> put_meta_u64(Txn& txn, const Databases& db,
                                                    std::string_view name, uint64_t v);

}  // namespace assent::store
