// GCC 12 at -O3 in C++20 reports, inside library code inlined into ours, overlaps and
// out-of-bounds accesses that cannot happen; clang reports none of them. Those met here:
//   -Wrestrict         `"`" + std::string&&` (libstdc++ inserts at 0: GCC bug 105651). A
//                      single character is written as a char instead ('`' + ...), which
//                      takes another path.
//   -Warray-bounds, -Wstringop-overflow, -Wstringop-overread
//                      appending to small or empty byte vectors, vector<uint8_t>'s <=> (in
//                      std::set<Bytes> and std::sort), Boost.Multiprecision's widening copies.
// ASSENT_GCC_FALSE_POSITIVE("-Wname") ... ASSENT_GCC_FALSE_POSITIVE_END brackets the code GCC
// misreads (GCC honours the bracket where library code is inlined into it), so the warning
// stays an error everywhere else. `make build-gcc` (CI runs it) builds everything with GCC.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#define ASSENT_GCC_PRAGMA(text) _Pragma(#text)
#define ASSENT_GCC_FALSE_POSITIVE(warning) \
  _Pragma("GCC diagnostic push") ASSENT_GCC_PRAGMA(GCC diagnostic ignored warning)
#define ASSENT_GCC_FALSE_POSITIVE_END _Pragma("GCC diagnostic pop")
#else
#define ASSENT_GCC_FALSE_POSITIVE(warning)
#define ASSENT_GCC_FALSE_POSITIVE_END
#endif
