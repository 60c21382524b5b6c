#include "node/store/lmdb.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace assent::store {

namespace {
MDB_val val(View v) {
  return MDB_val{v.size(), const_cast<uint8_t*>(v.data())};
}
View view_of(const MDB_val& v) {
  return {static_cast<const uint8_t*>(v.mv_data), v.mv_size};
}
}  // namespace

LmdbError lmdb_error(const char* what, int code) {
  return LmdbError{code, std::string(what) + ": " + mdb_strerror(code)};
}

Result<Env, LmdbError> Env::open(const std::string& path, std::size_t map_size, unsigned max_dbs,
                                 unsigned flags) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(LmdbError{errno, "cannot create `" + path + "`: " + std::strerror(errno)});
  MDB_env* env = nullptr;
  if (int rc = mdb_env_create(&env)) return fail(lmdb_error("mdb_env_create", rc));
  Env owner(env);
  if (int rc = mdb_env_set_mapsize(env, map_size))
    return fail(lmdb_error("mdb_env_set_mapsize", rc));
  if (int rc = mdb_env_set_maxdbs(env, max_dbs)) return fail(lmdb_error("mdb_env_set_maxdbs", rc));
  if (int rc = mdb_env_set_maxreaders(env, 512))
    return fail(lmdb_error("mdb_env_set_maxreaders", rc));
  // MDB_NOTLS: read transactions are not tied to threads (the API's worker threads share them).
  if (int rc = mdb_env_open(env, path.c_str(), flags | MDB_NOTLS, 0600))
    return fail(lmdb_error(("opening the store in `" + path + "`").c_str(), rc));
  return owner;
}

Env& Env::operator=(Env&& other) noexcept {
  if (this != &other) {
    if (env_) mdb_env_close(env_);
    env_ = other.env_;
    other.env_ = nullptr;
  }
  return *this;
}

Env::~Env() {
  if (env_) mdb_env_close(env_);
}

Result<Txn, LmdbError> Txn::begin(const Env& env, bool read_only, Txn* parent) {
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env.raw(), parent ? parent->raw() : nullptr,
                             read_only ? MDB_RDONLY : 0, &txn))
    return fail(lmdb_error("mdb_txn_begin", rc));
  return Txn(txn, read_only);
}

Result<Txn, LmdbError> Txn::child() {
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(mdb_txn_env(txn_), txn_, 0, &txn))
    return fail(lmdb_error("mdb_txn_begin (nested)", rc));
  return Txn(txn, false);
}

Txn& Txn::operator=(Txn&& other) noexcept {
  if (this != &other) {
    abort();
    txn_ = other.txn_;
    read_only_ = other.read_only_;
    other.txn_ = nullptr;
  }
  return *this;
}

Result<MDB_dbi, LmdbError> Txn::open_db(const char* name, bool create) {
  MDB_dbi dbi = 0;
  if (int rc = mdb_dbi_open(txn_, name, create ? MDB_CREATE : 0, &dbi))
    return fail(lmdb_error((std::string("opening database ") + name).c_str(), rc));
  return dbi;
}

Result<std::optional<View>, LmdbError> Txn::get(MDB_dbi db, View key) const {
  MDB_val k = val(key), v;
  const int rc = mdb_get(txn_, db, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<View>();
  if (rc != 0) return fail(lmdb_error("mdb_get", rc));
  return std::optional<View>(view_of(v));
}

std::optional<LmdbError> Txn::put(MDB_dbi db, View key, View value) {
  MDB_val k = val(key), v = val(value);
  if (int rc = mdb_put(txn_, db, &k, &v, 0)) return lmdb_error("mdb_put", rc);
  return std::nullopt;
}

std::optional<LmdbError> Txn::append(MDB_dbi db, View key, View value) {
  MDB_val k = val(key), v = val(value);
  int rc = mdb_put(txn_, db, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) rc = mdb_put(txn_, db, &k, &v, 0);
  if (rc) return lmdb_error("mdb_put", rc);
  return std::nullopt;
}

Result<bool, LmdbError> Txn::del(MDB_dbi db, View key) {
  MDB_val k = val(key);
  const int rc = mdb_del(txn_, db, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (rc != 0) return fail(lmdb_error("mdb_del", rc));
  return true;
}

Result<uint64_t, LmdbError> Txn::del_sorted(MDB_dbi db, const std::vector<Bytes>& keys) {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn_, db, &c)) return fail(lmdb_error("mdb_cursor_open", rc));
  uint64_t deleted = 0;
  for (const Bytes& key : keys) {
    MDB_val k = val(key), v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_SET);
    if (rc == MDB_NOTFOUND) continue;
    if (rc == 0) rc = mdb_cursor_del(c, 0);
    if (rc != 0) {
      mdb_cursor_close(c);
      return fail(lmdb_error("mdb_cursor_del", rc));
    }
    ++deleted;
  }
  mdb_cursor_close(c);
  return deleted;
}

std::optional<LmdbError> Txn::commit() {
  MDB_txn* t = txn_;
  txn_ = nullptr;
  if (int rc = mdb_txn_commit(t)) return lmdb_error("mdb_txn_commit", rc);
  return std::nullopt;
}

void Txn::abort() {
  if (txn_) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

Result<std::optional<Entry>, LmdbError> Txn::seek(MDB_dbi db, View from) const {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn_, db, &c)) return fail(lmdb_error("mdb_cursor_open", rc));
  MDB_val k = val(from), v;
  const int rc = mdb_cursor_get(c, &k, &v, from.empty() ? MDB_FIRST : MDB_SET_RANGE);
  mdb_cursor_close(c);
  if (rc == MDB_NOTFOUND) return std::optional<Entry>();
  if (rc != 0) return fail(lmdb_error("mdb_cursor_get", rc));
  return std::optional<Entry>(Entry{view_of(k), view_of(v)});
}

Result<uint64_t, LmdbError> Txn::entries(MDB_dbi db) const {
  MDB_stat stat{};
  if (int rc = mdb_stat(txn_, db, &stat)) return fail(lmdb_error("mdb_stat", rc));
  return uint64_t{stat.ms_entries};
}

std::optional<LmdbError> Txn::scan(MDB_dbi db, View from,
                                   const std::function<bool(View, View)>& visit) const {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn_, db, &c)) return lmdb_error("mdb_cursor_open", rc);
  MDB_val k = val(from), v;
  int rc = mdb_cursor_get(c, &k, &v, from.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == 0 && visit(view_of(k), view_of(v)))
    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
  mdb_cursor_close(c);
  if (rc != 0 && rc != MDB_NOTFOUND) return lmdb_error("mdb_cursor_get", rc);
  return std::nullopt;
}

Result<std::optional<Entry>, LmdbError> Txn::seek_before(MDB_dbi db, View before) const {
  MDB_cursor* c = nullptr;
  if (int rc = mdb_cursor_open(txn_, db, &c)) return fail(lmdb_error("mdb_cursor_open", rc));
  MDB_val k = val(before), v;
  int rc = before.empty() ? mdb_cursor_get(c, &k, &v, MDB_LAST)
                          : mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
  // Past the last key (MDB_NOTFOUND), the key before `before` is the last one.
  if (!before.empty() && (rc == 0 || rc == MDB_NOTFOUND))
    rc = rc == 0 ? mdb_cursor_get(c, &k, &v, MDB_PREV) : mdb_cursor_get(c, &k, &v, MDB_LAST);
  mdb_cursor_close(c);
  if (rc == MDB_NOTFOUND) return std::optional<Entry>();
  if (rc != 0) return fail(lmdb_error("mdb_cursor_get", rc));
  return std::optional<Entry>(Entry{view_of(k), view_of(v)});
}

}  // namespace assent::store
