#include "node/store/events.hpp"

#include <cstring>

namespace assent::store {

namespace {

Bytes index_prefix(const EventQuery& q) {
  Bytes k;
  k.reserve(2 + q.key.size() + q.name.size());  // one allocation (and no GCC 12 false positive)
  switch (q.by) {
    case EventQuery::By::Contract:
      k.push_back('c');
      break;
    case EventQuery::By::Name:
      k.push_back('n');
      break;
    case EventQuery::By::Identity:
      k.push_back('i');
      break;
  }
  k.insert(k.end(), q.key.begin(), q.key.end());
  if (q.by == EventQuery::By::Name) {
    k.push_back(static_cast<uint8_t>(q.name.size()));
    k.insert(k.end(), q.name.begin(), q.name.end());
  }
  return k;
}

}  // namespace

// Layout: contract (32) | height (8) | time (8) | tx hash (32) | name length (1) | name | data
Bytes StoredEvent::encode() const {
  Bytes out(contract.begin(), contract.end());
  for (uint64_t v : {height, time}) {
    const auto b = be64(v);
    out.insert(out.end(), b.begin(), b.end());
  }
  out.insert(out.end(), tx_hash.begin(), tx_hash.end());
  out.push_back(static_cast<uint8_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::optional<StoredEvent> StoredEvent::decode(View b) {
  if (b.size() < 81) return std::nullopt;
  StoredEvent e;
  std::memcpy(e.contract.data(), b.data(), 32);
  e.height = read_be64(b.subspan(32, 8));
  e.time = read_be64(b.subspan(40, 8));
  std::memcpy(e.tx_hash.data(), b.data() + 48, 32);
  const std::size_t n = b[80];
  if (b.size() < 81 + n) return std::nullopt;
  e.name.assign(reinterpret_cast<const char*>(b.data() + 81), n);
  e.data.assign(b.begin() + 81 + static_cast<long>(n), b.end());
  return e;
}

std::optional<LmdbError> append_event(Txn& txn, const Databases& db, const StoredEvent& event,
                                      const std::vector<std::array<uint8_t, 32>>& identities) {
  auto last = meta_u64(txn, db, "event_seq");
  if (!last.ok()) return last.error();
  const uint64_t seq = last->value_or(0) + 1;
  if (auto e = put_meta_u64(txn, db, "event_seq", seq)) return e;
  const auto seq_key = be64(seq);
  if (auto e = txn.put(db.events, seq_key, event.encode())) return e;
  std::vector<EventQuery> entries;
  entries.push_back({EventQuery::By::Contract, event.contract, {}});
  entries.push_back({EventQuery::By::Name, event.contract, event.name});
  for (const auto& id : identities)
    entries.push_back({EventQuery::By::Identity, id, {}});
  for (const auto& q : entries) {
    Bytes k = index_prefix(q);
    k.insert(k.end(), seq_key.begin(), seq_key.end());
    if (auto e = txn.put(db.event_index, k, View{})) return e;
  }
  return std::nullopt;
}

Result<EventPage, LmdbError> query_events(const Txn& txn, const Databases& db,
                                          const EventQuery& q) {
  EventPage page;
  const Bytes prefix = index_prefix(q);
  Bytes from = prefix;
  const auto after = be64(q.after + 1);
  from.insert(from.end(), after.begin(), after.end());
  for (std::size_t scanned = 0; page.events.size() < q.limit; ++scanned) {
    auto found = txn.seek(db.event_index, from);
    if (!found.ok()) return fail(found.error());
    const auto& entry = *found;
    if (!entry || entry->first.size() != prefix.size() + 8 ||
        !std::equal(prefix.begin(), prefix.end(), entry->first.begin()))
      break;
    const uint64_t seq = read_be64(entry->first.subspan(prefix.size()));
    if (scanned == q.max_scanned) {
      page.resume_after = seq - 1;
      break;
    }
    // An index entry without its event, or an event that does not decode, is a store that
    // is not what this node wrote: an error, never an event left out of the audit trail.
    auto record = txn.get(db.events, be64(seq));
    if (!record.ok()) return fail(record.error());
    if (!*record)
      return fail(LmdbError{MDB_CORRUPTED, "the event index names event " + std::to_string(seq) +
                                               ", which is not stored"});
    auto ev = StoredEvent::decode(**record);
    if (!ev)
      return fail(LmdbError{MDB_CORRUPTED, "stored event " + std::to_string(seq) +
                                               " does not decode (" +
                                               std::to_string((*record)->size()) + " bytes)"});
    // Blocks' times never decrease, and events are appended in block order.
    if (ev->time > q.to_time) break;
    if (ev->time >= q.from_time) page.events.push_back({seq, std::move(*ev)});
    from = prefix;
    const auto next = be64(seq + 1);
    from.insert(from.end(), next.begin(), next.end());
  }
  return page;
}

}  // namespace assent::store
