// A thin C++ layer over LMDB (lmdb.h is the manual): RAII for environments, transactions
// and cursors, spans for keys and values, and errors as values. What LMDB guarantees is
// unchanged: one writer at a time, any number of readers on MVCC snapshots, nested write
// transactions, and a file that is always consistent after a crash.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.hpp"

namespace assent::store {

using Bytes = std::vector<uint8_t>;
using View = std::span<const uint8_t>;

struct LmdbError {
  int code;             // an MDB_* code or errno
  std::string message;  // "mdb_put(state): MDB_MAP_FULL: Environment mapsize limit reached"
};

inline View view(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view text(View v) {
  return {reinterpret_cast<const char*>(v.data()), v.size()};
}

class Txn;

LmdbError lmdb_error(const char* what, int code);

class Env {
 public:
  // Opens (creating if needed) the environment in directory `path`.
  [[nodiscard]] static Result<Env, LmdbError> open(const std::string& path, std::size_t map_size,
                                                   unsigned max_dbs, unsigned flags = 0);
  Env(Env&& other) noexcept : env_(other.env_) { other.env_ = nullptr; }
  Env& operator=(Env&& other) noexcept;
  Env(const Env&) = delete;
  ~Env();

  MDB_env* raw() const { return env_; }

 private:
  explicit Env(MDB_env* env) : env_(env) {}
  MDB_env* env_ = nullptr;
};

// A key and its value, as a cursor finds them (valid as values returned by get are).
using Entry = std::pair<View, View>;

// A transaction: aborted when destroyed unless committed. Values returned by get are valid
// until the transaction ends or the next write to the same key (lmdb.h, mdb_get).
//
// Reads answer three ways: a value, nullopt (the key is absent: MDB_NOTFOUND), or an error
// (anything else LMDB says: a bad handle, a transaction an earlier failure left unusable
// (MDB_BAD_TXN), a corrupted page, ...). An error is never "absent": what a caller does with
// an absent key (a contract's default, "no such block") must not happen on a broken store.
class Txn {
 public:
  [[nodiscard]] static Result<Txn, LmdbError> begin(const Env& env, bool read_only,
                                                    Txn* parent = nullptr);
  // A nested write transaction: its changes join this one's on commit, vanish on abort.
  [[nodiscard]] Result<Txn, LmdbError> child();
  Txn(Txn&& other) noexcept : txn_(other.txn_), read_only_(other.read_only_) {
    other.txn_ = nullptr;
  }
  Txn& operator=(Txn&& other) noexcept;
  Txn(const Txn&) = delete;
  ~Txn() { abort(); }

  // Opens (in a write transaction: creates) a named database.
  [[nodiscard]] Result<MDB_dbi, LmdbError> open_db(const char* name, bool create);

  // The value of `key`, or nullopt when `db` has none.
  [[nodiscard]] Result<std::optional<View>, LmdbError> get(MDB_dbi db, View key) const;
  // Errors: EACCES in a read-only transaction, MDB_MAP_FULL, MDB_TXN_FULL, MDB_BAD_VALSIZE
  // (a key over 511 bytes or empty), ... After MDB_MAP_FULL or MDB_TXN_FULL the transaction
  // can only be aborted: every later call on it fails with MDB_BAD_TXN.
  [[nodiscard]] std::optional<LmdbError> put(MDB_dbi db, View key, View value);
  // Puts keys in ascending order, each greater than every key already in `db`: LMDB then
  // appends to the last page instead of searching (falls back to put if the order is wrong).
  [[nodiscard]] std::optional<LmdbError> append(MDB_dbi db, View key, View value);
  // Deletes a key; returns whether it existed (errors other than "not found" are errors).
  [[nodiscard]] Result<bool, LmdbError> del(MDB_dbi db, View key);
  // Deletes `keys` (sorted, so that one cursor visits each page once); missing ones are
  // skipped. Returns how many were deleted.
  [[nodiscard]] Result<uint64_t, LmdbError> del_sorted(MDB_dbi db, const std::vector<Bytes>& keys);
  // Ends the transaction either way: after a failed commit, its changes are gone.
  [[nodiscard]] std::optional<LmdbError> commit();
  void abort();
  // A read-only transaction can be reset (releasing its snapshot) and renewed (taking the
  // latest) without being freed: cheaper than a new one, for readers that run many queries.
  void reset() { mdb_txn_reset(txn_); }
  [[nodiscard]] std::optional<LmdbError> renew() {
    if (int rc = mdb_txn_renew(txn_)) return lmdb_error("mdb_txn_renew", rc);
    return std::nullopt;
  }

  // The first key >= `from` (with its value), or nullopt at the end.
  [[nodiscard]] Result<std::optional<Entry>, LmdbError> seek(MDB_dbi db, View from) const;
  // The last key < `before` (empty `before`: the last key), or nullopt.
  [[nodiscard]] Result<std::optional<Entry>, LmdbError> seek_before(MDB_dbi db, View before) const;
  // How many entries `db` holds.
  [[nodiscard]] Result<uint64_t, LmdbError> entries(MDB_dbi db) const;
  // Visits the keys >= `from` in order with one cursor, while `visit` returns true.
  [[nodiscard]] std::optional<LmdbError> scan(MDB_dbi db, View from,
                                              const std::function<bool(View, View)>& visit) const;

  MDB_txn* raw() const { return txn_; }
  bool active() const { return txn_ != nullptr; }
  // A read-only transaction sees only committed data.
  bool read_only() const { return read_only_; }

 private:
  Txn(MDB_txn* txn, bool read_only) : txn_(txn), read_only_(read_only) {}
  MDB_txn* txn_ = nullptr;
  bool read_only_ = false;
};

LmdbError lmdb_error(const char* what, int code);

}  // namespace assent::store
