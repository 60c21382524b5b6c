/* SHA-256-style mixing: the compression function's rounds (sigma functions, choice,
 * majority, rotations on 32-bit words) over in[0] blocks, with round constants and the
 * message schedule generated arithmetically instead of read from tables. */
#include "bench_program.h"

INLINE u32 rotr(u32 x, u32 n) {
  return (x >> n) | (x << (32 - n));
}

BENCH_ENTRY(mix) {
  u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  u32 w = (u32)in[1];
  for (u64 block = in[0]; block != 0; --block) {
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    u32 k = 0x428a2f98;
    for (u32 round = 0; round < 64; ++round) {
      w = w * 1664525u + 1013904223u + round;
      k = rotr(k, 7) ^ (k + 0x9e3779b9u);
      const u32 s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const u32 ch = (e & f) ^ (~e & g);
      const u32 t1 = hh + s1 + ch + k + w;
      const u32 s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const u32 maj = (a & b) ^ (a & c) ^ (b & c);
      const u32 t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return ((u64)h[0] << 32 | h[1]) ^ ((u64)h[2] << 32 | h[3]) ^ ((u64)h[4] << 32 | h[5]) ^
         ((u64)h[6] << 32 | h[7]);
}
