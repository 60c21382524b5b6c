// `assent cluster up|status|down`: a local cluster for trying it out (docs/cluster.md).
#include <iomanip>
#include <iostream>

#include "node/api/client.hpp"
#include "node/cli/cluster_commands.hpp"
#include "node/cli/local_cluster.hpp"

namespace assent::node {

namespace {

// The cluster described in `dir`, or nothing (said on stderr, exit code 2).
std::optional<LocalCluster> read_cluster(const std::string& dir, int& exit_code) {
  auto c = LocalCluster::read(dir);
  if (c.ok()) return std::move(c).value();
  std::cerr << "error: " << c.error() << "\n";
  exit_code = 2;
  return std::nullopt;
}

}  // namespace

void add_cluster_commands(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<LocalClusterConfig>();
  auto* cluster = app.add_subcommand("cluster", "A local cluster: etcd members and nodes");
  cluster->require_subcommand(1);

  auto* up = cluster->add_subcommand("up", "Start etcd members and nodes on loopback ports");
  up->add_option("--dir", config->dir, "where its data and logs live")->capture_default_str();
  up->add_option("--nodes", config->nodes, "how many (each with its etcd member)")
      ->check(CLI::Range(1, 7))
      ->capture_default_str();
  up->add_option("--base-port", config->base_port, "etcd at base+2i, nodes at base+100+i")
      ->capture_default_str();
  up->add_option("--block-ms", config->block_ms, "block interval")->capture_default_str();
  up->add_option("--chain-id", config->chain_id,
                 "every node's chain id (default: the cluster's before, or a random one)");
  up->add_flag("--tls", config->tls,
               "TLS between nodes, between etcd members and from nodes to etcd, with a CA and "
               "certificates made in DIR/tls");
  up->callback([config, &exit_code] {
    auto c = cluster_up(*config);
    if (!c.ok()) {
      std::cerr << "error: " << c.error() << "\n";
      exit_code = 1;
      return;
    }
    std::cout << "cluster up in " << c->dir << "/ (" << c->members.size() << " etcd members, "
              << c->nodes.size() << " nodes), chain `" << c->chain_id << "`\n";
    for (const auto& n : c->nodes)
      std::cout << "  " << n.name << "  " << n.url << "\n";
    const std::string ca = c->tls_dir.empty() ? "" : " --ca " + c->client_tls().ca_file;
    std::cout << "try: build/bin/assent cluster status --dir " << config->dir
              << "\n     build/bin/assent status --node " << c->nodes[0].url << ca
              << "\nstop: build/bin/assent cluster down --dir " << config->dir << "\n";
  });

  auto* status = cluster->add_subcommand("status", "Each node's role, height and state root");
  status->add_option("--dir", config->dir, "the cluster's directory")->capture_default_str();
  status->callback([config, &exit_code] {
    auto c = read_cluster(config->dir, exit_code);
    if (!c) return;
    std::cout << std::left << std::setw(8) << "node" << std::setw(11) << "role" << std::setw(9)
              << "height" << "state root\n";
    for (const auto& n : c->nodes) {
      ApiClient api(n.url, c->client_tls());
      auto s = api.get("/v1/status");
      std::cout << std::setw(8) << n.name;
      if (!s.ok()) {
        std::cout << "down (" << n.url << ")\n";
        exit_code = 1;
        continue;
      }
      std::cout << std::setw(11) << (*s)["role"].get<std::string>() << std::setw(9)
                << (*s)["height"].get<uint64_t>() << (*s)["state_root"].get<std::string>() << "\n";
      if (!(*s)["fault"].is_null()) std::cout << "        " << (*s)["fault"].dump() << "\n";
    }
  });

  auto* down = cluster->add_subcommand("down", "Stop every node and etcd member (data stays)");
  down->add_option("--dir", config->dir, "the cluster's directory")->capture_default_str();
  down->callback([config, &exit_code] {
    auto c = read_cluster(config->dir, exit_code);
    if (!c) return;
    exit_code = cluster_down(*c) ? 0 : 1;
    std::cout << (exit_code == 0 ? "cluster down\n" : "some processes would not stop\n");
  });
}

}  // namespace assent::node
