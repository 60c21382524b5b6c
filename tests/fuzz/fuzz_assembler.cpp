// Fuzz target: text for the assembler and the hex parser. Anything assembled is encoded,
// read back, verified and run; errors must carry a line and column inside the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vm/assembler.hpp"
#include "vm/disassembler.hpp"
#include "vm/hex.hpp"
#include "vm/machine.hpp"
#include "vm/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace assent::vm;
  const SyscallRegistry& registry = core_syscalls();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)assent::parse_hex(text);
  auto module = assemble(text);
  if (!module.ok()) {
    if (module.error().message.empty()) __builtin_trap();
    return 0;
  }
  auto bytes = encode_module(*module);
  if (!bytes.ok()) return 0;  // e.g. an overlong name: refused by the writer's check
  auto again = read_module(*bytes);
  if (!again.ok()) __builtin_trap();
  (void)disassemble(*again);
  auto program = verify(std::move(again).value(), registry);
  if (!program.ok()) return 0;
  Machine machine(MachineConfig{256, 8});
  (void)machine.run(*program, 0, {}, 5000);
  return 0;
}
