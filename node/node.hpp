// A node: the store, the executor, the chain, an orderer and the API, started and stopped
// together. `assent devnet` runs one; tests and benchmarks start them in process.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "node/api/server.hpp"
#include "node/chain/genesis.hpp"
#include "node/orderer/solo.hpp"

namespace assent::node {

struct NodeConfig {
  std::string data_dir;
  // `chain.chain_id` empty: the store's, or a random one for a new chain (chain_id.hpp).
  ChainConfig chain;
  // A new chain's consortium (node/chain/genesis.hpp); a store that has one checks it is the
  // same. None: the store's, or an open chain (anyone deploys) when it never had one.
  std::optional<Genesis> genesis;
  SoloConfig solo;  // also the cluster orderer's interval, block size and mempool bounds
  ApiConfig api;
  bool sync = true;  // fsync each block
  // A cluster node: etcd's client URLs, and this node's name in the cluster. Without them,
  // the node orders alone (solo).
  std::vector<std::string> etcd;
  std::string name;
  uint64_t etcd_keep_blocks = 1000;  // blocks kept in etcd below the slowest node
  // The API URL the other nodes of a cluster reach this one at (to forward transactions and
  // fetch blocks); empty: where the API listens. https:// when the API serves TLS.
  std::string advertise_url;
  // A cluster node's trust: etcd's (its CA, and this node's client certificate for
  // --client-cert-auth), and the other nodes' APIs' (their CA; a client certificate for
  // nodes that ask for one, by default the node's own --tls-cert and --tls-key).
  ClientTls etcd_tls;
  ClientTls peer_tls;
};

// Whether `url` is an API address a peer can use: http(s)://HOST:PORT (HOST a name, an IPv4
// address or a bracketed IPv6 one). What is wrong with it, or nothing.
std::optional<std::string> check_api_url(const std::string& url);

class Node {
 public:
  // Opens (or creates) the data directory; the node's key is `node.pem` in it. The chain id
  // is settled with the store's (settle_chain_id): `chain().config().chain_id` is the one.
  static Result<std::unique_ptr<Node>, std::string> open(const NodeConfig& config);
  ~Node();

  // Recomputes the state root from every record and compares it with the head block's
  // (node/chain/verify.hpp), so that a node never serves state changed behind the chain's
  // back; what does not match, or nothing.
  std::optional<std::string> check_state();
  bool start(std::string& error);  // the orderer and the API
  void stop();
  std::string url() const { return api_->url(); }
  std::string transport() const { return api_->transport(); }  // HTTPS or plain HTTP, how
  const HttpStats& http_stats() const { return api_->http_stats(); }
  Chain& chain() { return *chain_; }
  Orderer& orderer() { return *orderer_; }

 private:
  Node() = default;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Chain> chain_;
  std::unique_ptr<Orderer> orderer_;
  class EtcdOrderer* etcd_ = nullptr;  // orderer_, when it is one
  std::unique_ptr<ApiServer> api_;
  std::string data_dir_;
  std::string advertise_url_;
};

// The key in `path`, made (mode 0600) when there is none.
Result<KeyPair, std::string> load_or_create_key(const std::string& path);

}  // namespace assent::node
