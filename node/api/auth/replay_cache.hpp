// What was used once and must not be used again while it is still valid: request signatures
// (until their `created` leaves the window) and client assertions' `jti` (until their `exp`).
//
// Bounded in memory whatever clients send: entries leave when their time has passed, and at
// most `capacity` are held. When the cache is full it evicts the entry that would expire
// first and remembers that time as its floor: from then on it refuses anything valid no
// later than the floor (TooOld), since a copy of what it evicted might be among them. So a
// flood never makes a replay pass; it shortens the window instead (a 100,000-entry cache
// holds a minute of 1,600 signed requests a second, and the floor stays behind the clock up
// to 100,000 a second). Only what verified is recorded: forging entries needs a key.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <unordered_map>

namespace assent::node::auth {

class ReplayCache {
 public:
  enum class Use { Fresh, Replayed, TooOld };

  explicit ReplayCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Records `what` (any bytes: a signature, an issuer and its jti) as used until `until`
  // (unix seconds: the first second at which it is refused anyway), at `now`. Fresh: it was
  // not seen and is now recorded; Replayed: it was; TooOld: the cache cannot tell, and it is
  // not recorded.
  [[nodiscard]] Use use(std::span<const uint8_t> what, int64_t until, int64_t now);

  std::size_t size() const;
  // The floor (see above): what is valid no later than this is refused; INT64_MIN until the
  // cache first evicted.
  int64_t floor() const;

 private:
  using Key = std::array<uint8_t, 16>;  // a prefix of SHA-256(what): collisions need 2^64 work
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  void expire(int64_t now);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<Key, int64_t, KeyHash> until_;
  std::multimap<int64_t, Key> by_time_;
  int64_t floor_ = INT64_MIN;
};

}  // namespace assent::node::auth
