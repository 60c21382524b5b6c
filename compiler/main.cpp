// assentc: the Assent compiler. `assentc FILE.assent -o FILE.acm [--emit=llvm|asm|module]
// [-O0|-O1|-O2]`. Diagnostics go to stderr; exit status 0 compiled, 1 errors, 2 usage.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/compile.hpp"

int main(int argc, char** argv) {
  CLI::App app{"assentc: compile an Assent contract to an .acm module"};
  std::string input, output, emit = "module", stdlib;
  int opt = 2;
  app.add_option("file", input, "the source (.assent)")->required();
  app.add_option("-o,--output", output, "where to write (- for standard output)")->required();
  app.add_option("--emit", emit, "what to write: module, llvm or asm")
      ->check(CLI::IsMember({"module", "llvm", "asm"}))
      ->capture_default_str();
  app.add_option("-O", opt, "optimisation level")->check(CLI::Range(0, 2))->capture_default_str();
  app.add_option("--stdlib", stdlib, "directory of the standard-library modules");
  bool test = false;
  std::string contracts;
  app.add_flag("--test", test,
               "compile a test file: test built-ins, and `import name;` of a contract beside it");
  app.add_option("--contracts", contracts,
                 "with --test: where imported contracts are (default: the file's directory)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot open `" << input << "`\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();

  assent::compiler::CompileOptions options;
  options.opt_level = opt;
  options.stdlib_dir = stdlib;
  options.test = test;
  options.contracts_dir = contracts;
  options.want_llvm_ir = emit == "llvm";
  options.want_assembly = emit == "asm";
  const auto result = assent::compiler::compile(input, text.str(), options);
  if (!result.ok) {
    std::cerr << result.diagnostics;
    return 1;
  }
  std::string bytes = emit == "llvm"  ? result.llvm_ir
                      : emit == "asm" ? result.assembly
                                      : std::string(result.bytes.begin(), result.bytes.end());
  if (output == "-") {
    std::cout << bytes;
    return 0;
  }
  const std::string tmp = output + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::cerr << "error: cannot write `" << output << "`\n";
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), output.c_str()) != 0) {
    std::cerr << "error: cannot write `" << output << "`\n";
    return 1;
  }
  return 0;
}
