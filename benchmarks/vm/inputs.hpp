// Inputs shared by the VM and compiler benchmarks.
#pragma once

#include <cstdint>
#include <vector>

namespace assent::bench {

// The consent-record program's input: a 6-word header (count, actor, purpose bit, category
// bit, now, passes) and 1,000 records of 6 words, a quarter of which permit the query. The
// program scans the records `passes` times.
inline std::vector<unsigned long long> consent_input(unsigned long long passes) {
  using u64 = unsigned long long;
  // 1,000 records, a quarter of which permit the query.
  const u64 count = 1000, actor = 42, purpose = 1u << 3, category = 1u << 5, now = 1'700'000'000;
  std::vector<u64> in = {count, actor, purpose, category, now, passes};
  u64 x = 12345;
  for (u64 i = 0; i < count; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const bool mine = (x >> 60) < 8;
    in.push_back(mine ? actor : 1000 + i);
    in.push_back((x >> 20) & 0xff);
    in.push_back((x >> 28) & 0xff);
    in.push_back(now - 1000 + ((x >> 40) & 0x7ff));
    in.push_back(now + 1000 - ((x >> 44) & 0x7ff));
    in.push_back((x >> 52) & 1);
  }
  return in;
}

}  // namespace assent::bench
