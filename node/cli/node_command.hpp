// `assent node`: a node with its data in a directory, ordering blocks alone (solo) or through
// etcd as one node of a cluster.
#pragma once

#include <CLI/CLI.hpp>

namespace assent::node {

void add_node_command(CLI::App& app, int& exit_code);

}  // namespace assent::node
