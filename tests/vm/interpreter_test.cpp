// The interpreter: exact gas, calls, traps and determinism, each run under both dispatch
// modes (run_both checks that they agree on every field).
#include <doctest/doctest.h>

#include <cstring>

#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

using test::run_both;

TEST_CASE("gas: a straight-line block costs its instruction count") {
  const ExecResult r = run_both("mov64 r0, 7\nadd64 r0, 5\nexit\n");
  CHECK(r.ok());
  CHECK(r.r0 == 12);
  CHECK(r.gas_used == 3);
  CHECK(r.instructions == 3);
}

TEST_CASE("gas: loops are charged per block entered") {
  // Blocks: [0-1] 2 gas, [2-4] 3 gas per iteration, [5] 1 gas: 2 + 10 * 3 + 1.
  const char* source = R"(
    mov64 r0, 0
    mov64 r1, 10
loop:
    add64 r0, r1
    sub64 r1, 1
    jne r1, 0, loop
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.ok());
  CHECK(r.r0 == 55);
  CHECK(r.gas_used == 33);
}

TEST_CASE("gas: lddw counts as one instruction") {
  const ExecResult r = run_both("lddw r0, 0x123456789abcdef0\nexit\n");
  CHECK(r.r0 == 0x123456789abcdef0ull);
  CHECK(r.gas_used == 2);
}

TEST_CASE("gas: exactly enough succeeds, one less runs out") {
  const char* source = "mov64 r0, 1\nja +0\nmov64 r0, 2\nexit\n";  // blocks [0-1] and [2-3]
  CHECK(run_both(source, {}, 4).ok());
  const ExecResult r = run_both(source, {}, 3);
  CHECK(r.status == Status::OutOfGas);
  CHECK(r.gas_used == 3);  // an out-of-gas run consumes its whole limit
  CHECK(r.pc == 2);        // the block that could not be paid for
  CHECK(r.instructions == 2);
  CHECK(r.message.find("pc 2 costs 2, 1 left") != std::string::npos);
}

TEST_CASE("gas: an infinite loop ends at the gas limit") {
  const ExecResult r = run_both("loop:\nadd64 r0, 1\nja loop\n", {}, 1001);
  CHECK(r.status == Status::OutOfGas);
  CHECK(r.r0 == 500);  // 500 blocks of 2; the 501st needs 2 with 1 left
  CHECK(r.instructions == 1000);
}

TEST_CASE("calls: r6-r9 and r10 are the caller's again after a call; r1-r5 pass arguments") {
  const char* source = R"(
.func main
    mov64 r6, 6
    mov64 r9, 9
    mov64 r1, 40
    mov64 r2, 2
    call add
    add64 r0, r6
    add64 r0, r9
    mov64 r3, r10
    exit
.func add
    mov64 r6, 100
    mov64 r9, 100
    mov64 r0, r1
    add64 r0, r2
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.ok());
  CHECK(r.r0 == 40 + 2 + 6 + 9);
  // Blocks: main [0-4] 5, add [9-13] 5, main [5-8] 4.
  CHECK(r.gas_used == 14);
}

TEST_CASE("calls: each frame is its own stack; a callee may write its caller's frame by pointer") {
  const char* source = R"(
.func main
    stdw [r10-8], 5
    mov64 r1, r10
    sub64 r1, 8
    call bump
    ldxdw r0, [r10-8]
    exit
.func bump
    stdw [r10-8], 77
    ldxdw r2, [r1+0]
    add64 r2, 1
    stxdw [r1+0], r2
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.ok());
  CHECK(r.r0 == 6);
}

TEST_CASE("calls: recursion beyond the frame limit traps") {
  const char* source = R"(
.func main
    call main
    exit
)";
  MachineConfig config;
  config.max_frames = 8;
  const ExecResult r = run_both(source, {}, 1'000'000, config);
  CHECK(r.status == Status::CallDepthExceeded);
  CHECK(r.pc == 0);
  CHECK(r.gas_used == 8);  // 8 frames each entered the block [0] once
  CHECK(r.message == "call depth exceeded: 7 nested calls");
}

TEST_CASE("calls: recursion computes within the frame limit") {
  // fact(n) = n <= 1 ? 1 : n * fact(n - 1), with n saved in r6 across the call.
  const char* source = R"(
.func main
    mov64 r1, 10
    call fact
    exit
.func fact
    mov64 r0, 1
    jle r1, 1, done
    mov64 r6, r1
    sub64 r1, 1
    call fact
    mul64 r0, r6
done:
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.ok());
  CHECK(r.r0 == 3628800);
}

TEST_CASE("syscalls: set_return copies return data and charges per 32-byte word") {
  const char* source = R"(
.rodata msg "0123456789abcdef0123456789abcdefXY"
    lddw r1, msg
    mov64 r2, 34
    syscall vm.set_return
    mov64 r0, 3
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.ok());
  CHECK(r.r0 == 3);
  CHECK(std::string(r.return_data.begin(), r.return_data.end()) ==
        "0123456789abcdef0123456789abcdefXY");
  // 6 instructions in one block, syscall base 10, 2 words of data.
  CHECK(r.gas_used == 5 + 10 + 2);
  CHECK(r.instructions == 5);
}

TEST_CASE("syscalls: abort ends the run with the program's message") {
  const char* source = R"(
.rodata msg "expiry must be in the future"
    lddw r1, msg
    mov64 r2, 28
    syscall vm.abort
    exit
)";
  const ExecResult r = run_both(source);
  CHECK(r.status == Status::Aborted);
  CHECK(r.message == "expiry must be in the future");
  CHECK(r.pc == 3);
  CHECK(r.describe() == "aborted at pc 3: expiry must be in the future");
}

TEST_CASE("syscalls: a bad guest pointer is a trap, not a host fault") {
  const ExecResult r = run_both("mov64 r1, 16\nmov64 r2, 4\nsyscall vm.set_return\nexit\n");
  CHECK(r.status == Status::SyscallFailed);
  CHECK(r.message == "vm.set_return: pointer is not readable memory");
  const ExecResult big =
      run_both("lddw r1, 0x400000000\nlddw r2, 0xffffffffffff\nsyscall vm.abort\nexit\n");
  CHECK(big.status == Status::SyscallFailed);
}

TEST_CASE("syscalls: a syscall's base cost is charged before it runs") {
  const char* source = "mov64 r1, 0\nmov64 r2, 0\nsyscall vm.set_return\nexit\n";
  CHECK(run_both(source, {}, 14).ok());  // 4 instructions + 10
  const ExecResult r = run_both(source, {}, 13);
  CHECK(r.status == Status::OutOfGas);
  CHECK(r.pc == 2);
  CHECK(r.message.find("vm.set_return") != std::string::npos);
}

TEST_CASE("entry: a function the program does not have is bad-function, not a syscall's failure") {
  VerifiedProgram p = test::program_from("mov64 r0, 1\nexit\n");
  Machine m;
  const ExecResult r = m.run(p, 1, {}, 100);
  CHECK(r.status == Status::BadFunction);
  CHECK(r.gas_used == 0);
  CHECK(r.message == "the program has no function #1 (it has 1)");
  CHECK(to_string(r.status) == "bad-function");
  CHECK(m.run(p, 0, {}, 100).r0 == 1);
}

TEST_CASE("determinism: the same run twice gives the same result and memory") {
  const char* source = R"(
    lddw r3, 0x300000000
    mov64 r4, 0
loop:
    mov64 r5, r4
    mul64 r5, 40503
    stxdw [r3+0], r5
    add64 r3, 8
    add64 r4, 1
    jne r4, 100, loop
    ldxdw r0, [r3-8]
    exit
)";
  VerifiedProgram p = test::program_from(source);
  Machine a, b;
  const ExecResult r1 = a.run(p, 0, {}, 100000);
  const std::vector<uint8_t> heap1(a.heap().begin(), a.heap().end());
  const ExecResult r2 = a.run(p, 0, {}, 100000);  // reused machine
  const ExecResult r3 = b.run(p, 0, {}, 100000);  // fresh machine
  CHECK(r1.r0 == 99ull * 40503ull);
  CHECK(r1.r0 == r2.r0);
  CHECK(r1.r0 == r3.r0);
  CHECK(r1.gas_used == r2.gas_used);
  CHECK(r1.gas_used == r3.gas_used);
  CHECK(std::equal(heap1.begin(), heap1.end(), b.heap().begin()));
}

TEST_CASE("determinism: memory starts zeroed on every run of a reused machine") {
  const char* source = R"(
    ldxdw r0, [r10-8]
    lddw r2, 0x300000010
    ldxdw r3, [r2+0]
    add64 r0, r3
    stdw [r10-8], 1
    stdw [r2+0], 2
    exit
)";
  VerifiedProgram p = test::program_from(source);
  Machine m;
  CHECK(m.run(p, 0, {}, 100).r0 == 0);
  CHECK(m.run(p, 0, {}, 100).r0 == 0);  // the writes of the first run are gone
}

TEST_CASE("input: r1 points to a writable copy of the input and r2 holds its length") {
  const char* source = R"(
    ldxb r0, [r1+2]
    stb [r1+0], 99
    ldxb r3, [r1+0]
    add64 r0, r3
    add64 r0, r2
    exit
)";
  const ExecResult r = run_both(source, {1, 2, 3, 4});
  CHECK(r.r0 == 3 + 99 + 4);
}

}  // namespace
}  // namespace assent::vm
