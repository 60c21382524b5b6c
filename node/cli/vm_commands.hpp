// The `assent` subcommands that work on modules and programs directly, without a node:
// run, run-raw, disasm, asm.
#pragma once

#include <CLI/CLI.hpp>

namespace assent::node {

// Adds the subcommands to `app`; each sets `exit_code` when it runs (0 ok, 1 failure).
void add_vm_commands(CLI::App& app, int& exit_code);

}  // namespace assent::node
