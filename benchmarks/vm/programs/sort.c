/* Heapsort of in[0] 64-bit keys in scratch memory at in[1], filled from an LCG seeded with
 * in[2]; returns a position-weighted checksum of the sorted keys. */
#include "bench_program.h"

BENCH_ENTRY(sort) {
  const u64 n = in[0];
  u64* a = (u64*)in[1];
  u64 x = in[2];
  for (u64 i = 0; i < n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    a[i] = x >> 16;
  }
  /* Build a max-heap, then move the maximum to the end n-1 times. */
  for (u64 start = n / 2; start-- > 0;) {
    u64 root = start;
    for (;;) {
      u64 child = 2 * root + 1;
      if (child >= n) break;
      if (child + 1 < n && a[child] < a[child + 1]) ++child;
      if (a[root] >= a[child]) break;
      u64 t = a[root];
      a[root] = a[child];
      a[child] = t;
      root = child;
    }
  }
  for (u64 end = n; end-- > 1;) {
    u64 t = a[0];
    a[0] = a[end];
    a[end] = t;
    u64 root = 0;
    for (;;) {
      u64 child = 2 * root + 1;
      if (child >= end) break;
      if (child + 1 < end && a[child] < a[child + 1]) ++child;
      if (a[root] >= a[child]) break;
      t = a[root];
      a[root] = a[child];
      a[child] = t;
      root = child;
    }
  }
  u64 sum = 0;
  for (u64 i = 0; i < n; ++i)
    sum += a[i] * (i + 1);
  return sum;
}
