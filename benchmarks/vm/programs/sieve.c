/* Sieve of Eratosthenes: counts primes below in[0], with flags in scratch memory at in[1]
 * (zeroed by the caller: the VM's heap starts zeroed). */
#include "bench_program.h"

BENCH_ENTRY(sieve) {
  const u64 n = in[0];
  u8* composite = (u8*)in[1];
  u64 count = 0;
  for (u64 i = 2; i < n; ++i) {
    if (composite[i]) continue;
    ++count;
    for (u64 j = i * i; j < n; j += i)
      composite[j] = 1;
  }
  return count;
}
