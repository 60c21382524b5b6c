// The event log and its indexes (node/store/events.hpp) on a real store: what is appended
// is found by contract, name and identity, and a stored event that is missing or does not
// decode is an error of the query, not an event left out.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "node/store/events.hpp"

namespace fs = std::filesystem;
using namespace assent;

namespace {

struct Log {
  fs::path dir = fs::temp_directory_path() / ("assent-events-" + std::to_string(::getpid()));
  std::unique_ptr<store::Store> store;
  const std::array<uint8_t, 32> contract{7};
  const std::array<uint8_t, 32> patient{9};

  Log() {
    fs::remove_all(dir);
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    store = std::move(s).value();
    auto txn = store->begin_write();
    REQUIRE(txn.ok());
    for (uint64_t i = 1; i <= 3; ++i) {
      store::StoredEvent ev{contract, i == 2 ? "Revoked" : "Granted", i, 1000 + i, {}, {1, 2}};
      REQUIRE_FALSE(store::append_event(*txn, store->db(), ev, {patient}));
    }
    REQUIRE_FALSE(txn->commit());
  }
  ~Log() {
    store.reset();
    fs::remove_all(dir);
  }
  static store::EventQuery by(store::EventQuery::By how, const std::array<uint8_t, 32>& key,
                              std::string name = {}) {
    store::EventQuery q;
    q.by = how;
    q.key = key;
    q.name = std::move(name);
    return q;
  }
  Result<store::EventPage, store::LmdbError> query(store::EventQuery q) {
    auto txn = store->begin_read();
    REQUIRE(txn.ok());
    return store::query_events(*txn, store->db(), q);
  }
  void put_event(uint64_t seq, std::optional<store::Bytes> bytes) {
    auto txn = store->begin_write();
    REQUIRE(txn.ok());
    if (bytes)
      REQUIRE_FALSE(txn->put(store->db().events, store::be64(seq), *bytes));
    else
      REQUIRE(txn->del(store->db().events, store::be64(seq)).value());
    REQUIRE_FALSE(txn->commit());
  }
};

}  // namespace

TEST_CASE("events: found by contract, name and identity, in order") {
  Log log;
  auto all = log.query(Log::by(store::EventQuery::By::Contract, log.contract));
  REQUIRE(all.ok());
  REQUIRE(all->events.size() == 3);
  CHECK(all->events[1].seq == 2);
  CHECK(all->events[1].event.name == "Revoked");
  CHECK(all->events[2].event.time == 1003);
  auto revoked = log.query(Log::by(store::EventQuery::By::Name, log.contract, "Revoked"));
  REQUIRE(revoked.ok());
  REQUIRE(revoked->events.size() == 1);
  CHECK(revoked->events[0].seq == 2);
  auto about = log.query(Log::by(store::EventQuery::By::Identity, log.patient));
  REQUIRE(about.ok());
  CHECK(about->events.size() == 3);
}

TEST_CASE("events: a stored event that does not decode, or is missing, fails the query") {
  Log log;
  SUBCASE("does not decode") {
    log.put_event(2, store::Bytes{1, 2, 3});
    auto page = log.query(Log::by(store::EventQuery::By::Identity, log.patient));
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().code == MDB_CORRUPTED);
    CHECK(page.error().message == "stored event 2 does not decode (3 bytes)");
  }
  SUBCASE("missing") {
    log.put_event(2, std::nullopt);
    auto page = log.query(Log::by(store::EventQuery::By::Contract, log.contract));
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().code == MDB_CORRUPTED);
    CHECK(page.error().message == "the event index names event 2, which is not stored");
  }
  // A query that does not reach the broken event still answers.
  store::EventQuery first = Log::by(store::EventQuery::By::Contract, log.contract);
  first.limit = 1;
  auto page = log.query(first);
  REQUIRE(page.ok());
  CHECK(page->events.size() == 1);
}
