// The LMDB wrapper (node/store/lmdb.hpp) on its own: what each call answers for a key that is
// there, one that is not, and a store that fails. A failure must come back as an error, never
// as "absent": a contract's storage.get, a sender's nonce or the chain's head read as missing
// on a broken store would change what a block does.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "node/store/lmdb.hpp"

namespace fs = std::filesystem;
using namespace assent;
using store::Bytes;
using store::Env;
using store::Txn;
using store::View;
using store::view;

namespace {

// An environment in a temporary directory, with one database `db`.
struct TempEnv {
  fs::path dir;
  std::optional<Env> env;
  MDB_dbi db = 0;

  explicit TempEnv(const std::string& name, std::size_t map_size = std::size_t{64} << 20)
      : dir(fs::temp_directory_path() /
            ("assent-lmdb-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    auto e = Env::open(dir.string(), map_size, 4, MDB_NOSYNC);
    REQUIRE_MESSAGE(e.ok(), e.error().message);
    env.emplace(std::move(e).value());
    auto txn = begin(false);
    auto dbi = txn.open_db("db", true);
    REQUIRE(dbi.ok());
    db = *dbi;
    REQUIRE_FALSE(txn.commit());
  }
  ~TempEnv() {
    env.reset();
    fs::remove_all(dir);
  }
  Txn begin(bool read_only) {
    auto t = Txn::begin(*env, read_only);
    REQUIRE_MESSAGE(t.ok(), t.error().message);
    return std::move(t).value();
  }
};

std::string text_of(const Result<std::optional<View>, store::LmdbError>& r) {
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  return std::string(store::text(**r));
}

}  // namespace

TEST_CASE("lmdb: put, get, delete and seek answer present or absent") {
  TempEnv t("basic");
  {
    auto w = t.begin(false);
    for (const char* k : {"b", "d", "f"})
      REQUIRE_FALSE(w.put(t.db, view(k), view(std::string("value of ") + k)));
    REQUIRE_FALSE(w.commit());
  }
  auto r = t.begin(true);
  CHECK(text_of(r.get(t.db, view("d"))) == "value of d");
  auto missing = r.get(t.db, view("c"));
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  CHECK(r.entries(t.db).value() == 3);

  // seek: the first key at or after; seek_before: the last key before.
  auto at = r.seek(t.db, view("c"));
  REQUIRE(at.ok());
  REQUIRE(at->has_value());
  CHECK(store::text((*at)->first) == "d");
  CHECK(store::text(r.seek(t.db, {}).value()->first) == "b");
  CHECK_FALSE(r.seek(t.db, view("g")).value().has_value());
  CHECK(store::text(r.seek_before(t.db, view("d")).value()->first) == "b");
  CHECK(store::text(r.seek_before(t.db, view("z")).value()->first) == "f");
  CHECK(store::text(r.seek_before(t.db, {}).value()->first) == "f");
  CHECK_FALSE(r.seek_before(t.db, view("b")).value().has_value());

  std::string seen;
  REQUIRE_FALSE(r.scan(t.db, view("c"), [&](View k, View) {
    seen += store::text(k);
    return true;
  }));
  CHECK(seen == "df");
  r.abort();

  auto w = t.begin(false);
  CHECK(w.del(t.db, view("d")).value());
  CHECK_FALSE(w.del(t.db, view("d")).value());  // already gone: not an error
  CHECK(w.del_sorted(t.db, {Bytes{'a'}, Bytes{'b'}, Bytes{'f'}}).value() == 2);
  CHECK_FALSE(w.seek(t.db, {}).value().has_value());
  REQUIRE_FALSE(w.commit());
}

TEST_CASE("lmdb: a nested transaction's changes join its parent's on commit, vanish on abort") {
  TempEnv t("nested");
  auto w = t.begin(false);
  REQUIRE_FALSE(w.put(t.db, view("kept"), view("1")));
  {
    auto child = w.child();
    REQUIRE(child.ok());
    REQUIRE_FALSE(child->put(t.db, view("joined"), view("2")));
    CHECK(text_of(child->get(t.db, view("kept"))) == "1");  // sees its parent's writes
    REQUIRE_FALSE(child->commit());
  }
  {
    auto child = w.child();
    REQUIRE(child.ok());
    REQUIRE_FALSE(child->put(t.db, view("dropped"), view("3")));
    REQUIRE(child->del(t.db, view("kept")).value());
    child->abort();
  }
  {
    auto child = w.child();
    REQUIRE(child.ok());
    REQUIRE_FALSE(child->put(t.db, view("dropped too"), view("4")));
  }  // destroyed without a commit: aborted
  CHECK(text_of(w.get(t.db, view("joined"))) == "2");
  CHECK(text_of(w.get(t.db, view("kept"))) == "1");
  CHECK_FALSE(w.get(t.db, view("dropped")).value().has_value());
  CHECK_FALSE(w.get(t.db, view("dropped too")).value().has_value());

  // Nothing is visible to readers until the outer transaction commits.
  {
    auto r = t.begin(true);
    CHECK_FALSE(r.get(t.db, view("joined")).value().has_value());
  }
  REQUIRE_FALSE(w.commit());
  auto r = t.begin(true);
  CHECK(text_of(r.get(t.db, view("joined"))) == "2");
  CHECK(r.entries(t.db).value() == 2);
}

TEST_CASE("lmdb: a failing store answers errors, not absence") {
  SUBCASE("a write in a read-only transaction") {
    TempEnv t("read-only");
    auto r = t.begin(true);
    auto e = r.put(t.db, view("k"), view("v"));
    REQUIRE(e.has_value());
    CHECK(e->code == EACCES);
    CHECK(e->message.rfind("mdb_put: ", 0) == 0);
    auto d = r.del(t.db, view("k"));
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == EACCES);
  }
  SUBCASE("a database handle that is not open") {
    TempEnv t("bad-dbi");
    auto r = t.begin(true);
    const MDB_dbi closed = t.db + 7;
    auto got = r.get(closed, view("k"));
    REQUIRE_FALSE(got.ok());
    CHECK(got.error().code == EINVAL);
    CHECK(got.error().message.rfind("mdb_get: ", 0) == 0);
    CHECK_FALSE(r.seek(closed, {}).ok());
    CHECK_FALSE(r.seek_before(closed, {}).ok());
    CHECK_FALSE(r.entries(closed).ok());
    CHECK(r.scan(closed, {}, [](View, View) { return true; }).has_value());
  }
  SUBCASE("a key LMDB cannot hold") {
    TempEnv t("key-size");
    auto w = t.begin(false);
    const std::string huge(600, 'k');  // over LMDB's 511 bytes
    auto e = w.put(t.db, view(huge), view("v"));
    REQUIRE(e.has_value());
    CHECK(e->code == MDB_BAD_VALSIZE);
    // LMDB finds no such key to read (it could not hold one): absent, as it is.
    CHECK_FALSE(w.get(t.db, view(huge)).value().has_value());
  }
  SUBCASE("a full map, and the transaction it leaves unusable") {
    TempEnv t("map-full", std::size_t{256} << 10);  // 256 KiB
    auto w = t.begin(false);
    REQUIRE_FALSE(w.put(t.db, view("before"), view("1")));
    const Bytes value(4000, 0xab);
    std::optional<store::LmdbError> error;
    for (int i = 0; i < 1000 && !error; ++i) {
      const std::string key = "key " + std::to_string(i);
      error = w.put(t.db, view(key), value);
    }
    REQUIRE(error.has_value());
    CHECK(error->code == MDB_MAP_FULL);
    CHECK(error->message.find("MDB_MAP_FULL") != std::string::npos);
    // The transaction can only be aborted now: reads of keys that are there, and of keys that
    // are not, both fail.
    auto there = w.get(t.db, view("before"));
    REQUIRE_FALSE(there.ok());
    CHECK(there.error().code == MDB_BAD_TXN);
    auto absent = w.get(t.db, view("never written"));
    REQUIRE_FALSE(absent.ok());
    CHECK(absent.error().code == MDB_BAD_TXN);
    CHECK_FALSE(w.seek(t.db, {}).ok());
    auto commit = w.commit();
    REQUIRE(commit.has_value());
    CHECK_FALSE(w.active());
    // Nothing of it was written.
    auto r = t.begin(true);
    CHECK_FALSE(r.get(t.db, view("before")).value().has_value());
  }
  SUBCASE("a full map in a nested transaction") {
    TempEnv t("map-full-nested", std::size_t{256} << 10);
    auto w = t.begin(false);
    REQUIRE_FALSE(w.put(t.db, view("outer"), view("1")));
    auto child = w.child();
    REQUIRE(child.ok());
    const Bytes value(4000, 0xcd);
    std::optional<store::LmdbError> error;
    for (int i = 0; i < 1000 && !error; ++i)
      error = child->put(t.db, view("key " + std::to_string(i)), value);
    REQUIRE(error.has_value());
    CHECK(error->code == MDB_MAP_FULL);
    auto absent = child->get(t.db, view("never written"));
    REQUIRE_FALSE(absent.ok());
    CHECK(absent.error().code == MDB_BAD_TXN);
  }
}
