// `assent verify`: checks a node's data directory against its own chain (every block's hash
// chain, signatures and transactions, and the state root recomputed from every record).
#pragma once

#include <CLI/CLI.hpp>

namespace assent::node {

void add_verify_command(CLI::App& app, int& exit_code);

}  // namespace assent::node
