// The etcd orderer: replicas of one chain agree on its blocks through etcd (Raft), never
// through a consensus of their own. One node at a time is the proposer, holding a lease on
// the proposer key; it executes a block locally and appends it with a compare-and-swap on
// the head key (so two proposers can never both extend the chain), committing locally only
// once etcd took it. Every node follows the block keys in height order, executing each block
// and checking its state root; a node whose root differs stops and reports the divergence.
// Other nodes forward the transactions they receive to the proposer.
//
// Keys, under /assent/<chain id>/: `proposer` (name and API URL, leased), `proposers` (the
// identities that may propose, when the chain pins them), `head` (height),
// `block/<height, 20 digits>` (the block), `applied/<node>` (the height it applied, for
// removing blocks every node has).
#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include "node/chain/mempool.hpp"
#include "node/orderer/etcd_client.hpp"
#include "node/orderer/orderer.hpp"

namespace assent::node {

struct EtcdOrdererConfig {
  std::vector<std::string> endpoints;  // etcd client URLs
  std::string name;                    // this node, unique in the cluster
  std::string api_url;                 // where this node's API answers (for forwarding)
  // Whom it trusts, and what it presents: etcd's client URLs (https://, etcd's
  // --trusted-ca-file and --client-cert-auth), and the other nodes' APIs when it forwards a
  // transaction or fetches a block (https:// URLs they advertise). Empty CA: the system's.
  ClientTls etcd_tls;
  ClientTls peer_tls;
  int lease_seconds = 2;
  std::chrono::milliseconds interval{50};
  std::size_t max_txs = 2000;
  uint64_t keep_blocks = 1000;  // blocks kept in etcd below the lowest applied height
  MempoolConfig mempool;
};

// The proposer's refusal of a forwarded transaction (its HTTP status and body), as this node's:
// the proposer's code when it is a transaction's (the proposer runs the same table); any
// other, or none, is FromPeer with the proposer's code, status and message (the API answers
// a code of its own table as such, and any other as `peer_refused`: a code this node does
// not know is never taken for another).
TxRejection peer_refusal(const std::string& url, int status, const std::string& body);

class EtcdOrderer final : public Orderer {
 public:
  EtcdOrderer(Chain& chain, EtcdOrdererConfig config);
  ~EtcdOrderer() override { stop(); }

  void start() override;
  void stop() override;
  Result<Hash, TxRejection> submit(Transaction tx, bool forwarded = false) override;
  std::size_t queued() const override { return mempool_.size(); }
  std::string role() const override;
  bool forwards() const override { return !leader_; }
  void set_api_url(const std::string& url);
  // Before start: agrees on the chain's proposers with etcd. The first node with a list
  // writes it there; a node with the same list, or none, adopts it; a node with another list
  // is refused (what is wrong). Waits up to `seconds` for etcd to answer. The chain's
  // proposers (empty: any key may propose), or why there is no agreement.
  Result<std::set<Identity>, std::string> agree_proposers(double seconds = 15);
  std::optional<std::string> fault() const override;

 private:
  void lease_loop();
  void propose_loop();
  void follow_loop();
  // Applies the block after this node's head if etcd or a peer has it: the block applied, or
  // none (none there yet, or refused; a divergence sets the fault).
  std::optional<CommittedBlock> apply_next(EtcdClient& etcd);
  Result<uint64_t, std::string> local_height() const;  // this node's head
  void watch_loop();
  bool caught_up();
  bool fresh_head(EtcdClient& etcd);    // reads etcd's head height; false when etcd is away
  bool may_campaign(EtcdClient& etcd);  // this node's key is one of the chain's proposers
  // True when the chain's list is known: this node's own, adopted from etcd, or none there.
  bool pinned_or_adopted(EtcdClient& etcd);
  // Takes `listed` (etcd's value) as the chain's proposers: them, or what is wrong with it.
  Result<std::set<Identity>, std::string> adopt_proposers(const std::string& listed);
  std::string listed_proposers() const;
  std::string api_url() const;
  void learn_proposer(const std::string& value);  // the proposer key's value
  Result<Hash, TxRejection> forward(const Transaction& tx);
  // Block `height` from the proposer's API (raw), when etcd no longer holds it; or why not.
  Result<std::string, std::string> fetch_from_peer(uint64_t height);
  void set_fault(const std::string& message);
  std::string key(const std::string& suffix) const { return prefix_ + suffix; }
  static std::string height_key(uint64_t height);

  Chain& chain_;
  Mempool mempool_;
  EtcdOrdererConfig config_;
  std::string prefix_;
  std::atomic<bool> running_{false};
  std::atomic<bool> leader_{false};
  std::atomic<int64_t> lease_{0};
  std::atomic<uint64_t> etcd_head_{0};
  mutable std::mutex mutex_;
  std::string leader_url_;  // the proposer's API, for forwarding
  std::string listed_;      // the chain's proposers as etcd holds them; empty: none adopted
  std::optional<std::string> fault_;
  std::string last_store_failure_;  // the follow loop's thread only
  std::mutex apply_mutex_;          // one block at a time reaches the store
  std::vector<std::thread> threads_;
  std::mutex news_mutex_;  // the watch tells the follower of new blocks
  std::condition_variable news_;
  bool has_news_ = false;
};

}  // namespace assent::node
