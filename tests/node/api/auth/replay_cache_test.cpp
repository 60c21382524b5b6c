// The replay cache: what was used once is refused while it could still be valid, entries
// leave when their time has passed, and a cache that is full shortens the window (its floor)
// rather than forget what it may not.
#include <doctest/doctest.h>

#include <string>

#include "node/api/auth/replay_cache.hpp"

using namespace assent::node::auth;

namespace {

ReplayCache::Use use(ReplayCache& c, const std::string& what, int64_t until, int64_t now) {
  return c.use({reinterpret_cast<const uint8_t*>(what.data()), what.size()}, until, now);
}

}  // namespace

TEST_CASE("replay cache: used once, refused again until its time passes") {
  ReplayCache c(10);
  CHECK(use(c, "a", 110, 100) == ReplayCache::Use::Fresh);
  CHECK(use(c, "a", 110, 100) == ReplayCache::Use::Replayed);
  CHECK(use(c, "a", 110, 109) == ReplayCache::Use::Replayed);
  CHECK(use(c, "b", 110, 100) == ReplayCache::Use::Fresh);
  CHECK(c.size() == 2);
  // At `until` the entry leaves (the time check refuses the signature from then on).
  CHECK(use(c, "c", 200, 110) == ReplayCache::Use::Fresh);
  CHECK(c.size() == 1);
  CHECK(c.floor() == INT64_MIN);
}

TEST_CASE(
    "replay cache: full, it evicts the first to expire and refuses what it can no longer tell") {
  ReplayCache c(3);
  CHECK(use(c, "a", 150, 100) == ReplayCache::Use::Fresh);
  CHECK(use(c, "b", 160, 100) == ReplayCache::Use::Fresh);
  CHECK(use(c, "c", 170, 100) == ReplayCache::Use::Fresh);
  CHECK(use(c, "d", 180, 100) == ReplayCache::Use::Fresh);  // evicts a
  CHECK(c.size() == 3);
  CHECK(c.floor() == 150);
  // `a` is gone, but anything valid no later than what was evicted is refused: its replay too.
  CHECK(use(c, "a", 150, 100) == ReplayCache::Use::TooOld);
  CHECK(use(c, "e", 140, 100) == ReplayCache::Use::TooOld);
  CHECK(use(c, "b", 160, 100) == ReplayCache::Use::Replayed);
  // What is valid later than the floor is still taken: the window shrank, it did not close.
  CHECK(use(c, "f", 190, 100) == ReplayCache::Use::Fresh);
  CHECK(c.size() == 3);
  CHECK(c.floor() == 160);
}

TEST_CASE("replay cache: a flood keeps its size bounded") {
  ReplayCache c(1000);
  int fresh = 0;
  for (int i = 0; i < 100'000; ++i)
    fresh += use(c, std::to_string(i), 1000 + i / 100, 900) == ReplayCache::Use::Fresh;
  CHECK(c.size() == 1000);
  CHECK(fresh > 90'000);  // the floor trails what is recorded: new entries keep coming in
  // Everything it holds is still refused as a replay.
  CHECK(use(c, "99999", 1999, 900) == ReplayCache::Use::Replayed);
}
