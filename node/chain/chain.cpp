#include "node/chain/chain.hpp"

#include <map>

#include "node/chain/consortium.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/hex.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

std::string nonce_key(const Identity& sender) {
  return std::string(kNoncePrefix) + std::string(sender.begin(), sender.end());
}

uint64_t base_gas_of(const ChainConfig& config, const Transaction& tx) {
  return config.base_gas + stdlib::gas::state_gas(tx.encoded_size());
}

Result<std::size_t, std::string> check_block_limits(const ChainConfig& config,
                                                    const std::vector<Transaction>& txs) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto which = [i] { return "transaction " + std::to_string(i); };
    if (txs[i].gas_limit > config.max_gas)
      return fail(which() + " declares " + std::to_string(txs[i].gas_limit) +
                  " gas, more than a transaction may, " + std::to_string(config.max_gas));
    if (const uint64_t base = base_gas_of(config, txs[i]); txs[i].gas_limit < base)
      return fail(which() + " declares " + std::to_string(txs[i].gas_limit) +
                  " gas, less than its base gas, " + std::to_string(base));
    bytes += block_tx_bytes(txs[i]);
    if (bytes > config.block_bytes_limit)
      return fail(which() + " takes the block's transactions to " + std::to_string(bytes) +
                  " bytes, more than the " + std::to_string(config.block_bytes_limit) +
                  " a block may hold (rule B2)");
  }
  return bytes;
}

Chain::Chain(store::Store& store, Executor& exec, ChainConfig config, KeyPair proposer)
    : store_(store),
      exec_(exec),
      config_(std::move(config)),
      proposer_(std::move(proposer)),
      proposers_(config_.proposers) {}

bool Chain::may_propose(const Identity& key) const {
  std::lock_guard lock(proposers_mutex_);
  return proposers_.empty() || proposers_.contains(key);
}

std::set<Identity> Chain::proposers() const {
  std::lock_guard lock(proposers_mutex_);
  return proposers_;
}

void Chain::set_proposers(std::set<Identity> proposers) {
  std::lock_guard lock(proposers_mutex_);
  proposers_ = std::move(proposers);
}

Result<Hash, TxRejection> Chain::check(const Transaction& tx) const {
  if (tx.chain_id != config_.chain_id)
    return fail(TxRejection{TxError::WrongChain, "the transaction is for chain `" + tx.chain_id +
                                                     "`; this node runs `" + config_.chain_id +
                                                     "`"});
  if (!tx.signature_valid())
    return fail(TxRejection{TxError::BadSignature,
                            "the signature does not verify with the sender's key over the "
                            "transaction hash"});
  const uint64_t minimum = base_gas_of(config_, tx);
  if (tx.gas_limit < minimum)
    return fail(TxRejection{
        TxError::GasTooLow,
        "gas limit " + std::to_string(tx.gas_limit) + " is below this transaction's minimum of " +
            std::to_string(minimum) + " (" + std::to_string(config_.base_gas) + ", plus " +
            std::to_string(stdlib::gas::kStateByteGas) + " per byte of its " +
            std::to_string(tx.encoded_size()) + " bytes, which every node keeps)"});
  if (tx.gas_limit > config_.max_gas)
    return fail(TxRejection{TxError::GasTooHigh, "gas limit " + std::to_string(tx.gas_limit) +
                                                     " exceeds the most a transaction may use, " +
                                                     std::to_string(config_.max_gas)});
  return check_target(tx, tx.hash());
}

namespace {

// What fields_to_json says of `args`, which fields_valid refused: the arguments are checked
// without building JSON, and decoded again only to say where they fail.
std::string decode_problem(const std::vector<vm::Field>& params, const vm::Abi& abi,
                           std::span<const uint8_t> args) {
  auto decoded = abi::fields_to_json(params, abi, args);
  return decoded.ok() ? std::string("they do not decode") : decoded.error();
}

}  // namespace

Result<Hash, TxRejection> Chain::check_target(const Transaction& tx, const Hash& hash) const {
  if (tx.kind == TxKind::Govern) return check_governance(tx, hash);
  if (tx.kind == TxKind::Deploy) {
    if (auto refused = check_deployer(tx.sender)) return fail(*refused);
    auto module = vm::read_module(tx.code);
    if (!module.ok())
      return fail(TxRejection{TxError::BadModule,
                              "the code is not a module: " + module.error().describe()});
    auto program = vm::verify(std::move(module).value(), exec_.syscalls());
    if (!program.ok())
      return fail(TxRejection{TxError::BadModule,
                              "the module fails verification: " + program.error().describe()});
    const vm::Module& m = program->module();
    const vm::Export* init = m.find_export("init");
    if (init == nullptr && !tx.args.empty())
      return fail(
          TxRejection{TxError::BadArgs, "the module has no `init`, but arguments were given"});
    if (init != nullptr && !abi::fields_valid(init->params, m.abi, tx.args))
      return fail(
          TxRejection{TxError::BadArgs, "the arguments do not decode as init's parameters: " +
                                            decode_problem(init->params, m.abi, tx.args)});
    return hash;
  }
  auto read = store_.begin_read();
  if (!read.ok())
    return fail(TxRejection{TxError::Store, "cannot read the store: " + read.error().message});
  auto program = exec_.program_of(*read, tx.contract);
  // Code the store holds but cannot decode is the store's fault, not the client's.
  if (!program.ok() && (program.error().code == ExecOutcome::StoreFailed ||
                        program.error().code == ExecOutcome::BadStoredCode))
    return fail(TxRejection{TxError::Store, program.error().message});
  if (!program.ok())
    return fail(TxRejection{TxError::UnknownContract,
                            program.error().message +
                                " (a contract deployed in a queued transaction can be called "
                                "once its deploy is committed)"});
  const vm::Module& m = (*program)->module();
  const vm::Export* e = m.find_export(tx.method);
  if (e == nullptr || (e->kind != vm::ExportKind::Action && e->kind != vm::ExportKind::Function)) {
    std::string actions;
    for (const auto& x : m.exports)
      if (x.kind == vm::ExportKind::Action) actions += (actions.empty() ? "" : ", ") + x.name;
    return fail(TxRejection{TxError::UnknownMethod, "the contract has no action `" + tx.method +
                                                        "`; its actions: " + actions});
  }
  if (!abi::fields_valid(e->params, m.abi, tx.args))
    return fail(TxRejection{TxError::BadArgs,
                            "the arguments do not decode as `" + tx.method +
                                "`'s parameters: " + decode_problem(e->params, m.abi, tx.args)});
  return hash;
}

std::optional<TxRejection> Chain::check_deployer(const Identity& sender) const {
  auto read = store_.begin_read();
  if (!read.ok()) return TxRejection{TxError::Store, "cannot read the store: " + read.error().message};
  auto refusal = consortium::deploy_refusal(*read, store_.db(), sender);
  if (!refusal.ok()) return TxRejection{TxError::Store, refusal.error().message};
  if (*refusal) return TxRejection{TxError::NotPermitted, **refusal};
  return std::nullopt;
}

// A governance transaction is checked as far as the consortium is now: its sender, its
// operation and its arguments. The block checks it again as it runs (an earlier transaction
// of the block may change what it finds).
Result<Hash, TxRejection> Chain::check_governance(const Transaction& tx, const Hash& hash) const {
  auto read = store_.begin_read();
  if (!read.ok())
    return fail(TxRejection{TxError::Store, "cannot read the store: " + read.error().message});
  auto refusal = consortium::govern_refusal(*read, store_.db(), tx.sender);
  if (!refusal.ok()) return fail(TxRejection{TxError::Store, refusal.error().message});
  if (*refusal) return fail(TxRejection{TxError::NotPermitted, **refusal});
  auto plan = plan_governance(*read, store_.db(), tx.method, tx.args);
  if (!plan.ok())
    return fail(TxRejection{plan.error().store ? TxError::Store : TxError::BadGovernance,
                            plan.error().message});
  return hash;
}

Result<uint64_t, store::LmdbError> Chain::next_nonce(const store::Txn& txn,
                                                     const Identity& sender) const {
  auto next = store::meta_u64(txn, store_.db(), nonce_key(sender));
  if (!next.ok()) return fail(next.error());
  return next->value_or(0);
}

namespace {

ReadFailure store_failed(const store::LmdbError& e) {
  return ReadFailure{ReadError::Store, e.message};
}

// A stored record, or none: the one place the chain's reads meet the store's `get`.
Read<store::View> record(const store::Txn& txn, MDB_dbi db, store::View key) {
  auto raw = txn.get(db, key);
  if (!raw.ok()) return fail(store_failed(raw.error()));
  return *raw;
}

ReadFailure corrupt(std::string message) {
  return ReadFailure{ReadError::Corrupt, std::move(message)};
}

}  // namespace

Result<Head, ReadFailure> Chain::head(const store::Txn& txn) const {
  Head h;
  auto height = store::meta_u64(txn, store_.db(), "head");
  if (!height.ok()) return fail(store_failed(height.error()));
  h.height = height->value_or(0);
  if (h.height == 0) {
    // No block yet: the state is the genesis's (its consortium), version 0 of the tree.
    auto genesis = store_.tree().root(txn, 0);
    if (!genesis.ok()) return fail(store_failed(genesis.error()));
    h.state_root = genesis->hash;
    return h;
  }
  auto b = block(txn, h.height);
  if (!b.ok()) return fail(b.error());
  if (!*b) return fail(corrupt("block " + std::to_string(h.height) + " is missing"));
  h.hash = (*b)->header.hash();
  h.state_root = (*b)->header.state_root;
  h.time = (*b)->header.time;
  return h;
}

Read<store::View> Chain::raw_block(const store::Txn& txn, uint64_t height) const {
  return record(txn, store_.db().blocks, store::be64(height));
}

Read<Block> Chain::block(const store::Txn& txn, uint64_t height) const {
  auto raw = raw_block(txn, height);
  if (!raw.ok()) return fail(raw.error());
  if (!*raw) return std::optional<Block>();
  auto b = Block::decode(**raw);
  if (!b.ok())
    return fail(corrupt("block " + std::to_string(height) + " does not decode: " + b.error()));
  return std::optional<Block>(std::move(b).value());
}

Read<uint64_t> Chain::height_of(const store::Txn& txn, const Hash& block_hash) const {
  auto raw = record(txn, store_.db().block_index, block_hash);
  if (!raw.ok()) return fail(raw.error());
  if (!*raw) return std::optional<uint64_t>();
  if ((*raw)->size() != 8)
    return fail(corrupt("the index entry of block " + to_hex(block_hash) + " is " +
                        std::to_string((*raw)->size()) + " bytes, not 8"));
  return std::optional<uint64_t>(store::read_be64(**raw));
}

Read<StoredReceipt> Chain::receipt(const store::Txn& txn, const Hash& tx_hash) const {
  auto raw = record(txn, store_.db().receipts, tx_hash);
  if (!raw.ok()) return fail(raw.error());
  if (!*raw) return std::optional<StoredReceipt>();
  auto r = StoredReceipt::decode(**raw);
  if (!r)
    return fail(corrupt("the receipt of transaction " + to_hex(tx_hash) + " does not decode"));
  return std::optional<StoredReceipt>(std::move(*r));
}

}  // namespace assent::node
