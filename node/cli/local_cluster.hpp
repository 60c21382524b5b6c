// A cluster on this machine, for trying it out and for the fault tests: etcd members and
// Assent nodes as processes on loopback ports, data and logs in one directory, described in
// DIR/cluster.json. `assent cluster up|status|down` drive it.
#pragma once

#include <sys/types.h>
#include <string>
#include <vector>

#include "node/tls/tls.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/result.hpp"

namespace assent::node {

struct LocalClusterConfig {
  std::string dir = ".cluster";
  int nodes = 3;
  int base_port = 24000;  // etcd members at base+2i (client), base+2i+1 (peer); nodes at base+100+i
  int block_ms = 50;
  uint64_t keep_blocks = 1000;  // blocks etcd keeps below the slowest node
  std::string assent;           // the assent program; empty: the running one
  std::string etcd = "etcd";
  std::string advertise_host;  // nodes advertise http://HOST:PORT; empty: their bind address
  bool pin_proposers = true;   // every node gets --proposers with every node's key
  std::string chain_id;        // every node's --chain-id; empty: the cluster's before, or random
  // TLS everywhere: a CA and certificates made in DIR/tls; etcd's client and peer URLs are
  // https:// with client certificates required (--client-cert-auth, --peer-client-cert-auth),
  // the nodes' APIs https://, each node verifying etcd and its peers against the CA and
  // presenting its own certificate to etcd.
  bool tls = false;
};

struct ClusterProcess {
  std::string name, url, data, log;
  pid_t pid = -1;
};

struct LocalCluster {
  std::string dir;
  std::vector<ClusterProcess> members;  // etcd
  std::vector<ClusterProcess> nodes;
  std::vector<std::string> proposers;  // each node's identity (hex): the chain's proposers
  std::string chain_id;                // every node's --chain-id
  std::string tls_dir;                 // the CA and certificates (config.tls); empty: plain HTTP

  // The CLI's trust for the cluster: the CA and a client certificate (etcd asks for one);
  // nothing without TLS.
  ClientTls client_tls() const;
  abi::Json to_json() const;
  static Result<LocalCluster, std::string> read(const std::string& dir);
  std::vector<std::string> etcd_urls() const;
  // (Re)starts process `i` of `members` or `nodes` as this cluster describes it.
  Result<pid_t, std::string> start_member(std::size_t i, const LocalClusterConfig& config);
  Result<pid_t, std::string> start_node(std::size_t i, const LocalClusterConfig& config);
};

// Starts every member and node, waits until each answers, writes DIR/cluster.json.
Result<LocalCluster, std::string> cluster_up(const LocalClusterConfig& config);
// SIGTERM to every process (SIGKILL after 5 s); true when all are gone.
bool cluster_down(const LocalCluster& cluster);
// A base port, from `start` on, whose ports for `nodes` nodes (and one more) are all free.
int find_free_base_port(int start, int nodes);
// Waits until `url` answers GET `path` with 200, at most `seconds` (https:// with `tls`).
bool wait_for_http(const std::string& url, const std::string& path, double seconds,
                   const ClientTls& tls = {});

}  // namespace assent::node
