#include "node/api/auth/replay_cache.hpp"

#include <cstring>

#include "stdlib/crypto.hpp"

namespace assent::node::auth {

std::size_t ReplayCache::KeyHash::operator()(const Key& k) const {
  std::size_t h;
  std::memcpy(&h, k.data(), sizeof h);
  return h;
}

void ReplayCache::expire(int64_t now) {
  while (!by_time_.empty() && by_time_.begin()->first <= now) {
    until_.erase(by_time_.begin()->second);
    by_time_.erase(by_time_.begin());
  }
}

ReplayCache::Use ReplayCache::use(std::span<const uint8_t> what, int64_t until, int64_t now) {
  const stdlib::Hash digest = stdlib::sha256(what);
  Key key;
  std::memcpy(key.data(), digest.data(), key.size());
  std::lock_guard lock(mutex_);
  expire(now);
  if (until_.count(key) > 0) return Use::Replayed;
  if (until <= floor_) return Use::TooOld;
  if (until_.size() >= capacity_) {
    auto first = by_time_.begin();
    floor_ = std::max(floor_, first->first);
    until_.erase(first->second);
    by_time_.erase(first);
    if (until <= floor_) return Use::TooOld;
  }
  until_.emplace(key, until);
  by_time_.emplace(until, key);
  return Use::Fresh;
}

std::size_t ReplayCache::size() const {
  std::lock_guard lock(mutex_);
  return until_.size();
}

int64_t ReplayCache::floor() const {
  std::lock_guard lock(mutex_);
  return floor_;
}

}  // namespace assent::node::auth
