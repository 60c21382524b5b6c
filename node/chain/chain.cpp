#include "node/chain/chain.hpp"

#include <map>

#include "stdlib/abi_codec.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

namespace {}  // namespace

std::string nonce_key(const Identity& sender) {
  return std::string(kNoncePrefix) + std::string(sender.begin(), sender.end());
}

int TxRejection::http_status() const {
  switch (code) {
    case TxError::TooLarge:
      return 413;
    case TxError::NonceUsed:
    case TxError::Duplicate:
      return 409;
    case TxError::QueueFull:
      return 503;
    case TxError::UnknownContract:
    case TxError::UnknownMethod:
      return 404;
    default:
      return 400;
  }
}

const char* TxRejection::name() const {
  switch (code) {
    case TxError::TooLarge:
      return "too_large";
    case TxError::Malformed:
      return "malformed";
    case TxError::BadModule:
      return "bad_module";
    case TxError::UnknownContract:
      return "unknown_contract";
    case TxError::UnknownMethod:
      return "unknown_method";
    case TxError::BadArgs:
      return "bad_args";
    case TxError::WrongChain:
      return "wrong_chain";
    case TxError::BadSignature:
      return "bad_signature";
    case TxError::NonceUsed:
      return "nonce_used";
    case TxError::NonceTooFar:
      return "nonce_too_far";
    case TxError::Duplicate:
      return "duplicate";
    case TxError::GasTooLow:
      return "gas_too_low";
    case TxError::GasTooHigh:
      return "gas_too_high";
    case TxError::QueueFull:
      return "queue_full";
  }
  return "rejected";
}

std::optional<TxError> tx_error_named(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(TxError::QueueFull); ++i)
    if (TxRejection{static_cast<TxError>(i), ""}.name() == name) return static_cast<TxError>(i);
  return std::nullopt;
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

std::optional<TxRejection> Chain::check(const Transaction& tx) const {
  if (tx.chain_id != config_.chain_id)
    return TxRejection{TxError::WrongChain, "the transaction is for chain `" + tx.chain_id +
                                                "`; this node runs `" + config_.chain_id + "`"};
  if (!tx.signature_valid())
    return TxRejection{TxError::BadSignature,
                       "the signature does not verify with the sender's key over the "
                       "transaction hash"};
  const uint64_t minimum = config_.base_gas + tx.encode().size();
  if (tx.gas_limit < minimum)
    return TxRejection{TxError::GasTooLow, "gas limit " + std::to_string(tx.gas_limit) +
                                               " is below this transaction's minimum of " +
                                               std::to_string(minimum)};
  if (tx.gas_limit > config_.max_gas)
    return TxRejection{TxError::GasTooHigh, "gas limit " + std::to_string(tx.gas_limit) +
                                                " exceeds the most a transaction may use, " +
                                                std::to_string(config_.max_gas)};
  return check_target(tx);
}

std::optional<TxRejection> Chain::check_target(const Transaction& tx) const {
  if (tx.kind == TxKind::Deploy) {
    auto module = vm::read_module(tx.code);
    if (!module.ok())
      return TxRejection{TxError::BadModule,
                         "the code is not a module: " + module.error().describe()};
    auto program = vm::verify(std::move(module).value(), exec_.syscalls());
    if (!program.ok())
      return TxRejection{TxError::BadModule,
                         "the module fails verification: " + program.error().describe()};
    const vm::Module& m = program->module();
    const vm::Export* init = m.find_export("init");
    if (init == nullptr && !tx.args.empty())
      return TxRejection{TxError::BadArgs, "the module has no `init`, but arguments were given"};
    if (init != nullptr && !abi::fields_to_json(init->params, m.abi, tx.args).ok())
      return TxRejection{TxError::BadArgs, "the arguments do not decode as init's parameters"};
    return std::nullopt;
  }
  auto read = store_.begin_read();
  if (!read.ok()) return TxRejection{TxError::QueueFull, read.error().message};
  std::string error;
  auto program = exec_.program_of(*read, tx.contract, error);
  if (!program)
    return TxRejection{TxError::UnknownContract,
                       error +
                           " (a contract deployed in a queued transaction can be called "
                           "once its deploy is committed)"};
  const vm::Module& m = program->module();
  const vm::Export* e = m.find_export(tx.method);
  if (e == nullptr || (e->kind != vm::ExportKind::Action && e->kind != vm::ExportKind::Function)) {
    std::string actions;
    for (const auto& x : m.exports)
      if (x.kind == vm::ExportKind::Action) actions += (actions.empty() ? "" : ", ") + x.name;
    return TxRejection{TxError::UnknownMethod,
                       "the contract has no action `" + tx.method + "`; its actions: " + actions};
  }
  auto decoded = abi::fields_to_json(e->params, m.abi, tx.args);
  if (!decoded.ok())
    return TxRejection{TxError::BadArgs, "the arguments do not decode as `" + tx.method +
                                             "`'s parameters: " + decoded.error()};
  return std::nullopt;
}

uint64_t Chain::next_nonce(const store::Txn& txn, const Identity& sender) const {
  return store::meta_u64(txn, store_.db(), nonce_key(sender)).value_or(0);
}

Head Chain::head(const store::Txn& txn) const {
  Head h;
  h.height = store::meta_u64(txn, store_.db(), "head").value_or(0);
  if (h.height == 0) return h;
  if (auto b = block(txn, h.height)) {
    h.hash = b->header.hash();
    h.state_root = b->header.state_root;
    h.time = b->header.time;
  }
  return h;
}

std::optional<Block> Chain::block(const store::Txn& txn, uint64_t height) const {
  auto raw = txn.get(store_.db().blocks, store::be64(height));
  if (!raw) return std::nullopt;
  auto b = Block::decode(*raw);
  if (!b.ok()) return std::nullopt;
  return std::move(b).value();
}

std::optional<uint64_t> Chain::height_of(const store::Txn& txn, const Hash& block_hash) const {
  auto raw = txn.get(store_.db().block_index, block_hash);
  if (!raw || raw->size() != 8) return std::nullopt;
  return store::read_be64(*raw);
}

std::optional<StoredReceipt> Chain::receipt(const store::Txn& txn, const Hash& tx_hash) const {
  auto raw = txn.get(store_.db().receipts, tx_hash);
  if (!raw) return std::nullopt;
  return StoredReceipt::decode(*raw);
}

}  // namespace assent::node
