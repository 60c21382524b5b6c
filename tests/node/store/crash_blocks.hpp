// The deterministic history of the crash test, shared by the child that gets killed and
// the test that replays it: block 1 deploys a contract, block h > 1 makes 20 calls that
// each write a key. After each block, meta `head` is its height (in the same transaction).
#pragma once

#include <cstring>

#include "node/executor/executor.hpp"
#include "vm/assembler.hpp"

namespace assent::crash {

inline std::vector<uint8_t> module_bytes() {
  auto m = vm::assemble(R"(
.func step action
    ldxdw r6, [r1+0]
    stb [r10-16], 107
    mov64 r2, r6
    mod64 r2, 50
    stxb [r10-15], r2
    stxdw [r10-8], r6
    mov64 r1, r10
    sub64 r1, 16
    mov64 r2, 2
    mov64 r3, r10
    sub64 r3, 8
    mov64 r4, 8
    syscall storage.set
    mov64 r0, 0
    exit
)");
  return *vm::encode_module(*m);
}

inline node::Identity deployer() {
  return node::Identity{0xde};
}

// Runs block `height` and commits it; returns false on any error.
inline bool run_block(node::Executor& exec, store::Store& store, uint64_t height) {
  auto block = exec.begin_block({height, 1'700'000'000 + height});
  if (!block.ok()) return false;
  if (height == 1) {
    if (!(*block)->deploy(deployer(), 0, module_bytes(), {}, 1'000'000, {}).ok()) return false;
  } else {
    const node::Identity contract = node::Executor::contract_address(deployer(), 0);
    for (uint64_t j = 0; j < 20; ++j) {
      const uint64_t n = height * 20 + j;
      std::vector<uint8_t> arg(8);
      std::memcpy(arg.data(), &n, 8);
      if (!(*block)->call(deployer(), contract, "step", arg, 1'000'000, {}).ok()) return false;
    }
  }
  if (!(*block)->finish().ok()) return false;
  if (store::put_meta_u64((*block)->txn(), store.db(), "head", height)) return false;
  return !(*block)->commit();
}

}  // namespace assent::crash
