#include "node/chain/chain.hpp"

#include <map>

#include "stdlib/abi_codec.hpp"
#include "vm/verifier.hpp"

namespace assent::node {

std::string nonce_key(const Identity& sender) {
  return std::string(kNoncePrefix) + std::string(sender.begin(), sender.end());
}

namespace {

struct TxErrorRow {
  TxError code;
  const char* name;
  int status;
};

constexpr TxErrorRow kTxErrors[] = {
#define ASSENT_TX_ERROR_ROW(code, name, status) {TxError::code, name, status},
    ASSENT_TX_ERRORS(ASSENT_TX_ERROR_ROW)
#undef ASSENT_TX_ERROR_ROW
};

constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < std::size(kTxErrors); ++i)
    if (static_cast<std::size_t>(kTxErrors[i].code) != i) return false;
  return true;
}
static_assert(rows_in_enum_order(), "kTxErrors is indexed by TxError");

}  // namespace

int TxRejection::http_status() const {
  return kTxErrors[static_cast<std::size_t>(code)].status;
}

const char* TxRejection::name() const {
  return kTxErrors[static_cast<std::size_t>(code)].name;
}

std::optional<TxError> tx_error_named(const std::string& name) {
  for (const TxErrorRow& row : kTxErrors)
    if (name == row.name) return row.code;
  return std::nullopt;
}

uint64_t base_gas_of(const ChainConfig& config, const Transaction& tx) {
  return config.base_gas + stdlib::gas::state_gas(tx.encoded_size());
}

std::optional<std::string> block_limits_problem(const ChainConfig& config,
                                                const std::vector<Transaction>& txs) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto which = [i] { return "transaction " + std::to_string(i); };
    if (txs[i].gas_limit > config.max_gas)
      return which() + " declares " + std::to_string(txs[i].gas_limit) +
             " gas, more than a transaction may, " + std::to_string(config.max_gas);
    if (const uint64_t base = base_gas_of(config, txs[i]); txs[i].gas_limit < base)
      return which() + " declares " + std::to_string(txs[i].gas_limit) +
             " gas, less than its base gas, " + std::to_string(base);
    bytes += block_tx_bytes(txs[i]);
    if (bytes > config.block_bytes_limit)
      return which() + " takes the block's transactions to " + std::to_string(bytes) +
             " bytes, more than the " + std::to_string(config.block_bytes_limit) +
             " a block may hold (rule B2)";
  }
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
  const uint64_t minimum = base_gas_of(config_, tx);
  if (tx.gas_limit < minimum)
    return TxRejection{TxError::GasTooLow,
                       "gas limit " + std::to_string(tx.gas_limit) +
                           " is below this transaction's minimum of " + std::to_string(minimum) +
                           " (" + std::to_string(config_.base_gas) + ", plus " +
                           std::to_string(stdlib::gas::kStateByteGas) + " per byte of its " +
                           std::to_string(tx.encoded_size()) + " bytes, which every node keeps)"};
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
  if (!read.ok())
    return TxRejection{TxError::Unavailable, "cannot read the store: " + read.error().message};
  auto program = exec_.program_of(*read, tx.contract);
  if (!program.ok() && program.error().code == ExecOutcome::StoreFailed)
    return TxRejection{TxError::Unavailable, program.error().message};
  if (!program.ok())
    return TxRejection{TxError::UnknownContract,
                       program.error().message +
                           " (a contract deployed in a queued transaction can be called "
                           "once its deploy is committed)"};
  const vm::Module& m = (*program)->module();
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

Result<uint64_t, store::LmdbError> Chain::next_nonce(const store::Txn& txn,
                                                     const Identity& sender) const {
  auto next = store::meta_u64(txn, store_.db(), nonce_key(sender));
  if (!next.ok()) return fail(next.error());
  return next->value_or(0);
}

Result<Head, store::LmdbError> Chain::head(const store::Txn& txn) const {
  Head h;
  auto height = store::meta_u64(txn, store_.db(), "head");
  if (!height.ok()) return fail(height.error());
  h.height = height->value_or(0);
  if (h.height == 0) return h;
  auto raw = txn.get(store_.db().blocks, store::be64(h.height));
  if (!raw.ok()) return fail(raw.error());
  if (!*raw) return h;
  if (auto b = Block::decode(**raw); b.ok()) {
    h.hash = b->header.hash();
    h.state_root = b->header.state_root;
    h.time = b->header.time;
  }
  return h;
}

std::optional<Block> Chain::block(const store::Txn& txn, uint64_t height) const {
  auto raw = txn.get(store_.db().blocks, store::be64(height));
  if (!raw.ok() || !*raw) return std::nullopt;
  auto b = Block::decode(**raw);
  if (!b.ok()) return std::nullopt;
  return std::move(b).value();
}

std::optional<uint64_t> Chain::height_of(const store::Txn& txn, const Hash& block_hash) const {
  auto raw = txn.get(store_.db().block_index, block_hash);
  if (!raw.ok() || !*raw || (*raw)->size() != 8) return std::nullopt;
  return store::read_be64(**raw);
}

std::optional<StoredReceipt> Chain::receipt(const store::Txn& txn, const Hash& tx_hash) const {
  auto raw = txn.get(store_.db().receipts, tx_hash);
  if (!raw.ok() || !*raw) return std::nullopt;
  return StoredReceipt::decode(**raw);
}

}  // namespace assent::node
