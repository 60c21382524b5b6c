// A transaction's receipt as the chain stores it (receipts database, by transaction hash):
// where it was included and what execution gave.
#pragma once

#include "node/chain/transaction.hpp"
#include "node/executor/executor.hpp"

namespace assent::node {

struct StoredReceipt {
  uint64_t height = 0;
  uint32_t index = 0;  // in the block
  Receipt receipt;

  Bytes encode() const;
  static std::optional<StoredReceipt> decode(std::span<const uint8_t> bytes);
};

}  // namespace assent::node
