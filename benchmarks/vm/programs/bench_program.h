/* Shared by the benchmark programs, which are compiled twice: with clang-19 -target bpf
 * into raw VM programs, and natively into the benchmark binary. Each program is one function
 * taking its input block (r1 in the VM) and returning a checksum, so both builds can be
 * compared for correctness as well as speed. Parameters, including pointers to scratch
 * memory, come from the input: the VM's heap address or a host buffer. No calls, no
 * read-only data: everything is inlined into the one entry function. */
#ifndef ASSENT_BENCH_PROGRAM_H
#define ASSENT_BENCH_PROGRAM_H

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#ifdef __bpf__
#define BENCH_ENTRY(name) __attribute__((section(".text"))) u64 name(const u64* in)
#else
#define BENCH_ENTRY(name) u64 native_##name(const u64* in)
#endif

#define INLINE static inline __attribute__((always_inline))

#endif
