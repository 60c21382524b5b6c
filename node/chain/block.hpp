// Blocks: a signed header chaining to its parent, and the transactions in order
// (docs/protocol.md). The header hash covers everything but the proposer's signature.
#pragma once

#include <vector>

#include "node/chain/transaction.hpp"

namespace assent::node {

struct BlockHeader {
  uint64_t height = 0;
  Hash previous{};    // the parent's hash; zero for block 1
  uint64_t time = 0;  // seconds since 1970, never earlier than the parent's
  Hash tx_root{};     // Merkle root of the transaction hashes
  Hash state_root{};  // after executing the block
  uint32_t tx_count = 0;
  Identity proposer{};
  Signature signature{};

  Bytes signing_bytes() const;
  Hash hash() const;
};

struct Block {
  BlockHeader header;
  std::vector<Transaction> txs;

  Bytes encode() const;
  static Result<Block, std::string> decode(std::span<const uint8_t> bytes);
};

// The bytes `tx` takes in a block's encoding: its length, then its encoding. Rule B2 bounds
// their sum (ChainConfig::block_bytes_limit), and the mempool's byte bound counts the same.
inline std::size_t block_tx_bytes(const Transaction& tx) {
  return 4 + tx.encoded_size();
}

// The Merkle root of transaction hashes: leaves sha256(0x00 | hash), nodes sha256(0x01 | l | r),
// an odd node carried up; zero for no transactions.
Hash tx_merkle_root(const std::vector<Hash>& hashes);

}  // namespace assent::node
