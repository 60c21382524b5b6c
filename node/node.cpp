#include "node/node.hpp"

#include <filesystem>
#include <regex>

#include "node/chain/chain_id.hpp"
#include "node/chain/genesis.hpp"
#include "node/chain/verify.hpp"
#include "node/orderer/etcd_orderer.hpp"

namespace assent::node {

Result<KeyPair, std::string> load_or_create_key(const std::string& path) {
  if (std::filesystem::exists(path)) return KeyPair::load(path);
  auto key = KeyPair::generate();
  if (!key.ok()) return key;
  if (auto saved = key->save(path); !saved.ok()) return fail(saved.error());
  return key;
}

std::optional<std::string> check_api_url(const std::string& url) {
  static const std::regex form(R"(^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$)");
  std::smatch m;
  if (!std::regex_match(url, m, form) || std::stoi(m[2].str()) == 0 ||
      std::stoi(m[2].str()) > 65535)
    return "`" + url +
           "` is not an API address other nodes can use: give https://HOST:PORT (or "
           "http://HOST:PORT for a node without TLS)";
  return std::nullopt;
}

Result<std::unique_ptr<Node>, std::string> Node::open(const NodeConfig& config) {
  if (config.etcd.empty() && !config.chain.proposers.empty())
    return fail(std::string("--proposers is for a cluster node (with --etcd)"));
  if (!config.advertise_url.empty()) {
    if (config.etcd.empty())
      return fail(std::string("--advertise is for a cluster node (with --etcd)"));
    if (auto wrong = check_api_url(config.advertise_url)) return fail("--advertise: " + *wrong);
    const bool https = config.advertise_url.starts_with("https://");
    if (https != config.api.tls.enabled())
      return fail("--advertise " + config.advertise_url + ": the API serves " +
                  (config.api.tls.enabled() ? "HTTPS: advertise https://HOST:PORT"
                                            : "plain HTTP: advertise http://HOST:PORT, or give "
                                              "it a certificate (--tls-cert, --tls-key)"));
  } else if (!config.etcd.empty()) {
    // Peers reach a cluster node where it listens unless it says otherwise: an address that
    // means "every address" (or an IPv6 one, which needs brackets in a URL) cannot be given.
    const std::string& host = config.api.host;
    if (host.empty() || host == "0.0.0.0" || host.find(':') != std::string::npos)
      return fail("--host " + host +
                  " is not an address the other nodes can reach this one at: say which with "
                  "--advertise " +
                  (config.api.tls.enabled() ? "https" : "http") + "://HOST:PORT");
  }
  // TLS files are checked before anything starts, each named with what is wrong with it.
  if (config.api.tls.enabled())
    if (auto pems = load_server_tls(config.api.tls); !pems.ok())
      return fail(pems.error().message());
  if (!config.etcd.empty())
    for (const ClientTls* tls : {&config.etcd_tls, &config.peer_tls})
      if (auto checked = check_client_tls(*tls); !checked.ok())
        return fail(checked.error().message());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return fail("cannot create `" + config.data_dir + "`: " + ec.message());
  auto key = load_or_create_key(config.data_dir + "/node.pem");
  if (!key.ok()) return fail(key.error());
  auto store = store::Store::open(config.data_dir + "/store", {0, config.sync});
  if (!store.ok()) return fail("cannot open the store: " + store.error().message);
  if (auto wrong = (*store)->format_problem()) return fail(*wrong);
  if (!config.etcd.empty() && config.chain.chain_id.empty()) {
    // A random id would make this node a chain of its own, beside the cluster's.
    auto read = (*store)->begin_read();
    if (!read.ok()) return fail("cannot read the store: " + read.error().message);
    auto kept = stored_chain_id(**store, *read);
    if (!kept.ok()) return fail("cannot read the store: " + kept.error().message);
    if (!*kept)
      return fail(std::string(
          "a cluster node with a new data directory needs the chain's id: give the same "
          "--chain-id to every node of the cluster"));
  }
  auto chain_id = settle_chain_id(**store, config.chain.chain_id);
  if (!chain_id.ok()) return fail(chain_id.error());
  ChainConfig chain = config.chain;
  chain.chain_id = *chain_id;
  std::unique_ptr<Node> n(new Node());
  n->data_dir_ = config.data_dir;
  n->advertise_url_ = config.advertise_url;
  n->store_ = std::move(store).value();
  n->executor_ = std::make_unique<Executor>(*n->store_);
  if (auto problem = settle_genesis(*n->store_, *n->executor_, config.genesis))
    return fail("the genesis: " + *problem);
  n->chain_ = std::make_unique<Chain>(*n->store_, *n->executor_, chain, std::move(key).value());
  if (config.etcd.empty()) {
    n->orderer_ = std::make_unique<SoloOrderer>(*n->chain_, config.solo);
  } else {
    if (config.name.empty()) return fail(std::string("a cluster node needs a name (--name)"));
    EtcdOrdererConfig etcd;
    etcd.endpoints = config.etcd;
    etcd.name = config.name;
    etcd.interval = config.solo.interval;
    etcd.max_txs = config.solo.max_txs;
    etcd.keep_blocks = config.etcd_keep_blocks;
    etcd.mempool = config.solo.mempool;
    etcd.etcd_tls = config.etcd_tls;
    etcd.peer_tls = config.peer_tls;
    // A node that asks its clients for certificates asks its peers too: each presents its
    // own (sent only when asked).
    if (etcd.peer_tls.cert_file.empty() && etcd.peer_tls.key_file.empty()) {
      etcd.peer_tls.cert_file = config.api.tls.cert_file;
      etcd.peer_tls.key_file = config.api.tls.key_file;
    }
    auto orderer = std::make_unique<EtcdOrderer>(*n->chain_, etcd);
    n->etcd_ = orderer.get();
    n->orderer_ = std::move(orderer);
  }
  ApiConfig api = config.api;
  if (!config.advertise_url.empty()) api.public_urls.push_back(config.advertise_url);
  n->api_ = std::make_unique<ApiServer>(*n->chain_, *n->orderer_, api);
  n->orderer_->on_commit = [api = n->api_.get()](const CommittedBlock& b) { api->committed(b); };
  return n;
}

Node::~Node() {
  stop();
}

std::optional<std::string> Node::check_state() {
  auto check = node::check_state(*chain_);
  if (!check.ok()) return "cannot read the store in `" + data_dir_ + "`: " + check.error();
  if (!check->problem) return std::nullopt;
  return "the store in `" + data_dir_ + "` does not match its chain: " + *check->problem +
         ". It was changed outside the chain (or written by an earlier version of Assent): "
         "restore it from a backup, or start from an empty data directory (a cluster node "
         "then fetches the chain again)";
}

bool Node::start(std::string& error) {
  if (etcd_)
    if (auto agreed = etcd_->agree_proposers(); !agreed.ok()) {
      error = agreed.error();
      return false;
    }
  if (auto port = api_->start(); !port.ok()) {
    error = port.error();
    return false;
  }
  if (etcd_) etcd_->set_api_url(advertise_url_.empty() ? api_->url() : advertise_url_);
  orderer_->start();
  return true;
}

void Node::stop() {
  if (api_) api_->stop();
  if (orderer_) orderer_->stop();
}

}  // namespace assent::node
