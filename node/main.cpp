// `assent`: the node and everything around it (run, disasm, devnet, ...). Never links LLVM.
#include <CLI/CLI.hpp>

#include "node/cli_vm.hpp"
#include "node/devnet_demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"assent: run, inspect and serve Assent contract modules"};
  app.require_subcommand(1);
  int exit_code = 0;
  assent::node::add_vm_commands(app, exit_code);

  auto* devnet = app.add_subcommand("devnet", "Start a local devnet (for now: the VM demo)");
  std::string data_dir = ".devnet";
  devnet->add_option("--data", data_dir, "data directory")->capture_default_str();
  devnet->callback([&] { exit_code = assent::node::run_vm_demo(data_dir); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
