#include "node/api/json_views.hpp"

#include "node/chain/consortium.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

// The module of a deployed contract, for its ABI; null when no contract is there (a deploy
// that failed). A store that fails, or code that no longer decodes, is an error: an answer
// never shows in hex what it could not read.
Result<std::shared_ptr<const vm::VerifiedProgram>, ApiFailure> module_of(
    Chain& chain, const store::Txn& txn, const Identity& contract) {
  auto program = chain.executor().program_of(txn, contract);
  if (program.ok()) return *program;
  switch (program.error().code) {
    case ExecOutcome::StoreFailed: return fail(ApiFailure{ApiCode::Store, program.error().message});
    case ExecOutcome::BadStoredCode:
      return fail(ApiFailure{ApiCode::Corrupt, program.error().message});
    default: return std::shared_ptr<const vm::VerifiedProgram>();
  }
}

Result<Json, ApiFailure> event_fields(Chain& chain, const store::Txn& txn,
                                      const Identity& contract, const std::string& name,
                                      std::span<const uint8_t> data) {
  auto program = module_of(chain, txn, contract);
  if (!program.ok()) return fail(program.error());
  if (!*program) return Json(hex(data));
  const vm::Module& m = (*program)->module();
  for (const auto& ev : m.abi.events)
    if (ev.name == name) {
      auto fields = abi::fields_to_json(ev.fields, m.abi, data);
      if (fields.ok()) return *fields;
    }
  return Json(hex(data));
}

}  // namespace

std::string hex(std::span<const uint8_t> bytes) {
  return to_hex(bytes);
}

Json tx_json(const Transaction& tx) {
  Json j;
  j["hash"] = hex(tx.hash());
  j["kind"] = tx.kind == TxKind::Deploy ? "deploy" : tx.kind == TxKind::Call ? "call" : "govern";
  j["chain_id"] = tx.chain_id;
  j["sender"] = hex(tx.sender);
  j["sender_did"] = did_key(tx.sender);
  j["nonce"] = tx.nonce;
  j["gas_limit"] = tx.gas_limit;
  if (tx.kind == TxKind::Deploy) {
    j["code_bytes"] = tx.code.size();
  } else if (tx.kind == TxKind::Call) {
    j["contract"] = hex(tx.contract);
    j["method"] = tx.method;
  } else {
    j["operation"] = tx.method;
    // A governance change shows what it does: its arguments are public to the members.
    if (auto op = governance_op_named(tx.method)) {
      auto decoded = abi::fields_to_json(governance_params(*op), governance_abi(), tx.args);
      if (decoded.ok()) j["change"] = *decoded;
    }
  }
  j["args"] = hex(tx.args);
  return j;
}

Result<Json, ApiFailure> receipt_json(Chain& chain, const store::Txn& txn,
                                      const Transaction& tx, const StoredReceipt& s) {
  const Receipt& r = s.receipt;
  Json j;
  j["height"] = s.height;
  j["index"] = s.index;
  j["status"] = to_string(r.status);
  j["ok"] = r.ok();
  j["gas_used"] = r.gas_used;
  if (!r.ok()) {
    j["message"] = r.message;
    if (r.line != 0) j["source"] = std::to_string(r.line) + ":" + std::to_string(r.column);
  }
  if (r.contract) j["contract"] = hex(*r.contract);
  if (r.ok() && tx.kind == TxKind::Call) {
    auto program = module_of(chain, txn, tx.contract);
    if (!program.ok()) return fail(program.error());
    if (*program) {
      const vm::Module& m = (*program)->module();
      if (const vm::Export* e = m.find_export(tx.method)) {
        std::size_t used = 0;
        auto result = abi::to_json(e->result, m.abi, r.return_data, used);
        j["result"] = result.ok() ? *result : Json(hex(r.return_data));
      }
    }
  }
  Json events = Json::array();
  for (const auto& e : r.events) {
    auto fields = event_fields(chain, txn, e.contract, e.name, e.data);
    if (!fields.ok()) return fail(fields.error());
    events.push_back({{"contract", hex(e.contract)}, {"name", e.name}, {"fields", *fields}});
  }
  j["events"] = std::move(events);
  return j;
}

Json header_json(const BlockHeader& h) {
  return {
      {"height", h.height},     {"hash", hex(h.hash())},       {"previous", hex(h.previous)},
      {"time", h.time},         {"tx_root", hex(h.tx_root)},   {"state_root", hex(h.state_root)},
      {"tx_count", h.tx_count}, {"proposer", hex(h.proposer)}, {"signature", hex(h.signature)}};
}

Result<Json, ApiFailure> event_json(Chain& chain, const store::Txn& txn,
                                    const store::FoundEvent& f) {
  const auto& e = f.event;
  auto fields = event_fields(chain, txn, e.contract, e.name, e.data);
  if (!fields.ok()) return fail(fields.error());
  return Json{{"seq", f.seq},           {"contract", hex(e.contract)}, {"name", e.name},
              {"height", e.height},     {"time", e.time},              {"tx", hex(e.tx_hash)},
              {"fields", *fields}};
}

}  // namespace assent::node
