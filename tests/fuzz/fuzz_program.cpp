// Fuzz target: hostile bytes as a raw program, run under a gas limit by both dispatch modes,
// which must agree on every observable: status, r0, gas, pc, message and memory.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vm/machine.hpp"
#include "vm/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assent::vm;
  const SyscallRegistry& registry = core_syscalls();
  // The first 16 bytes (if any) are the input memory; the rest is code.
  const size_t split = size < 16 ? size : 16;
  const std::span<const uint8_t> input(data, split), code(data + split, size - split);
  auto threaded = verify_raw(code, registry, Dispatch::Threaded);
  auto switched = verify_raw(code, registry, Dispatch::Switch);
  if (threaded.ok() != switched.ok()) __builtin_trap();
  if (!threaded.ok()) return 0;
  Machine a(MachineConfig{256, 8}), b(MachineConfig{256, 8});
  const ExecResult x = a.run(*threaded, 0, input, 20000);
  const ExecResult y = b.run(*switched, 0, input, 20000);
  if (x.status != y.status || x.r0 != y.r0 || x.gas_used != y.gas_used || x.pc != y.pc ||
      x.message != y.message || x.instructions != y.instructions)
    __builtin_trap();
  if (std::memcmp(a.heap().data(), b.heap().data(), a.heap().size()) != 0 ||
      std::memcmp(a.stack().data(), b.stack().data(), a.stack().size()) != 0 ||
      std::memcmp(a.input().data(), b.input().data(), a.input().size()) != 0)
    __builtin_trap();
  if (x.gas_used > 20000) __builtin_trap();
  return 0;
}
