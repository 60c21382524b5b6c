// The VM's address space. A 64-bit guest address names a region by its top 32 bits and an
// offset by its low 32 bits; nothing else is mapped, so host addresses are never visible.
//
//   0x0_xxxxxxxx  unmapped (null pointers fault)
//   0x1_xxxxxxxx  read-only data of the module                 read
//   0x2_xxxxxxxx  stack: frame k at [k*2F, k*2F+F), F = 4 KiB  read/write
//                 the F bytes above each frame are an unmapped guard gap
//   0x3_xxxxxxxx  heap, zeroed at the start of every run       read/write
//   0x4_xxxxxxxx  input: a copy of the call's input bytes      read/write
//
// r10 starts at the top of frame 0 and moves up by 2F on each local call, so a frame that
// overflows downwards or upwards runs into a gap and faults.
#pragma once

#include <cstdint>
#include <string>

namespace assent::vm {

enum class RegionId : uint8_t { Null = 0, Rodata = 1, Stack = 2, Heap = 3, Input = 4 };
inline constexpr unsigned kRegionCount = 5;
inline constexpr unsigned kRegionShift = 32;

constexpr uint64_t region_base(RegionId r) {
  return uint64_t(r) << kRegionShift;
}

inline constexpr unsigned kFrameShift = 12;
inline constexpr uint64_t kFrameSize = uint64_t{1} << kFrameShift;  // bytes usable per frame
inline constexpr uint64_t kFrameStride = 2 * kFrameSize;            // frame plus its guard gap

// Where a region lives on the host. An access of n bytes at offset o is allowed when
// o + n <= size and neither o nor o + n - 1 has a bit of gap_mask set. On the stack the mask
// is the frame-size bit: frames are the even 4 KiB segments, guard gaps the odd ones (an
// access is at most one frame long, so it cannot jump over a gap). Elsewhere it is 0.
struct RegionView {
  uint8_t* host = nullptr;
  uint64_t size = 0;
  uint64_t gap_mask = 0;
};

inline constexpr uint64_t kNoGaps = 0;
inline constexpr uint64_t kStackGaps = kFrameSize;

// Translates [addr, addr + n) with n in 1..8 (instructions) or any length (syscalls).
// Returns the host pointer, or nullptr when any byte of the range is not mapped.
inline uint8_t* translate(const RegionView* table, uint64_t addr, uint64_t n) {
  const uint64_t index = addr >> kRegionShift;
  if (index >= kRegionCount) return nullptr;
  const RegionView& r = table[index];
  const uint64_t offset = addr & 0xffffffffu;
  if (offset + n > r.size || n == 0) return nullptr;
  // Both ends must lie in frames; a range longer than a frame is checked by translate_range.
  if ((offset | (offset + n - 1)) & r.gap_mask) return nullptr;
  return r.host + offset;
}

// As translate, for ranges of any length: a stack range must also fit in one frame.
inline uint8_t* translate_range(const RegionView* table, uint64_t addr, uint64_t n) {
  if (n == 0) return nullptr;
  uint8_t* p = translate(table, addr, n);
  if (p == nullptr) return nullptr;
  const RegionView& r = table[addr >> kRegionShift];
  const uint64_t offset = addr & 0xffffffffu;
  // On the stack both ends must be in the same frame.
  if (r.gap_mask != 0 && (offset >> kFrameShift) != ((offset + n - 1) >> kFrameShift))
    return nullptr;
  return p;
}

// Plain words for a failed access: "write of 8 bytes at 0x1_00000010: read-only data".
std::string describe_fault(const RegionView* table, uint64_t addr, uint64_t n, bool write);

}  // namespace assent::vm
