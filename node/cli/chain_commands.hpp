// The `assent` commands over a node's API: key, deploy, call, view, tx, block, audit,
// status, devnet and demo, one function each (and `node`, from node_command.hpp, in its place
// among them). Names from a devnet (`@patient`, `patient_consent`) work wherever an identity
// or a contract is expected.
#pragma once

#include <CLI/CLI.hpp>

namespace assent::node {

void add_chain_commands(CLI::App& app, int& exit_code);

}  // namespace assent::node
