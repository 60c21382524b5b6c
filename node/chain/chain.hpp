// The chain: checks transactions before they are queued, executes ordered transactions as the
// next block, and writes the block, its receipts, the senders' nonces and the head in the
// block's one LMDB write transaction (so a crash leaves whole blocks or none).
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "node/chain/block.hpp"
#include "node/chain/errors.hpp"
#include "node/chain/receipt_codec.hpp"
#include "node/executor/executor.hpp"
#include "stdlib/gas_schedule.hpp"

namespace assent::node {

// The chain's rules (docs/protocol.md, "Limits"): every node of a chain must have the same.
struct ChainConfig {
  // Empty: not given. Node::open settles it with the store's (node/chain/chain_id.hpp) before
  // a Chain is made; a Chain made directly takes it as it is.
  std::string chain_id;
  uint64_t nonce_window = 256;  // how far ahead of the next nonce a sender may queue
  // The most gas a transaction may declare: 10 M is about 10 ms of work at the gas schedule's
  // prices, and many times what a consent action uses. The schedule's bound on the bytes one
  // transaction may write is stated against this number (stdlib/gas_schedule.hpp).
  uint64_t max_gas = stdlib::gas::kMaxTransactionGas;
  // The most gas a view may ask for (the API enforces it; views are not in blocks).
  uint64_t max_view_gas = 10'000'000;
  // The most gas a block's transactions may use (rule B1: each is included only if what it
  // declares fits in what the block has left): a block executes in about 50 ms, so a
  // revocation waits for at most a few of them (docs/protocol.md).
  uint64_t block_gas_limit = 50'000'000;
  // The most bytes a block's transactions may take in its encoding, each's length included
  // (rule B2; block_tx_bytes): 1 MiB, what the etcd orderer can put in one request (etcd
  // refuses requests over 1.5 MiB by default), so that solo and cluster chains have one rule.
  // A transaction is at most kMaxTransactionBytes (256 KiB): four maximal ones fit. 1 MiB is
  // 2 MiB of hex from GET /v1/blocks/N/raw.
  std::size_t block_bytes_limit = std::size_t{1} << 20;
  // Every transaction's minimum gas, charged before it runs, is this plus the gas schedule's
  // price of the bytes it persists: a block keeps each transaction forever (base_gas_of).
  uint64_t base_gas = 1'000;
  // The keys whose blocks this node accepts (a cluster's `--proposers`); empty: any key.
  std::set<Identity> proposers;
};

// The gas a transaction pays before it runs, and the least it may declare: `base_gas` plus
// kStateByteGas for each byte of its encoding, which every node keeps in its block forever.
// One computation for both: Chain::check requires it, and a block charges it to the receipt.
uint64_t base_gas_of(const ChainConfig& config, const Transaction& tx);

// Checks what can be checked of `txs` as one block before it runs: no transaction declares
// more than `max_gas` or less than its base gas, and their bytes (block_tx_bytes) stay within
// `block_bytes_limit` (rule B2). Their bytes, or why they cannot be one block. What rule B1
// adds (what is declared against what the block has left) is known as the block runs:
// apply_block refuses it then (docs/protocol.md, "Limits").
Result<std::size_t, std::string> check_block_limits(const ChainConfig& config,
                                                    const std::vector<Transaction>& txs);

struct Head {
  uint64_t height = 0;  // 0: no block yet
  Hash hash{};
  Hash state_root{};
  uint64_t time = 0;
};

struct CommittedBlock {
  Block block;
  Hash hash{};
  std::vector<StoredReceipt> receipts;
};

// A block executed and written in its write transaction, not yet committed: the cluster's
// orderer commits it only once etcd has taken it.
struct PreparedBlock {
  CommittedBlock block;
  std::unique_ptr<BlockRun> run;
};

// The meta name of a sender's next nonce: the prefix, then the sender's 32 bytes.
inline constexpr std::string_view kNoncePrefix = "nonce:";
std::string nonce_key(const Identity& sender);

class Chain {
 public:
  Chain(store::Store& store, Executor& exec, ChainConfig config, KeyPair proposer);

  const ChainConfig& config() const { return config_; }
  // The keys whose blocks this node accepts; empty: any. A cluster node that started with
  // none adopts the chain's list from etcd while other threads apply blocks, hence the lock.
  bool may_propose(const Identity& key) const;
  std::set<Identity> proposers() const;
  void set_proposers(std::set<Identity> proposers);
  const KeyPair& proposer() const { return proposer_; }
  store::Store& store() { return store_; }
  Executor& executor() { return exec_; }

  // Every check but the nonce's order: size, decoding, chain id, signature, gas, and what it
  // runs (a module that verifies; a contract that exists, an action it has, arguments that
  // decode as its parameters), as of the committed state. The transaction's hash, or why not.
  Result<Hash, TxRejection> check(const Transaction& tx) const;
  // The sender's next nonce (0 for a sender never seen), or the store's failure.
  [[nodiscard]] Result<uint64_t, store::LmdbError> next_nonce(const store::Txn& txn,
                                                              const Identity& sender) const;

  // Executes `txs` as the next block, at `time` (raised to the parent's if earlier), and
  // commits it. A transaction whose nonce is not its sender's next is left out.
  Result<CommittedBlock, std::string> commit_block(const std::vector<Transaction>& txs,
                                                   uint64_t time);
  Result<PreparedBlock, std::string> prepare_block(const std::vector<Transaction>& txs,
                                                   uint64_t time);
  // Commits; `revision` (the etcd revision that holds the block) is stored with it.
  Result<CommittedBlock, std::string> commit_prepared(PreparedBlock prepared,
                                                      std::optional<uint64_t> revision = {});
  // Executes a block another node made, as the next block: every transaction must run, and
  // the result must be the header's. When it is not (ApplyError::Diverged), or the block is
  // not the next, or the store fails, nothing is written.
  Result<CommittedBlock, ApplyFailure> apply_block(const Block& block, uint64_t revision);
  // The etcd revision of the last block applied (0: none).
  [[nodiscard]] Result<uint64_t, store::LmdbError> applied_revision(const store::Txn& txn) const;

  // The head: height 0 before the first block. An error when the head block cannot be read.
  Result<Head, ReadFailure> head(const store::Txn& txn) const;
  // The block at `height`, the height of the block whose hash is `block_hash`, the receipt of
  // a committed transaction: none when absent, an error when the store fails or holds what
  // does not decode (never "absent" then).
  Read<Block> block(const store::Txn& txn, uint64_t height) const;
  // The block at `height` as it is encoded; valid while `txn` is (a peer's catch-up).
  Read<store::View> raw_block(const store::Txn& txn, uint64_t height) const;
  Read<uint64_t> height_of(const store::Txn& txn, const Hash& block_hash) const;
  Read<StoredReceipt> receipt(const store::Txn& txn, const Hash& tx_hash) const;

 private:
  // check's part that reads the module or the contract; `hash` is what it answers.
  Result<Hash, TxRejection> check_target(const Transaction& tx, const Hash& hash) const;
  // Whether the consortium lets `sender` deploy (node/chain/consortium.hpp): why not, or none.
  std::optional<TxRejection> check_deployer(const Identity& sender) const;
  Result<Hash, TxRejection> check_governance(const Transaction& tx, const Hash& hash) const;
  store::Store& store_;
  Executor& exec_;
  ChainConfig config_;
  KeyPair proposer_;
  mutable std::mutex proposers_mutex_;
  std::set<Identity> proposers_;
};

}  // namespace assent::node
