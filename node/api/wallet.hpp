// Signing and sending transactions through the API as one identity: it learns the next
// nonce from the node, encodes JSON arguments through the contract's ABI (fetched once),
// signs, submits and, when asked, waits for the receipt.
#pragma once

#include <map>

#include "node/api/client.hpp"
#include "node/chain/transaction.hpp"
#include "vm/module.hpp"

namespace assent::node {

class Wallet {
 public:
  Wallet(ApiClient& api, KeyPair key) : api_(api), key_(std::move(key)) {}

  const Identity& identity() const { return key_.public_key(); }
  // A signed transaction, ready to send (the nonce taken and counted).
  Result<Transaction, ApiError> deploy_tx(std::span<const uint8_t> module,
                                          const abi::Json& init_args, uint64_t gas);
  Result<Transaction, ApiError> call_tx(const Identity& contract, const std::string& method,
                                        const abi::Json& args, uint64_t gas);
  // A change to the chain's consortium (node/chain/consortium.hpp): `operation` and its
  // arguments by name or in order, e.g. ("register", ["patient_consent", "<address>"]).
  Result<Transaction, ApiError> govern_tx(const std::string& operation, const abi::Json& args,
                                          uint64_t gas);
  // Sends; the API's answer ({"hash", "committed", "receipt"}).
  Result<abi::Json, ApiError> send(const Transaction& tx, bool wait);

 private:
  // `tx` with the chain's id, the next nonce and `gas`, signed.
  Result<Transaction, ApiError> finish(Transaction tx, uint64_t gas);
  Result<uint64_t, ApiError> next_nonce();
  Result<vm::Module, ApiError> module_of(const Identity& contract);
  Result<std::string, ApiError> chain_id();

  ApiClient& api_;
  KeyPair key_;
  std::optional<uint64_t> nonce_;
  std::optional<std::string> chain_id_;
  std::map<Identity, vm::Module> modules_;
};

}  // namespace assent::node
