// Events and their indexes (docs/storage.md "Events"): every event gets the next sequence
// number; index entries make "events of contract C", "events named N of C" and "events
// about identity X" range reads in sequence order, not scans.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "node/store/store.hpp"

namespace assent::store {

struct StoredEvent {
  std::array<uint8_t, 32> contract{};
  std::string name;
  uint64_t height = 0;
  uint64_t time = 0;
  std::array<uint8_t, 32> tx_hash{};
  Bytes data;

  Bytes encode() const;
  static std::optional<StoredEvent> decode(View bytes);
};

[[nodiscard]] std::optional<LmdbError> append_event(
    Txn& txn, const Databases& db, const StoredEvent& event,
    const std::vector<std::array<uint8_t, 32>>& identities);

struct EventQuery {
  enum class By { Contract, Name, Identity } by = By::Contract;
  std::array<uint8_t, 32> key{};                 // the contract, or the identity
  std::string name;                              // By::Name
  uint64_t after = 0;                            // only sequence numbers above this (paging)
  uint64_t from_time = 0, to_time = UINT64_MAX;  // block time, inclusive
  std::size_t limit = 100;
  // Index entries read at most, matching the times or not: a query's cost is bounded
  // whatever its time range (an empty answer once took 170 ms over 492,000 events).
  std::size_t max_scanned = 10'000;
};

struct FoundEvent {
  uint64_t seq;
  StoredEvent event;
};

struct EventPage {
  std::vector<FoundEvent> events;
  // Set when the scan stopped at `max_scanned` before the index's end: the query goes on
  // from here (as `after`). Events are in time order too, so none past `to_time` stops it.
  std::optional<uint64_t> resume_after;
};

// Up to `limit` matching events after `after`, in sequence order. An error when the store
// cannot be read, and MDB_CORRUPTED when an index entry names an event that is not stored or
// does not decode (an audit trail does not skip what it cannot read).
[[nodiscard]] Result<EventPage, LmdbError> query_events(const Txn& txn, const Databases& db,
                                                        const EventQuery& q);

}  // namespace assent::store
