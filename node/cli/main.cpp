// `assent`: the node and everything around it (run, disasm, devnet, ...). Never links LLVM.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "node/cli/chain_commands.hpp"
#include "node/cli/verify_command.hpp"
#include "node/cli/vm_commands.hpp"
#include "node/cli/cluster_commands.hpp"
#include "node/cli/process.hpp"
#include "node/cli/test_runner.hpp"

// `assent compile ...` is `assentc ...`: the compiler links LLVM and `assent` must not, so
// the command hands over to the assentc next to this binary.
int forward_to_assentc(int argc, char** argv) {
  const std::string compiler = assent::node::sibling_program("assentc", argv[0]);
  std::vector<char*> args = {const_cast<char*>(compiler.c_str())};
  for (int i = 2; i < argc; ++i)
    args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(compiler.c_str(), args.data());
  std::cerr << "error: cannot run `" << compiler << "`: " << std::strerror(errno)
            << " (build it with `make`)\n";
  return 1;
}

int main(int argc, char** argv) {
  // A peer that closes a socket while this process writes to it (a node answering 413 to a
  // body it will not read, a cluster peer going away) is an error to handle, not a reason to
  // die: the HTTP clients write without MSG_NOSIGNAL.
  std::signal(SIGPIPE, SIG_IGN);
  if (argc >= 2 && std::string(argv[1]) == "compile") return forward_to_assentc(argc, argv);
  CLI::App app{"assent: run, inspect and serve Assent contract modules"};
  app.require_subcommand(1);
  app.footer("assent compile FILE.assent -o FILE.acm [...] runs the compiler (assentc --help).");
  int exit_code = 0;
  assent::node::add_vm_commands(app, exit_code);
  assent::node::add_test_command(app, exit_code);

  assent::node::add_chain_commands(app, exit_code);
  assent::node::add_cluster_commands(app, exit_code);
  assent::node::add_verify_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
