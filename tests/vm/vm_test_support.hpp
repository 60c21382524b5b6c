// Helpers shared by the VM tests: assemble-verify-run in one call, for both dispatch modes.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "vm/assembler.hpp"
#include "vm/machine.hpp"
#include "vm/verifier.hpp"

namespace assent::vm::test {

inline const SyscallRegistry& core_registry() { return core_syscalls(); }

inline constexpr Dispatch kDispatches[] = {Dispatch::Threaded, Dispatch::Switch};

inline const char* dispatch_name(Dispatch d) {
  return d == Dispatch::Threaded ? "threaded" : "switch";
}

inline Module assemble_ok(std::string_view source) {
  auto m = assemble(source);
  if (!m.ok()) FAIL(m.error().describe("test.s"));
  return std::move(m).value();
}

inline VerifiedProgram program_from(std::string_view source, Dispatch d = Dispatch::Threaded,
                                    const SyscallRegistry& registry = core_registry()) {
  auto p = verify(assemble_ok(source), registry, d);
  if (!p.ok()) FAIL(p.error().describe());
  return std::move(p).value();
}

// Runs function 0 of `source` under both dispatch modes, checks they agree exactly, and
// returns the result.
inline ExecResult run_both(std::string_view source, std::vector<uint8_t> input = {},
                           uint64_t gas = 1'000'000, MachineConfig config = {}) {
  ExecResult first;
  for (Dispatch d : kDispatches) {
    CAPTURE(dispatch_name(d));
    VerifiedProgram p = program_from(source, d);
    Machine machine(config);
    ExecResult r = machine.run(p, 0, input, gas);
    if (d == Dispatch::Threaded) {
      first = r;
    } else {
      CHECK(r.status == first.status);
      CHECK(r.r0 == first.r0);
      CHECK(r.gas_used == first.gas_used);
      CHECK(r.pc == first.pc);
      CHECK(r.message == first.message);
      CHECK(r.return_data == first.return_data);
    }
  }
  return first;
}

}  // namespace assent::vm::test
