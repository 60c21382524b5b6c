// `assent devnet`: one node with its data in a local directory, the reference contracts
// deployed, demo identities for a registrar, a patient, a provider, a researcher and an
// auditor; what the CLI needs to find them by name is in DIR/devnet.json.
#pragma once

#include <string>

#include "node/node.hpp"
#include "stdlib/abi_codec.hpp"

namespace assent::node {

struct DevnetOptions {
  std::string data_dir = ".devnet";
  std::string contracts_dir;  // the reference contracts' sources; empty: the built-in path
  int port = 8645;
  int block_ms = 100;
  // HTTPS: `tls` makes a CA and certificates in DIR/tls (devnet_tls.hpp); or the files given
  // (--tls-cert, --tls-key, --tls-client-ca), and whom the devnet's own client trusts (--ca)
  // and presents (--client-cert, --client-key).
  bool tls = false;
  ServerTls server_tls;
  ClientTls client_tls;
};

// Runs until SIGINT or SIGTERM; the exit status.
int run_devnet(const DevnetOptions& options);
// `assent node`: a node alone, until SIGINT or SIGTERM.
int run_node(const NodeConfig& config);
// One line on the chain's consortium: its members, or a warning that the chain is open.
std::string describe_consortium(Chain& chain);

inline const char* kDevnetRoles[] = {"registrar", "patient", "provider", "researcher", "auditor"};

// The names of a devnet (DIR/devnet.json), or an empty object.
abi::Json read_devnet(const std::string& data_dir);

}  // namespace assent::node
