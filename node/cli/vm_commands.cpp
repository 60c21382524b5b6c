#include "node/cli/vm_commands.hpp"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <sstream>

#include "node/cli/files.hpp"
#include "vm/assembler.hpp"
#include "vm/disassembler.hpp"
#include "vm/hex.hpp"
#include "vm/machine.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

namespace {

const vm::SyscallRegistry& registry() { return vm::core_syscalls(); }

int error(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return 1;
}

Result<vm::Module, std::string> load(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes.ok()) return fail(bytes.error());
  auto module = vm::read_module(*bytes);
  if (!module.ok()) return fail(path + ": " + module.error().describe());
  return std::move(module).value();
}

std::string hex_u64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The source position of `pc`, when the module's line table has one: " (line 4:9)".
std::string where(const vm::Module& m, const vm::ExecResult& r) {
  if (r.source_line != 0)
    return " (line " + std::to_string(r.source_line) + ":" + std::to_string(r.source_column) + ")";
  const vm::LineEntry* l = m.line_for(r.pc);
  return l ? " (line " + std::to_string(l->line) + ":" + std::to_string(l->column) + ")" : "";
}

int run_module(const std::string& path, const std::string& function, uint64_t gas,
               const std::string& input_hex) {
  auto module = load(path);
  if (!module.ok()) return error(module.error());
  auto input = parse_hex(input_hex);
  if (!input.ok()) return error("--input: " + input.error());

  const vm::Export* e = module->find_export(function);
  if (e == nullptr) {
    std::string names;
    for (const auto& x : module->exports)
      names += (names.empty() ? "" : ", ") + x.name;
    return error(path + " exports no function `" + function + "`" +
                 (names.empty() ? " (it exports nothing)" : "; it exports: " + names));
  }
  const uint32_t fn = e->function;
  auto program = vm::verify(std::move(module).value(), registry());
  if (!program.ok())
    return error(path + ": rejected by the verifier: " + program.error().describe());

  vm::Machine machine;
  const vm::ExecResult r = machine.run(*program, fn, *input, gas);
  std::cout << "result: " << r.r0 << " (" << hex_u64(r.r0) << ")\n";
  if (!r.return_data.empty()) std::cout << "return data: " << to_hex(r.return_data) << "\n";
  std::cout << "gas used: " << r.gas_used << " of " << gas << "\n";
  std::cout << "status: " << r.describe() << (r.ok() ? "" : where(program->module(), r)) << "\n";
  return r.ok() ? 0 : 1;
}

int run_raw(const std::vector<std::string>& memory_words, uint64_t gas) {
  std::string memory_text;
  for (const auto& w : memory_words)
    memory_text += w + " ";
  auto memory = parse_hex(memory_text);
  if (!memory.ok()) return error("memory: " + memory.error());
  std::string program_text((std::istreambuf_iterator<char>(std::cin)),
                           std::istreambuf_iterator<char>());
  auto code = parse_hex(program_text);
  if (!code.ok()) return error("program on stdin: " + code.error());
  auto program = vm::verify_raw(*code, registry());
  if (!program.ok()) return error("program rejected: " + program.error().describe());
  vm::Machine machine;
  const vm::ExecResult r = machine.run(*program, 0, *memory, gas);
  if (!r.ok()) return error("trap: " + r.describe());
  std::cout << hex_u64(r.r0) << "\n";
  return 0;
}

int disasm(const std::string& path) {
  auto module = load(path);
  if (!module.ok()) return error(module.error());
  std::cout << vm::disassemble(*module);
  return 0;
}

int asm_file(const std::string& path, const std::string& out_path) {
  auto source = read_text_file(path);
  if (!source.ok()) return error(source.error());
  auto module = vm::assemble(*source);
  if (!module.ok()) {
    std::cerr << module.error().describe(path) << "\n";
    return 1;
  }
  auto bytes = vm::encode_module(*module);
  if (!bytes.ok()) return error(path + ": " + bytes.error().describe());
  // Check before writing, so a module that would not load is never produced.
  auto program = vm::verify(*module, registry());
  if (!program.ok())
    return error(path + ": rejected by the verifier: " + program.error().describe());
  auto written = write_file(out_path, *bytes);
  if (!written.ok()) return error(written.error());
  return 0;
}

}  // namespace

void add_vm_commands(CLI::App& app, int& exit_code) {
  {
    auto* cmd = app.add_subcommand("run", "Run an exported function of a module");
    auto path = std::make_shared<std::string>();
    auto function = std::make_shared<std::string>();
    auto gas = std::make_shared<uint64_t>(10'000'000);
    auto input = std::make_shared<std::string>();
    cmd->add_option("module", *path, "the module (.acm)")->required();
    cmd->add_option("function", *function, "the exported function to run")->required();
    cmd->add_option("--gas", *gas, "gas limit")->capture_default_str();
    cmd->add_option("--input", *input,
                    "input bytes in hex; r1 points to them, r2 holds their length");
    cmd->callback([=, &exit_code] { exit_code = run_module(*path, *function, *gas, *input); });
  }
  {
    auto* cmd =
        app.add_subcommand("run-raw", "Run a raw program read as hex from stdin; prints r0 in hex");
    auto memory = std::make_shared<std::vector<std::string>>();
    auto gas = std::make_shared<uint64_t>(1'000'000'000);
    cmd->add_option("memory", *memory,
                    "initial memory in hex; r1 points to it, r2 holds its length");
    cmd->add_option("--gas", *gas, "gas limit")->capture_default_str();
    cmd->callback([=, &exit_code] { exit_code = run_raw(*memory, *gas); });
  }
  {
    auto* cmd = app.add_subcommand("disasm", "Print a module's code with function names");
    auto path = std::make_shared<std::string>();
    cmd->add_option("module", *path, "the module (.acm)")->required();
    cmd->callback([=, &exit_code] { exit_code = disasm(*path); });
  }
  {
    auto* cmd = app.add_subcommand("asm", "Assemble a module from assembly text (see docs/vm.md)");
    auto path = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    cmd->add_option("source", *path, "assembly source (.s)")->required();
    cmd->add_option("-o,--output", *out, "the module to write (.acm)")->required();
    cmd->callback([=, &exit_code] { exit_code = asm_file(*path, *out); });
  }
}

}  // namespace assent::node
