/* Checks consent records laid out in the input: in[0] records follow a 5-word header
 * (count, actor, purpose bit, category bit, now); each record is grantee, purposes bitset,
 * categories bitset, valid-from, valid-until, revoked flag. Returns how many permit the
 * query; in[5] repeats the scan that many times so that one run is long enough to time. */
#include "bench_program.h"

BENCH_ENTRY(consent) {
  const u64 count = in[0], actor = in[1], purpose = in[2], category = in[3], now = in[4];
  const u64 passes = in[5];
  const u64* records = in + 6;
  u64 permits = 0;
  for (u64 p = 0; p < passes; ++p) {
    for (u64 i = 0; i < count; ++i) {
      const u64* r = records + i * 6;
      if (r[0] == actor && (r[1] & purpose) && (r[2] & category) && r[3] <= now && now < r[4] &&
          r[5] == 0)
        ++permits;
    }
  }
  return permits;
}
