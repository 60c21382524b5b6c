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
  virtual Result<Hash, TxRejection> submit(Transaction tx) = 0;
  virtual std::size_t queued() const = 0;
  // Called after each block commits, on the orderer's thread.
  std::function<void(const CommittedBlock&)> on_commit;
};

}  // namespace assent::node
