#include "node/devnet_demo.hpp"

#include <cstring>
#include <filesystem>
#include <iostream>

#include "node/files.hpp"
#include "vm/assembler.hpp"
#include "vm/hex.hpp"
#include "vm/machine.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

namespace {

// Counts the consent records (grantee, purpose bits, category bits, expiry) that let `actor`
// use a category for a purpose at time `now`.
constexpr const char* kDemoSource =
    R"(; input: actor, purpose bit, category bit, now, count (u64 each),
;        then `count` records of 32 bytes: grantee, purposes, categories, until
.func count_permits view
    ldxdw r3, [r1+0]
    ldxdw r4, [r1+8]
    ldxdw r5, [r1+16]
    ldxdw r6, [r1+24]
    ldxdw r7, [r1+32]
    mov64 r0, 0
    add64 r1, 40
loop:
    jeq r7, 0, done
    ldxdw r8, [r1+0]
    jne r8, r3, next
    ldxdw r8, [r1+8]
    and64 r8, r4
    jeq r8, 0, next
    ldxdw r8, [r1+16]
    and64 r8, r5
    jeq r8, 0, next
    ldxdw r8, [r1+24]
    jle r8, r6, next
    add64 r0, 1
next:
    add64 r1, 32
    sub64 r7, 1
    ja loop
done:
    exit
)";

void put_u64(std::vector<uint8_t>& out, uint64_t v) {
  uint8_t b[8];
  std::memcpy(b, &v, 8);
  out.insert(out.end(), b, b + 8);
}

std::vector<uint8_t> demo_input(uint64_t claimed_count) {
  struct Record {
    uint64_t grantee, purposes, categories, until;
  };
  const Record records[] = {
      {7, 0b011, 0b0101, 2000},  // treatment+payment, labs+imaging, until 2000
      {7, 0b100, 0b0001, 2000},  // research only
      {9, 0b011, 0b0101, 2000},  // someone else
      {7, 0b001, 0b0100, 900},   // expired
      {7, 0b001, 0b1111, 5000},  // all categories
  };
  std::vector<uint8_t> in;
  for (uint64_t v : {uint64_t{7}, uint64_t{0b001}, uint64_t{0b0100}, uint64_t{1000}, claimed_count})
    put_u64(in, v);
  for (const auto& r : records)
    for (uint64_t v : {r.grantee, r.purposes, r.categories, r.until})
      put_u64(in, v);
  return in;
}

}  // namespace

int run_vm_demo(const std::string& data_dir) {
  std::cout << "Assent devnet: the node is not part of this build yet; running the VM demo.\n\n";
  auto module = vm::assemble(kDemoSource);
  if (!module.ok()) {
    std::cerr << module.error().describe("demo.s") << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  const std::string path = data_dir + "/demo.acm";
  auto bytes = vm::encode_module(*module);
  if (!bytes.ok()) {
    std::cerr << "error: " << bytes.error().describe() << "\n";
    return 1;
  }
  if (auto written = write_file(path, *bytes); !written.ok()) {
    std::cerr << "error: " << written.error() << "\n";
    return 1;
  }

  vm::SyscallRegistry registry;
  vm::register_core_syscalls(registry);
  auto program = vm::verify(std::move(module).value(), registry);
  if (!program.ok()) {
    std::cerr << "error: " << program.error().describe() << "\n";
    return 1;
  }
  vm::Machine machine;
  const auto input = demo_input(5);
  const vm::ExecResult ok = machine.run(*program, 0, input, 100'000);
  std::cout
      << "module " << path << " (" << bytes->size() << " bytes, " << program->slots().size()
      << " instructions), function count_permits\n"
      << "  5 consent records; may actor 7 use category 2 (imaging) for treatment at t=1000?\n"
      << "  result: " << ok.r0 << " permitting record(s)   gas used: " << ok.gas_used
      << "   status: " << ok.describe() << "\n\n";

  const vm::ExecResult bad = machine.run(*program, 0, demo_input(6), 100'000);
  std::cout << "  the same input claiming 6 records (one past the end of the input):\n"
            << "  status: " << bad.describe() << "   gas used: " << bad.gas_used << "\n\n";

  std::cout
      << "Try:\n"
      << "  build/bin/assent disasm " << path << "\n"
      << "  build/bin/assent run " << path << " count_permits --input " << to_hex(input) << "\n"
      << "  echo 'b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00' | build/bin/assent run-raw\n";
  return ok.ok() && ok.r0 == 2 && bad.status == vm::Status::MemoryFault ? 0 : 1;
}

}  // namespace assent::node
