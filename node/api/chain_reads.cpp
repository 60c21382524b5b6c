// The endpoints that read the chain's records (docs/api.md): a transaction with its receipt,
// a block (decoded, or raw for a peer), a contract's module, an account's next nonce, the
// audit trail of events. Each reads one snapshot; a record that must be there and is not, or
// does not decode, is `corrupt` (500), never "not found".
#include <map>

#include "node/api/json_views.hpp"
#include "node/api/requests.hpp"
#include "node/api/server.hpp"
#include "node/chain/consortium.hpp"
#include "node/chain/genesis.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

// A height as the path gives it: digits that fit in 64 bits.
bool is_height(const std::string& key) {
  return !key.empty() && key.size() <= 19 &&
         key.find_first_not_of("0123456789") == std::string::npos;
}

// The events query a request asks for, checked: one key, a name only for a contract, numbers
// where numbers go, a limit of 1 to 1,000.
ApiResult<store::EventQuery> event_query(const HttpRequest& req) {
  store::EventQuery q;
  if (req.has_param("contract") + req.has_param("identity") != 1)
    return fail(ApiFailure{ApiCode::BadQuery,
                           "name exactly one of `contract` or `identity` (with `name` for a "
                           "contract's events of one name)"});
  const bool by_contract = req.has_param("contract");
  auto id = by_contract ? hex32(req.param("contract"), ApiCode::BadContract, "contract")
                        : hex32(req.param("identity"), ApiCode::BadIdentity, "identity");
  if (!id) return fail(id.error());
  q.key = *id;
  q.by = by_contract ? store::EventQuery::By::Contract : store::EventQuery::By::Identity;
  if (req.has_param("name")) {
    if (!by_contract) return fail(ApiFailure{ApiCode::BadQuery, "`name` goes with `contract`"});
    q.by = store::EventQuery::By::Name;
    q.name = req.param("name");
  }
  auto after = number_param(req, "after", ApiCode::BadAfter, 0);
  if (!after) return fail(after.error());
  auto from = number_param(req, "from", ApiCode::BadFrom, 0);
  if (!from) return fail(from.error());
  auto to = number_param(req, "to", ApiCode::BadTo, UINT64_MAX);
  if (!to) return fail(to.error());
  auto limit = number_param(req, "limit", ApiCode::BadLimit, 100);
  if (!limit) return fail(limit.error());
  if (*limit == 0 || *limit > 1000)
    return fail(ApiFailure{ApiCode::BadLimit, "`limit` is 1 to 1000"});
  q.after = *after;
  q.from_time = *from;
  q.to_time = *to;
  q.limit = *limit;
  return q;
}

}  // namespace

ApiServer::Answer ApiServer::get_transaction(const HttpRequest& req) {
  auto hash = hex32(req.matches[1], ApiCode::BadHash, "hash");
  if (!hash) return fail(hash.error());
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  auto r = present(chain_.receipt(*read, *hash),
                   {ApiCode::UnknownTx, "no committed transaction " + hex(*hash)});
  if (!r) return fail(r.error());
  const std::string where = "block " + std::to_string(r->height);
  auto block =
      present(chain_.block(*read, r->height),
              {ApiCode::Corrupt, where + ", which holds a receipt's transaction, is missing"});
  if (!block) return fail(block.error());
  if (r->index >= block->txs.size())
    return fail(ApiFailure{
        ApiCode::Corrupt,
        where + " has no transaction " + std::to_string(r->index) + ", where a receipt says"});
  const Transaction& tx = block->txs[r->index];
  auto receipt = receipt_json(chain_, *read, tx, *r);
  if (!receipt.ok()) return fail(receipt.error());
  return json_response(200, {{"tx", tx_json(tx)}, {"receipt", *receipt}});
}

// A block as it is encoded (docs/protocol.md), for nodes catching up from a peer.
ApiServer::Answer ApiServer::get_raw_block(const HttpRequest& req) {
  const std::string key = req.matches[1];
  if (!is_height(key)) return fail(ApiFailure{ApiCode::BadBlock, "a height is a number"});
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  const uint64_t height = std::stoull(key);
  auto raw = present(chain_.raw_block(*read, height), {ApiCode::UnknownBlock, "no block " + key});
  if (!raw) return fail(raw.error());
  return json_response(200, {{"height", height}, {"block", hex(*raw)}});
}

ApiServer::Answer ApiServer::get_block(const HttpRequest& req) {
  const std::string key = req.matches[1];
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  const ApiFailure absent{ApiCode::UnknownBlock, "no block " + key};
  uint64_t height = 0;
  if (key.size() == 64) {
    auto hash = hex32(key, ApiCode::BadHash, "hash");
    if (!hash) return fail(hash.error());
    auto found = present(chain_.height_of(*read, *hash), absent);
    if (!found) return fail(found.error());
    height = *found;
  } else if (is_height(key)) {
    height = std::stoull(key);
  } else {
    return fail(ApiFailure{ApiCode::BadBlock, "a block is named by its height or its hash"});
  }
  auto block = present(chain_.block(*read, height), absent);
  if (!block) return fail(block.error());
  Json txs = Json::array();
  for (const auto& tx : block->txs)
    txs.push_back(hex(tx.hash()));
  Json out = header_json(block->header);
  out["transactions"] = std::move(txs);
  return json_response(200, out);
}

ApiServer::Answer ApiServer::get_contract(const HttpRequest& req) {
  auto contract = hex32(req.matches[1], ApiCode::BadContract, "contract");
  if (!contract) return fail(contract.error());
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  const auto& db = chain_.store().db();
  auto found = read->get(db.contracts, *contract);
  if (!found.ok()) return fail(ApiFailure{ApiCode::Store, found.error().message});
  if (!*found) return fail(ApiFailure{ApiCode::UnknownContract, "no contract " + hex(*contract)});
  const store::View code_id = **found;
  auto stored = read->get(db.code, code_id);
  if (!stored.ok()) return fail(ApiFailure{ApiCode::Store, stored.error().message});
  const std::optional<store::View>& code = *stored;
  if (!code)
    return fail(ApiFailure{ApiCode::Corrupt, "the code of contract " + hex(*contract) + ", " +
                                                 hex(code_id) + ", is missing"});
  auto module = vm::read_module(*code);
  if (!module.ok())
    return fail(ApiFailure{ApiCode::Corrupt, "the code of contract " + hex(*contract) +
                                                 " does not decode: " + module.error().describe()});
  Json exports = Json::array();
  for (const auto& e : module->exports)
    exports.push_back(e.name);
  return json_response(200, {{"address", hex(*contract)},
                             {"code_id", hex(code_id)},
                             {"exports", exports},
                             {"module", hex(*code)}});
}

ApiServer::Answer ApiServer::get_account(const HttpRequest& req) {
  auto who = hex32(req.matches[1], ApiCode::BadIdentity, "identity");
  if (!who) return fail(who.error());
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  auto next = chain_.next_nonce(*read, *who);
  if (!next.ok()) return fail(ApiFailure{ApiCode::Store, next.error().message});
  return json_response(200, {{"identity", hex(*who)}, {"did", did_key(*who)}, {"next_nonce", *next}});
}

ApiServer::Answer ApiServer::get_events(const HttpRequest& req) {
  auto q = event_query(req);
  if (!q) return fail(q.error());
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  Json events = Json::array();
  uint64_t last = q->after;
  auto found = store::query_events(*read, chain_.store().db(), *q);
  // An event the index names that is missing or does not decode is damage, not a busy store.
  if (!found.ok())
    return fail(ApiFailure{found.error().code == MDB_CORRUPTED ? ApiCode::Corrupt : ApiCode::Store,
                           found.error().message});
  const store::EventPage& page = *found;
  // The audit trail is the consortium's: an identity's trail holds the events of registered
  // contracts only (an open chain has no registry: all of them), each with its name.
  auto open = consortium::is_open(*read, chain_.store().db());
  if (!open.ok()) return fail(api_failure(open.error()));
  std::map<Identity, std::optional<std::string>> names;
  for (const auto& e : page.events) {
    last = e.seq;
    auto [it, fresh] = names.try_emplace(e.event.contract);
    if (fresh) {
      auto name = consortium::name_of(*read, chain_.store().db(), e.event.contract);
      if (!name.ok()) return fail(api_failure(name.error()));
      it->second = *name;
    }
    if (!*open && !it->second && q->by == store::EventQuery::By::Identity) continue;
    auto shown = event_json(chain_, *read, e);
    if (!shown.ok()) return fail(shown.error());
    Json j = std::move(shown).value();
    if (it->second) j["contract_name"] = *it->second;
    events.push_back(std::move(j));
  }
  Json out = {{"events", events}};
  // More may follow: the page is full, or the scan stopped at its bound (then the page may be
  // short, even empty, and goes on from where the scan stopped).
  if (page.resume_after)
    out["next_after"] = *page.resume_after;
  else if (page.events.size() == q->limit)
    out["next_after"] = last;
  return json_response(200, out);
}

}  // namespace assent::node

namespace assent::node {

ApiServer::Answer ApiServer::get_consortium(const HttpRequest&) {
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  const auto& db = chain_.store().db();
  auto members = consortium::members(*read, db);
  if (!members.ok()) return fail(api_failure(members.error()));
  auto registry = consortium::registry(*read, db);
  if (!registry.ok()) return fail(api_failure(registry.error()));
  auto genesis = stored_genesis_hash(*read, db);
  if (!genesis.ok()) return fail(ApiFailure{ApiCode::Store, genesis.error().message});
  Json list = Json::array();
  for (const Member& m : *members)
    list.push_back({{"key", hex(m.key)},
                    {"did", did_key(m.key)},
                    {"name", m.name},
                    {"roles", role_names(m.roles)},
                    {"deploy", m.may_deploy}});
  Json names = Json::array();
  for (const auto& [name, address] : *registry)
    names.push_back({{"name", name}, {"contract", hex(address)}});
  return json_response(200, {{"open", members->empty()},
                             {"rule", members->empty() ? "none" : "registrar"},
                             {"genesis", *genesis ? Json(hex(**genesis)) : Json(nullptr)},
                             {"members", list},
                             {"registry", names}});
}

}  // namespace assent::node
