#include "node/cli/node_command.hpp"

#include <iostream>

#include "node/cli/devnet.hpp"
#include "node/node.hpp"

namespace assent::node {

namespace {

// `node`'s options: the node's configuration, and what the command line gives in other units.
struct NodeOptions {
  NodeConfig config;
  int block_ms = 100;
  uint64_t min_free_mib = config.solo.mempool.min_free_disk >> 20;
  std::vector<std::string> proposers;
  std::string genesis;  // a file
  std::string clients;  // a clients file (auth/clients.hpp)
  bool no_auth = false;
  NodeOptions() { config.data_dir = "node-data"; }
};

void add_cluster_options(CLI::App* cmd, NodeOptions& o) {
  cmd->add_option("--etcd", o.config.etcd,
                  "etcd client URLs: order blocks through etcd, as one node of a cluster")
      ->delimiter(',');
  cmd->add_option("--name", o.config.name, "this node's name in the cluster");
  cmd->add_option("--etcd-keep-blocks", o.config.etcd_keep_blocks,
                  "blocks kept in etcd below the slowest node")
      ->capture_default_str();
  cmd->add_option("--proposers", o.proposers,
                  "the identities (hex) whose blocks a cluster node accepts, its own among "
                  "them if it may propose; default: any")
      ->delimiter(',');
  cmd->add_option("--advertise", o.config.advertise_url,
                  "the API URL other cluster nodes reach this one at (https://HOST:PORT, or "
                  "http:// without TLS; default: where the API listens)");
  cmd->add_option("--peer-ca", o.config.peer_tls.ca_file,
                  "the CA (PEM) that signed the other nodes' API certificates (default: the "
                  "system's)");
  cmd->add_option("--etcd-ca", o.config.etcd_tls.ca_file,
                  "the CA (PEM) that signed etcd's certificates, for https:// etcd URLs");
  cmd->add_option("--etcd-cert", o.config.etcd_tls.cert_file,
                  "this node's client certificate (PEM) for etcd (--client-cert-auth)");
  cmd->add_option("--etcd-key", o.config.etcd_tls.key_file, "its key (PEM)");
}

}  // namespace

// The API's TLS flags, `assent node`'s and `assent devnet`'s.
void add_server_tls_options(CLI::App* cmd, ServerTls& tls) {
  cmd->add_option("--tls-cert", tls.cert_file,
                  "serve HTTPS with this certificate (PEM, its chain after it)");
  cmd->add_option("--tls-key", tls.key_file, "the certificate's private key (PEM, unencrypted)");
  cmd->add_option("--tls-client-ca", tls.client_ca_file,
                  "require client certificates signed by this CA (PEM)");
}

namespace {

int node(NodeOptions& o) {
  o.config.solo.interval = std::chrono::milliseconds(o.block_ms);
  o.config.solo.mempool.min_free_disk = o.min_free_mib << 20;
  auto ids = parse_identities(o.proposers, "--proposers");
  if (!ids.ok()) {
    std::cerr << "error: " << ids.error() << "\n";
    return 2;
  }
  o.config.chain.proposers = *ids;
  if (!o.genesis.empty()) {
    auto genesis = read_genesis_file(o.genesis);
    if (!genesis.ok()) {
      std::cerr << "error: " << genesis.error() << "\n";
      return 2;
    }
    o.config.genesis = std::move(genesis).value();
  }
  if (!o.clients.empty()) {
    auto clients = auth::ClientList::load(o.clients);
    if (!clients.ok()) {
      std::cerr << "error: --clients: " << clients.error() << "\n";
      return 2;
    }
    o.config.api.clients = clients->registry();
  }
  o.config.api.require_auth = !o.no_auth;
  return run_node(o.config);
}

}  // namespace

void add_node_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<NodeOptions>();
  NodeConfig& config = o->config;
  auto* cmd = app.add_subcommand("node", "Run a node (solo orderer) with its data in a directory");
  cmd->add_option("--data", config.data_dir, "data directory")->capture_default_str();
  cmd->add_option("--port", config.api.port, "API port; 0 for any")->capture_default_str();
  cmd->add_option("--host", config.api.host, "API address")->capture_default_str();
  add_server_tls_options(cmd, config.api.tls);
  cmd->add_flag("--insecure-http", config.api.insecure_http,
                "serve plain HTTP on a --host that is not loopback (a network private by other "
                "means, or a TLS proxy on another machine)");
  cmd->add_option("--chain-id", config.chain.chain_id,
                  "the chain's id: kept in the store at genesis, and checked at each start "
                  "(default: the store's; for a new chain, `assent-` and random hex)");
  cmd->add_option("--genesis", o->genesis,
                  "a new chain's consortium: its members, their keys and roles (JSON, "
                  "docs/protocol.md \"Genesis\"); every node of the chain is given the same");
  cmd->add_option("--block-ms", o->block_ms, "block interval")->capture_default_str();
  cmd->add_option("--block-txs", config.solo.max_txs, "most transactions in a block")
      ->capture_default_str();
  cmd->add_option("--min-free-mib", o->min_free_mib,
                  "refuse transactions while the store's disk has less free (MiB)")
      ->capture_default_str();
  cmd->add_option("--clients", o->clients,
                  "the registered clients, who may get bearer tokens (JSON: docs/security.md)");
  cmd->add_flag("--no-auth", o->no_auth,
                "serve anonymous requests on every endpoint (development on loopback only)");
  add_cluster_options(cmd, *o);
  cmd->callback([o, &exit_code] { exit_code = node(*o); });
}

}  // namespace assent::node
