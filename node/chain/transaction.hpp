// Transactions: a deploy or a call, signed by its sender, in one canonical binary encoding
// (docs/protocol.md). The hash covers everything but the signature, which signs the hash.
#pragma once

#include <string>
#include <vector>

#include "node/chain/keys.hpp"
#include "node/store/lmdb.hpp"
#include "stdlib/host.hpp"
#include "vm/result.hpp"

namespace assent::node {

using stdlib::Bytes;
using stdlib::Identity;
using Hash = std::array<uint8_t, 32>;

inline constexpr std::size_t kMaxTransactionBytes = 256 * 1024;
inline constexpr std::size_t kMaxChainIdBytes = 64;

// Govern: a change to the chain's consortium (node/chain/consortium.hpp), `method` naming it.
enum class TxKind : uint8_t { Deploy = 1, Call = 2, Govern = 3 };

struct Transaction {
  std::string chain_id;
  uint64_t nonce = 0;  // the sender's transactions count from 0, one by one
  Identity sender{};   // an Ed25519 public key
  uint64_t gas_limit = 0;
  TxKind kind = TxKind::Call;
  Bytes code;           // Deploy: the module
  Identity contract{};  // Call: the contract
  std::string method;   // Call: the action; Govern: the operation
  Bytes args;           // the action's, init's or operation's ABI-encoded arguments
  Signature signature{};

  Bytes signing_bytes() const;  // the encoding without the signature
  Bytes encode() const;
  // encode().size(), without encoding: the chain prices and bounds transactions by it.
  std::size_t encoded_size() const;
  Hash hash() const;  // sha256 of signing_bytes()
  void sign(const KeyPair& key);
  bool signature_valid() const;

  // Strict: every length checked, nothing left over, at most kMaxTransactionBytes.
  static Result<Transaction, std::string> decode(std::span<const uint8_t> bytes);
};

}  // namespace assent::node
