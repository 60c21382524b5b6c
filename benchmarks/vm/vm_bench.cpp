// VM benchmark: each program of programs/ runs as eBPF in the interpreter (threaded and
// switch dispatch, gas metering on) and natively, on the same input; the results must agree.
// Prints instructions executed, interpreter speed, and interpreter time / native time.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harness.hpp"
#include "vm/inputs.hpp"
#include "vm/machine.hpp"
#include "vm/memory.hpp"
#include "vm/verifier.hpp"

extern "C" {
using u64 = unsigned long long;
u64 native_fib(const u64* in);
u64 native_sieve(const u64* in);
u64 native_mix(const u64* in);
u64 native_sort(const u64* in);
u64 native_consent(const u64* in);
}

namespace {

using namespace assent;

constexpr uint64_t kHeapBase = vm::region_base(vm::RegionId::Heap);

struct Benchmark {
  const char* name;
  u64 (*native)(const u64*);
  std::vector<u64> input;  // word 1 of programs with scratch memory is patched per side
  bool uses_scratch;
  uint32_t scratch_bytes;
};

std::vector<uint8_t> read_program(const std::string& name) {
  const std::string path = std::string(ASSENT_BENCH_PROGRAM_DIR) + "/" + name + ".bin";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(1);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> as_bytes(const std::vector<u64>& words) {
  std::vector<uint8_t> bytes(words.size() * 8);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  return bytes;
}

}  // namespace

int main() {
  const u64 fib = bench::pick(5'000'000, 50'000), sieve = bench::pick(1'000'000, 10'000),
            mix = bench::pick(20'000, 200), sort = bench::pick(50'000, 500);
  std::vector<Benchmark> benchmarks = {
      {"fib loop", native_fib, {fib}, false, 0},
      {"sieve", native_sieve, {sieve, 0}, true, static_cast<uint32_t>(sieve)},
      {"sha-256-style mixing", native_mix, {mix, 7}, false, 0},
      {"heapsort (heap memory)", native_sort, {sort, 0, 99}, true, static_cast<uint32_t>(sort * 8)},
      {"1,000 consent records", native_consent, bench::consent_input(bench::pick(200, 2)), false,
       0},
  };
  const char* files[] = {"fib", "sieve", "mix", "sort", "consent"};

  const vm::SyscallRegistry& registry = vm::core_syscalls();

  std::printf("VM: interpreter vs native code on the same C (clang-19 -O2), gas metering on\n\n");
  bench::Table table({"program", "instructions", "threaded Minstr/s", "switch Minstr/s",
                      "threaded time", "native time", "threaded / native"});
  int failures = 0;
  for (std::size_t i = 0; i < benchmarks.size(); ++i) {
    Benchmark& b = benchmarks[i];
    const std::vector<uint8_t> code = read_program(files[i]);

    std::vector<u64> native_input = b.input;
    std::vector<uint8_t> scratch(b.scratch_bytes + 8);
    if (b.uses_scratch) native_input[1] = reinterpret_cast<uintptr_t>(scratch.data());
    std::vector<u64> vm_words = b.input;
    if (b.uses_scratch) vm_words[1] = kHeapBase;
    const std::vector<uint8_t> vm_input = as_bytes(vm_words);

    volatile u64 sink = 0;
    u64 native_result = 0;
    const double native_time = bench::median_seconds(5, [&] {
      std::memset(scratch.data(), 0, scratch.size());  // the VM's heap is zeroed per run too
      native_result = b.native(native_input.data());
      sink = native_result;
    });
    (void)sink;

    vm::MachineConfig config;
    config.heap_size = b.uses_scratch ? b.scratch_bytes + 8 : 4096;
    vm::Machine machine(config);
    double vm_time[2] = {0, 0};
    uint64_t instructions = 0;
    for (vm::Dispatch d : {vm::Dispatch::Threaded, vm::Dispatch::Switch}) {
      auto program = vm::verify_raw(code, registry, d);
      if (!program.ok()) {
        std::fprintf(stderr, "%s: %s\n", b.name, program.error().describe().c_str());
        return 1;
      }
      vm::ExecResult result;
      const double t = bench::median_seconds(
          5, [&] { result = machine.run(*program, 0, vm_input, 10'000'000'000ull); });
      if (!result.ok() || result.r0 != native_result) {
        std::fprintf(stderr, "%s: VM gave %s r0=%llu, native %llu\n", b.name,
                     result.describe().c_str(), static_cast<unsigned long long>(result.r0),
                     native_result);
        ++failures;
      }
      instructions = result.instructions;
      vm_time[d == vm::Dispatch::Threaded ? 0 : 1] = t;
    }
    table.row({b.name, std::to_string(instructions),
               bench::fmt("%.0f", instructions / vm_time[0] / 1e6),
               bench::fmt("%.0f", instructions / vm_time[1] / 1e6),
               bench::fmt("%.2f ms", vm_time[0] * 1e3), bench::fmt("%.2f ms", native_time * 1e3),
               bench::fmt("%.1fx", vm_time[0] / native_time)});
  }
  return failures == 0 ? 0 : 1;
}
