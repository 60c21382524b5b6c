// Compiler benchmark: (1) compile time of contracts, including generated ones of growing
// size (for linearity); (2) the VM benchmark programs written in Assent against the same
// programs in C compiled by clang-19 -target bpf, both run in the VM: instructions executed
// and time, and their ratio.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "stdlib/host_syscalls.hpp"
#include "vm/inputs.hpp"
#include "vm/machine.hpp"
#include "vm/memory.hpp"
#include "vm/verifier.hpp"

namespace fs = std::filesystem;
using namespace assent;
using u64 = unsigned long long;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A contract of about `target` lines: pairs of an action and a view, each with storage,
// records, sets, events, arithmetic and a let-else.
std::string generated_contract(std::size_t target) {
  std::string s = R"(contract Generated {
    enum Purpose { A, B, C, D }
    record Entry { who: identity, amount: u64, purposes: set<Purpose>, until: time }
    storage {
        entries: map<(identity, u64), Entry>;
        totals: map<identity, u64>;
        count: u64;
    }
    event Changed(indexed who: identity, id: u64);
)";
  for (int k = 0; lines(s) < target; ++k) {
    const std::string n = std::to_string(k);
    s += "    action act_" + n +
         "(who: identity, id: u64, amount: u64) -> u64 {\n"
         "        require(amount > " +
         n +
         ", \"amount too small\");\n"
         "        let e = Entry { who, amount: amount + " +
         n +
         ", purposes: {Purpose.A, Purpose.C}, until: now + 1d };\n"
         "        entries[(who, id)] = e;\n"
         "        totals[who] += amount;\n"
         "        count += 1;\n"
         "        if amount % 2 == 0 {\n"
         "            emit Changed(who, id);\n"
         "        }\n"
         "        return totals[who];\n"
         "    }\n"
         "    view get_" +
         n +
         "(who: identity, id: u64) -> u64 {\n"
         "        let e = entries.get((who, id)) else { return 0; };\n"
         "        if Purpose.B in e.purposes { return 1; }\n"
         "        return e.amount * " +
         n +
         ";\n"
         "    }\n";
  }
  return s + "}\n";
}

double compile_ms(const std::string& name, const std::string& text,
                  const compiler::CompileOptions& options) {
  const double seconds = bench::median_seconds(5, [&] {
    auto c = compiler::compile(name, text, options);
    if (!c.ok) {
      std::fprintf(stderr, "%s does not compile:\n%s", name.c_str(), c.diagnostics.c_str());
      std::exit(1);
    }
  });
  return seconds * 1e3;
}

std::vector<uint8_t> bytes_of(const std::vector<u64>& words) {
  std::vector<uint8_t> b(words.size() * 8);
  std::memcpy(b.data(), words.data(), b.size());
  return b;
}

struct Run {
  uint64_t result = 0;
  uint64_t instructions = 0;
  double seconds = 0;
};

// C programs get a heap of exactly the scratch they use, mapped from the start; Assent
// programs grow theirs on demand from 4 KiB (vm.heap_grow), as contracts do.
Run run_vm(const vm::VerifiedProgram& program, uint32_t function, const std::vector<uint8_t>& input,
           bool result_in_return_data, uint32_t fixed_heap) {
  vm::Machine machine(fixed_heap ? vm::MachineConfig{fixed_heap, 0, 64}
                                 : vm::MachineConfig{8u << 20, 4096, 64});
  vm::ExecResult r;
  Run out;
  out.seconds = bench::median_seconds(
      5, [&] { r = machine.run(program, function, input, 20'000'000'000ull); });
  if (!r.ok()) {
    std::fprintf(stderr, "run failed: %s\n", r.describe().c_str());
    std::exit(1);
  }
  out.instructions = r.instructions;
  if (result_in_return_data && r.return_data.size() == 8)
    std::memcpy(&out.result, r.return_data.data(), 8);
  else
    out.result = r.r0;
  return out;
}

}  // namespace

int main() {
  const fs::path source = ASSENT_SOURCE_DIR;

  std::printf("Compile time (assentc in process, -O2, %s)\n\n",
              bench::small() ? "one run" : "median of 5");
  {
    bench::Table table({"source", "lines", "compile time", "per 100 lines"});
    struct Source {
      std::string name, text;
      compiler::CompileOptions options;
    };
    std::vector<Source> sources;
    sources.push_back(
        {"DESIGN.md sketch", read(source / "tests/lang/storage/design_sketch.assent"), {}});
    // A contract's tests (`*_test.assent`) compile as `assent test` compiles them: in test
    // mode, importing the contract beside them, which they compile too.
    compiler::CompileOptions test_mode;
    test_mode.test = true;
    test_mode.contracts_dir = (source / "contracts").string();
    std::vector<fs::path> contracts;
    if (fs::exists(source / "contracts"))
      for (const auto& entry : fs::directory_iterator(source / "contracts"))
        if (entry.path().extension() == ".assent") contracts.push_back(entry.path());
    std::sort(contracts.begin(), contracts.end());
    for (const auto& path : contracts) {
      const std::string file = path.filename().string();
      const bool test = file.ends_with("_test.assent");
      sources.push_back({"contracts/" + file + (test ? " (test mode)" : ""), read(path),
                         test ? test_mode : compiler::CompileOptions{}});
    }
    for (std::size_t n :
         bench::small() ? std::vector<std::size_t>{300} : std::vector<std::size_t>{300, 1000, 2000})
      sources.push_back({"generated, " + std::to_string(n) + " lines", generated_contract(n), {}});
    for (const auto& [name, text, options] : sources) {
      const double ms = compile_ms(name, text, options);
      table.row({name, std::to_string(lines(text)), bench::fmt("%.1f ms", ms),
                 bench::fmt("%.2f ms", ms * 100.0 / static_cast<double>(lines(text)))});
    }
  }

  std::printf(
      "\nThe VM benchmark programs in Assent and in C (clang-19 -target bpf -O2), both run in the "
      "VM\n\n");
  bench::Table table({"program", "C instructions", "Assent instructions", "instr. ratio", "C time",
                      "Assent time", "time ratio"});
  struct Case {
    const char* name;
    const char* file;
    std::vector<u64> c_input;
    std::vector<uint8_t> assent_input;
    uint32_t c_heap = 4096;
  };
  const uint64_t heap = vm::region_base(vm::RegionId::Heap);
  const u64 fib = bench::pick(5'000'000, 50'000), sieve = bench::pick(1'000'000, 10'000),
            mix = bench::pick(20'000, 200), sort = bench::pick(50'000, 500);
  std::vector<Case> cases = {
      {"fib loop", "fib", {fib}, bytes_of({fib})},
      {"sieve", "sieve", {sieve, heap}, bytes_of({sieve, heap}), static_cast<uint32_t>(sieve + 8)},
      {"sha-256-style mixing", "mix", {mix, 7}, bytes_of({mix, 7})},
      {"heapsort",
       "sort",
       {sort, heap, 99},
       bytes_of({sort, heap, 99}),
       static_cast<uint32_t>(sort * 8 + 8)},
  };
  {
    // The consent program takes its records as list<Rec>: the same words, with a u32 count.
    const auto words = bench::consent_input(bench::pick(200, 2));
    std::vector<uint8_t> in = bytes_of(std::vector<u64>(words.begin(), words.begin() + 6));
    const uint32_t count = static_cast<uint32_t>(words[0]);
    in.insert(in.end(), reinterpret_cast<const uint8_t*>(&count),
              reinterpret_cast<const uint8_t*>(&count) + 4);
    const auto records = bytes_of(std::vector<u64>(words.begin() + 6, words.end()));
    in.insert(in.end(), records.begin(), records.end());
    cases.push_back({"1,000 consent records", "consent", words, in});
  }
  int failures = 0;
  for (const auto& c : cases) {
    const auto c_code = read(fs::path(ASSENT_BENCH_PROGRAM_DIR) / (std::string(c.file) + ".bin"));
    auto c_program =
        vm::verify_raw(std::vector<uint8_t>(c_code.begin(), c_code.end()), stdlib::node_syscalls());
    const std::string text =
        read(source / "benchmarks/compiler/programs" / (std::string(c.file) + ".assent"));
    auto compiled = compiler::compile(std::string(c.file) + ".assent", text);
    if (!c_program.ok() || !compiled.ok) {
      std::fprintf(stderr, "%s: %s%s\n", c.name,
                   c_program.ok() ? "" : c_program.error().describe().c_str(),
                   compiled.diagnostics.c_str());
      return 1;
    }
    auto program = vm::verify(compiled.module, stdlib::node_syscalls());
    if (!program.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name, program.error().describe().c_str());
      return 1;
    }
    const Run in_c = run_vm(*c_program, 0, bytes_of(c.c_input), false, c.c_heap);
    const Run in_assent =
        run_vm(*program, compiled.module.find_export(c.file)->function, c.assent_input, true, 0);
    if (in_c.result != in_assent.result) {
      std::fprintf(stderr, "%s: C gives %llu, Assent %llu\n", c.name, static_cast<u64>(in_c.result),
                   static_cast<u64>(in_assent.result));
      ++failures;
    }
    table.row({c.name, std::to_string(in_c.instructions), std::to_string(in_assent.instructions),
               bench::fmt("%.2fx", static_cast<double>(in_assent.instructions) /
                                       static_cast<double>(in_c.instructions)),
               bench::fmt("%.2f ms", in_c.seconds * 1e3),
               bench::fmt("%.2f ms", in_assent.seconds * 1e3),
               bench::fmt("%.2fx", in_assent.seconds / in_c.seconds)});
  }
  return failures == 0 ? 0 : 1;
}
