// Ordering: what decides which queued transactions form the next block, and when. The node
// only submits transactions and hears of committed blocks; `solo` orders on this node alone,
// and the cluster's orderer does the same through etcd.
#pragma once

#include <functional>

#include "node/chain/chain.hpp"

namespace assent::node {

class Orderer {
 public:
  virtual ~Orderer() = default;
  virtual void start() = 0;
  virtual void stop() = 0;  // returns once no block is being made
  // `forwarded`: another node sent it here, believing this node the proposer (it is not
  // forwarded again, so two nodes with stale views cannot pass it back and forth).
  virtual Result<Hash, TxRejection> submit(Transaction tx, bool forwarded = false) = 0;
  virtual std::size_t queued() const = 0;
  virtual std::string role() const { return "solo"; }
  // Whether a submit would now wait on another node (a cluster follower forwards to the
  // proposer): the API then runs it on threads that may wait, not on those that answer.
  virtual bool forwards() const { return false; }
  // Why this node stopped making or applying blocks (a divergence), if it did.
  virtual std::optional<std::string> fault() const { return std::nullopt; }
  // Called after each block commits, on the orderer's thread.
  std::function<void(const CommittedBlock&)> on_commit;
  // Called once when the node stops executing blocks (a divergence), with why.
  std::function<void(const std::string&)> on_fault;
};

}  // namespace assent::node
