#include "node/api/wallet.hpp"

#include "node/api/json_views.hpp"
#include "node/chain/consortium.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

ApiError local_error(std::string message) {
  return ApiError{0, "bad_input", std::move(message)};
}

}  // namespace

Result<std::string, ApiError> Wallet::chain_id() {
  if (chain_id_) return *chain_id_;
  auto status = api_.get("/v1/status");
  if (!status.ok()) return fail(status.error());
  chain_id_ = (*status)["chain_id"].get<std::string>();
  return *chain_id_;
}

Result<uint64_t, ApiError> Wallet::next_nonce() {
  if (!nonce_) {
    auto account = api_.get("/v1/accounts/" + hex(identity()));
    if (!account.ok()) return fail(account.error());
    nonce_ = (*account)["next_nonce"].get<uint64_t>();
  }
  return (*nonce_)++;
}

Result<vm::Module, ApiError> Wallet::module_of(const Identity& contract) {
  if (auto it = modules_.find(contract); it != modules_.end()) return it->second;
  auto info = api_.get("/v1/contracts/" + hex(contract));
  if (!info.ok()) return fail(info.error());
  auto bytes = parse_hex((*info)["module"].get<std::string>());
  if (!bytes.ok()) return fail(local_error("the node sent a module that is not hex"));
  auto m = vm::read_module(*bytes);
  if (!m.ok()) return fail(local_error("the node sent an unreadable module"));
  return modules_.emplace(contract, std::move(m).value()).first->second;
}

Result<Transaction, ApiError> Wallet::deploy_tx(std::span<const uint8_t> module,
                                                const abi::Json& init_args, uint64_t gas) {
  auto m = vm::read_module(module);
  if (!m.ok()) return fail(local_error("not a module: " + m.error().describe()));
  Transaction tx;
  tx.kind = TxKind::Deploy;
  tx.code.assign(module.begin(), module.end());
  if (const vm::Export* init = m->find_export("init")) {
    auto args = abi::fields_from_json(init->params, m->abi, init_args);
    if (!args.ok()) return fail(local_error("init arguments: " + args.error()));
    tx.args = std::move(args).value();
  } else if (!init_args.empty()) {
    return fail(local_error("the module has no `init`, but arguments were given"));
  }
  return finish(std::move(tx), gas);
}

Result<Transaction, ApiError> Wallet::call_tx(const Identity& contract, const std::string& method,
                                              const abi::Json& args, uint64_t gas) {
  auto m = module_of(contract);
  if (!m.ok()) return fail(m.error());
  const vm::Export* e = m->find_export(method);
  if (e == nullptr || e->kind == vm::ExportKind::Init) {
    std::string names;
    for (const auto& x : m->exports)
      if (x.kind == vm::ExportKind::Action) names += (names.empty() ? "" : ", ") + x.name;
    return fail(local_error("the contract has no action `" + method + "`; its actions: " + names));
  }
  auto encoded = abi::fields_from_json(e->params, m->abi, args);
  if (!encoded.ok()) return fail(local_error("arguments of `" + method + "`: " + encoded.error()));
  Transaction tx;
  tx.kind = TxKind::Call;
  tx.contract = contract;
  tx.method = method;
  tx.args = std::move(encoded).value();
  return finish(std::move(tx), gas);
}

Result<Transaction, ApiError> Wallet::govern_tx(const std::string& operation,
                                                const abi::Json& args, uint64_t gas) {
  const auto op = governance_op_named(operation);
  if (!op)
    return fail(local_error("no governance operation is named `" + operation +
                            "`; the operations: " + governance_signatures()));
  auto encoded = abi::fields_from_json(governance_params(*op), governance_abi(), args);
  if (!encoded.ok())
    return fail(local_error("arguments of `" + operation + "`: " + encoded.error()));
  Transaction tx;
  tx.kind = TxKind::Govern;
  tx.method = operation;
  tx.args = std::move(encoded).value();
  return finish(std::move(tx), gas);
}

Result<Transaction, ApiError> Wallet::finish(Transaction tx, uint64_t gas) {
  auto id = chain_id();
  if (!id.ok()) return fail(id.error());
  auto nonce = next_nonce();
  if (!nonce.ok()) return fail(nonce.error());
  tx.chain_id = *id;
  tx.nonce = *nonce;
  tx.gas_limit = gas;
  tx.sign(key_);
  return tx;
}

Result<abi::Json, ApiError> Wallet::send(const Transaction& tx, bool wait) {
  auto r = api_.post("/v1/transactions", {{"tx", hex(tx.encode())}, {"wait", wait}});
  if (!r.ok()) nonce_.reset();  // ask the node again next time
  return r;
}

}  // namespace assent::node
