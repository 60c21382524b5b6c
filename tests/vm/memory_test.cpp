// Memory regions: what is mapped, what may be written, the guard gaps between stack frames,
// and the messages of faults.
#include <doctest/doctest.h>

#include <vector>

#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

using test::run_both;

ExecResult load_at(uint64_t addr, const char* op = "ldxdw r0, [r1+0]") {
  return run_both("lddw r1, " + std::to_string(addr) + "\n" + op + "\nexit\n",
                  {1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("regions: null, unmapped and past-the-end addresses fault") {
  ExecResult r = load_at(0);
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.pc == 2);
  CHECK(r.message == "read of 8 bytes at 0x0_00000000: not a mapped address (the null region)");
  r = load_at(0x500000000);
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.message.find("no region") != std::string::npos);
  r = load_at(0x400000001);  // 8 bytes from offset 1 of an 8-byte input
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.message == "read of 8 bytes at 0x4_00000001: past the end of the input (8 bytes)");
  CHECK(load_at(0x400000000).r0 == 0x0807060504030201ull);
}

TEST_CASE("regions: read-only data can be read but not written") {
  const char* source = R"(
.rodata answer hex "2a00000000000000"
    lddw r1, answer
    ldxdw r0, [r1+0]
    stdw [r1+0], 1
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.r0 == 42);
  CHECK(r.message == "write of 8 bytes at 0x1_00000000: read-only data cannot be written");
}

TEST_CASE("regions: the heap is readable and writable to its configured size") {
  MachineConfig config;
  config.heap_size = 64;
  const char* ok = "lddw r1, 0x300000038\nstdw [r1+0], 9\nldxdw r0, [r1+0]\nexit\n";
  CHECK(run_both(ok, {}, 100, config).r0 == 9);
  const char* past = "lddw r1, 0x300000039\nstdw [r1+0], 9\nexit\n";
  const ExecResult r = run_both(past, {}, 100, config);
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.message == "write of 8 bytes at 0x3_00000039: past the end of the heap (64 bytes)");
}

TEST_CASE("stack: the frame's 4 KiB are usable; beyond either end is a guard gap") {
  CHECK(run_both("stdw [r10-4096], 3\nldxdw r0, [r10-4096]\nexit\n").r0 == 3);
  ExecResult r = run_both("stdw [r10-4097], 3\nexit\n");  // below frame 0: outside the region
  CHECK(r.status == Status::MemoryFault);
  r = run_both("stdw [r10+0], 3\nexit\n");  // above the frame: its guard gap
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.message ==
        "write of 8 bytes at 0x2_00001000: in the guard gap between stack frames (a frame over- or "
        "underflowed)");
  r = run_both("stdw [r10-4], 3\nexit\n");  // straddles the top of the frame
  CHECK(r.status == Status::MemoryFault);
}

TEST_CASE("stack: a callee's underflow runs into the gap, not into its caller's frame") {
  const char* source = R"(
.func main
    stdw [r10-8], 1
    call f
    ldxdw r0, [r10-8]
    exit
.func f
    stdw [r10-4104], 2
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.status == Status::MemoryFault);
  CHECK(r.message.find("guard gap") != std::string::npos);
}

TEST_CASE("translate_range: syscall ranges must lie inside one region and one frame") {
  uint8_t buffer[64] = {};
  RegionView table[kRegionCount] = {};
  std::vector<uint8_t> stack(3 * kFrameStride);
  table[2] = {stack.data(), stack.size(), kStackGaps};
  table[3] = {buffer, sizeof buffer, kNoGaps};
  CHECK(translate_range(table, 0x200000000, kFrameSize) == stack.data());
  CHECK(translate_range(table, 0x200000000, kFrameSize + 1) == nullptr);    // into the gap
  CHECK(translate_range(table, 0x200000000, 2 * kFrameStride) == nullptr);  // across a gap
  CHECK(translate_range(table, 0x200000000 + kFrameStride, 16) == stack.data() + kFrameStride);
  CHECK(translate_range(table, 0x200000000 + kFrameSize, 1) == nullptr);
  CHECK(translate_range(table, 0x200000000, 0) == nullptr);
  CHECK(translate_range(table, 0x2ffffffff, 8) == nullptr);
  CHECK(translate_range(table, 0x300000000, 64) == buffer);
  CHECK(translate_range(table, 0x300000001, 64) == nullptr);
}

}  // namespace
}  // namespace assent::vm

namespace assent::vm {
namespace {

TEST_CASE("heap: grows on demand up to its limit, and starts zeroed again") {
  MachineConfig config;
  config.heap_size = 3 * 4096;
  config.initial_heap = 4096;
  const char* source = R"(
    lddw r6, 0x300001000
    ldxb r0, [r6+0]          ; beyond the initial heap: faults
    exit
)";
  CHECK(run_both(source, {}, 1000, config).status == Status::MemoryFault);

  const char* grow = R"(
    mov64 r1, 5000
    syscall vm.heap_grow
    mov64 r7, r0             ; mapped size: 8192
    lddw r6, 0x300001ff8
    ldxdw r0, [r6+0]         ; zero
    stdw [r6+0], 5
    add64 r0, r7
    exit
)";
  VerifiedProgram p = test::program_from(grow);
  Machine m(config);
  ExecResult r = m.run(p, 0, {}, 1000);
  CHECK(r.ok());
  CHECK(r.r0 == 8192);
  CHECK(r.gas_used == 8 + 10 + (5000 - 4096 + 31) / 32);
  CHECK(m.heap().size() == 8192);
  r = m.run(p, 0, {}, 1000);
  CHECK(r.r0 == 8192);  // the 5 stored by the first run is gone

  const char* too_much = "lddw r1, 100000\nsyscall vm.heap_grow\nexit\n";
  r = run_both(too_much, {}, 1000, config);
  CHECK(r.status == Status::SyscallFailed);
  CHECK(r.message == "vm.heap_grow: 100000 bytes of heap exceed the limit of 12288");
}

}  // namespace
}  // namespace assent::vm
