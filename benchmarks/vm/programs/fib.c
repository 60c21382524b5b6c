/* Iterative Fibonacci modulo 2^64: a loop of dependent adds. in[0] = n. */
#include "bench_program.h"

BENCH_ENTRY(fib) {
  u64 a = 0, b = 1;
  for (u64 i = in[0]; i != 0; --i) {
    u64 t = a + b;
    a = b;
    b = t;
  }
  return a;
}
