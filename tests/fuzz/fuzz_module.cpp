// Fuzz target: hostile bytes as a module. Loading, verifying and running every export under
// a small gas limit must end in a value or an error, never a crash, hang or stray access.
#include <cstddef>
#include <cstdint>

#include "vm/machine.hpp"
#include "vm/module.hpp"
#include "vm/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assent::vm;
  const SyscallRegistry& registry = core_syscalls();
  auto module = read_module({data, size});
  if (!module.ok()) return 0;
  // What loads must be written back to the same bytes: one module, one encoding.
  if (write_module(*module) != std::vector<uint8_t>(data, data + size)) __builtin_trap();
  auto program = verify(std::move(module).value(), registry);
  if (!program.ok()) return 0;
  Machine machine(MachineConfig{4096, 16});
  for (const auto& e : program->module().exports)
    (void)machine.run(*program, e.function, {data, size}, 5000);
  return 0;
}
