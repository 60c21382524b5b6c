// `assent node`: a node with its data in a directory, ordering blocks alone (solo) or through
// etcd as one node of a cluster.
#pragma once

#include <CLI/CLI.hpp>

#include "node/tls/tls.hpp"

namespace assent::node {

void add_node_command(CLI::App& app, int& exit_code);
// --tls-cert, --tls-key, --tls-client-ca into `tls`.
void add_server_tls_options(CLI::App* cmd, ServerTls& tls);

}  // namespace assent::node
