// The endpoints of the API (docs/api.md), each answering JSON; a refusal is a 4xx with
// {"error": {"code", "message"}} and changes nothing.
#include "node/api/json_views.hpp"
#include "node/api/server.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

using Request = HttpRequest;
using Response = HttpResponse;

void send_json(Response& res, int status, const Json& body) {
  res = json_response(status, body);
}

void send_error(Response& res, int status, const std::string& code, const std::string& message) {
  res = error_response(status, code, message);
}

std::optional<std::array<uint8_t, 32>> hex32(Response& res, const std::string& text,
                                             const std::string& what) {
  auto bytes = parse_hex(text);
  if (!bytes.ok() || bytes->size() != 32) {
    send_error(res, 400, "bad_" + what, what + " must be 64 hex digits, not `" + text + "`");
    return std::nullopt;
  }
  std::array<uint8_t, 32> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

std::optional<Json> parse_body(const Request& req, Response& res) {
  auto j = parse_json_body(req.body);
  if (!j.ok())
    send_error(res, 400, "bad_json", j.error());
  else if (!j->is_object())
    send_error(res, 400, "bad_json", "the body must be a JSON object");
  else
    return std::move(j).value();
  return std::nullopt;
}

std::optional<uint64_t> number_param(const Request& req, Response& res, const std::string& name,
                                     uint64_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.param(name);
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() <= 19)
    return std::stoull(v);
  send_error(res, 400, "bad_" + name, "`" + name + "` must be a non-negative integer");
  return std::nullopt;
}

// A read transaction, or a 503.
std::optional<store::Txn> snapshot(Chain& chain, Response& res) {
  auto read = chain.store().begin_read();
  if (read.ok()) return std::move(read).value();
  send_error(res, 503, "store", read.error().message);
  return std::nullopt;
}

}  // namespace

void ApiServer::routes() {
  auto& s = router_;

  s.add("POST", "/v1/transactions",
        [this](const Request& req, Respond respond) { submit(req, std::move(respond)); });

  s.add("GET", R"(/v1/transactions/([0-9a-fA-F]+))",
        pooled([this](const Request& req, Response& res) {
          auto hash = hex32(res, req.matches[1], "hash");
          if (!hash) return;
          auto read = snapshot(chain_, res);
          if (!read) return;
          auto r = chain_.receipt(*read, *hash);
          if (!r)
            return send_error(res, 404, "unknown_tx", "no committed transaction " + hex(*hash));
          auto block = chain_.block(*read, r->height);
          if (!block || r->index >= block->txs.size())
            return send_error(res, 500, "store", "the block of a receipt is missing");
          const Transaction& tx = block->txs[r->index];
          send_json(res, 200,
                    {{"tx", tx_json(tx)}, {"receipt", receipt_json(chain_, *read, tx, *r)}});
        }));

  // A block as it is encoded (docs/protocol.md), for nodes catching up from a peer.
  s.add("GET", R"(/v1/blocks/(\d+)/raw)", pooled([this](const Request& req, Response& res) {
          const std::string key = req.matches[1];
          if (key.size() > 19) return send_error(res, 400, "bad_block", "a height is a number");
          auto read = snapshot(chain_, res);
          if (!read) return;
          auto raw = read->get(chain_.store().db().blocks, store::be64(std::stoull(key)));
          if (!raw.ok()) return send_error(res, 500, "store", raw.error().message);
          if (!*raw) return send_error(res, 404, "unknown_block", "no block " + key);
          send_json(res, 200, {{"height", std::stoull(key)}, {"block", hex(**raw)}});
        }));

  s.add("GET", R"(/v1/blocks/([0-9a-fA-F]+))", pooled([this](const Request& req, Response& res) {
          const std::string key = req.matches[1];
          auto read = snapshot(chain_, res);
          if (!read) return;
          std::optional<uint64_t> height;
          if (key.size() == 64) {
            auto hash = hex32(res, key, "hash");
            if (!hash) return;
            height = chain_.height_of(*read, *hash);
          } else if (key.size() <= 19 && key.find_first_not_of("0123456789") == std::string::npos) {
            height = std::stoull(key);
          } else {
            return send_error(res, 400, "bad_block", "a block is named by its height or its hash");
          }
          auto block = height ? chain_.block(*read, *height) : std::nullopt;
          if (!block) return send_error(res, 404, "unknown_block", "no block " + key);
          Json txs = Json::array();
          for (const auto& tx : block->txs)
            txs.push_back(hex(tx.hash()));
          Json out = header_json(block->header);
          out["transactions"] = std::move(txs);
          send_json(res, 200, out);
        }));

  s.add("POST", "/v1/view", pooled([this](const Request& req, Response& res) { view(req, res); }));

  s.add("GET", R"(/v1/contracts/([0-9a-fA-F]+))", pooled([this](const Request& req, Response& res) {
          auto contract = hex32(res, req.matches[1], "contract");
          if (!contract) return;
          auto read = snapshot(chain_, res);
          if (!read) return;
          auto found = read->get(chain_.store().db().contracts, *contract);
          if (!found.ok()) return send_error(res, 500, "store", found.error().message);
          if (!*found)
            return send_error(res, 404, "unknown_contract", "no contract " + hex(*contract));
          const store::View code_id = **found;
          auto stored = read->get(chain_.store().db().code, code_id);
          if (!stored.ok()) return send_error(res, 500, "store", stored.error().message);
          if (!*stored) return send_error(res, 500, "store", "the contract's code is missing");
          const store::View code = **stored;
          Json exports = Json::array();
          if (auto m = vm::read_module(code); m.ok())
            for (const auto& e : m->exports)
              exports.push_back(e.name);
          send_json(res, 200,
                    {{"address", hex(*contract)},
                     {"code_id", hex(code_id)},
                     {"exports", exports},
                     {"module", hex(code)}});
        }));

  s.add_sync("GET", R"(/v1/accounts/([0-9a-fA-F]+))", [this](const Request& req, Response& res) {
    auto who = hex32(res, req.matches[1], "identity");
    if (!who) return;
    auto read = snapshot(chain_, res);
    if (!read) return;
    auto next = chain_.next_nonce(*read, *who);
    if (!next.ok()) return send_error(res, 500, "store", next.error().message);
    send_json(res, 200, {{"identity", hex(*who)}, {"did", did_key(*who)}, {"next_nonce", *next}});
  });

  s.add("GET", "/v1/events", pooled([this](const Request& req, Response& res) {
          store::EventQuery q;
          const int keys = req.has_param("contract") + req.has_param("identity");
          if (keys != 1)
            return send_error(res, 400, "bad_query",
                              "name exactly one of `contract` or `identity` (with `name` for a "
                              "contract's events of one name)");
          const std::string key = req.param(req.has_param("contract") ? "contract" : "identity");
          auto id = hex32(res, key, req.has_param("contract") ? "contract" : "identity");
          if (!id) return;
          q.key = *id;
          q.by = req.has_param("identity") ? store::EventQuery::By::Identity
                                           : store::EventQuery::By::Contract;
          if (req.has_param("name")) {
            if (q.by != store::EventQuery::By::Contract)
              return send_error(res, 400, "bad_query", "`name` goes with `contract`");
            q.by = store::EventQuery::By::Name;
            q.name = req.param("name");
          }
          auto after = number_param(req, res, "after", 0);
          if (!after) return;
          auto from = number_param(req, res, "from", 0);
          if (!from) return;
          auto to = number_param(req, res, "to", UINT64_MAX);
          if (!to) return;
          auto limit = number_param(req, res, "limit", 100);
          if (!limit) return;
          if (*limit == 0 || *limit > 1000)
            return send_error(res, 400, "bad_limit", "`limit` is 1 to 1000");
          q.after = *after;
          q.from_time = *from;
          q.to_time = *to;
          q.limit = *limit;
          auto read = snapshot(chain_, res);
          if (!read) return;
          Json events = Json::array();
          uint64_t last = q.after;
          auto found = store::query_events(*read, chain_.store().db(), q);
          if (!found.ok()) return send_error(res, 500, "store", found.error().message);
          const store::EventPage& page = *found;
          for (const auto& e : page.events) {
            events.push_back(event_json(chain_, *read, e));
            last = e.seq;
          }
          Json out = {{"events", events}};
          // More may follow: the page is full, or the scan stopped at its bound (then the
          // page may be short, even empty, and goes on from where the scan stopped).
          if (page.resume_after)
            out["next_after"] = *page.resume_after;
          else if (events.size() == q.limit)
            out["next_after"] = last;
          send_json(res, 200, out);
        }));

  s.add_sync("GET", "/v1/status", [this](const Request&, Response& res) {
    auto read = snapshot(chain_, res);
    if (!read) return;
    auto stored = chain_.head(*read);
    if (!stored.ok()) return send_error(res, 500, "store", stored.error().message);
    const Head& head = *stored;
    send_json(res, 200,
              {{"chain_id", chain_.config().chain_id},
               {"height", head.height},
               {"head", hex(head.hash)},
               {"state_root", hex(head.state_root)},
               {"time", head.time},
               {"queued", orderer_.queued()},
               {"role", orderer_.role()},
               {"fault", orderer_.fault() ? Json(*orderer_.fault()) : Json(nullptr)},
               {"node", hex(chain_.proposer().public_key())},
               {"node_did", did_key(chain_.proposer().public_key())}});
  });

  s.add_sync("GET", "/metrics", [this](const Request&, Response& res) {
    uint64_t height = 0;
    if (auto read = chain_.store().begin_read(); read.ok())
      if (auto head = chain_.head(*read); head.ok()) height = head->height;
    std::string m;
    auto metric = [&](const char* name, const char* type, const char* help, uint64_t value) {
      m += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
    };
    metric("assent_height", "gauge", "Height of the last committed block.", height);
    metric("assent_queued_transactions", "gauge", "Transactions waiting for a block.",
           orderer_.queued());
    metric("assent_blocks_total", "counter", "Blocks committed since start.", metrics_.blocks);
    metric("assent_transactions_total", "counter", "Transactions committed since start.",
           metrics_.transactions);
    metric("assent_failed_transactions_total", "counter",
           "Committed transactions whose execution failed.", metrics_.failed_transactions);
    metric("assent_rejected_transactions_total", "counter", "Transactions refused before queueing.",
           metrics_.rejected);
    metric("assent_views_total", "counter", "View calls served.", metrics_.views);
    metric("assent_http_requests_total", "counter", "HTTP requests received.", metrics_.requests);
    metric("assent_http_client_errors_total", "counter", "HTTP answers with a 4xx status.",
           metrics_.client_errors);
    metric("assent_http_server_errors_total", "counter", "HTTP answers with a 5xx status.",
           metrics_.server_errors);
    const HttpStats& http = http_.stats();
    metric("assent_http_connections", "gauge", "HTTP connections open.", http.open);
    metric("assent_http_connections_refused_total", "counter",
           "Connections refused over the connection limits.", http.refused);
    metric("assent_http_timeouts_total", "counter",
           "Connections closed because a request or an answer missed its deadline.", http.timeouts);
    metric("assent_http_malformed_total", "counter",
           "Requests that were not HTTP or exceeded a size limit.", http.malformed);
    metric("assent_http_evicted_total", "counter",
           "Connections closed to make room: the longest waiting for a request.", http.evicted);
    metric("assent_http_answers_refused_total", "counter",
           "Answers refused because too many bytes of answers wait for their clients.",
           http.answers_refused);
    metric("assent_receipt_waiters", "gauge", "Submits waiting for their receipt.",
           waiters_.waiting());
    metric("assent_waits_refused_total", "counter",
           "Submits refused because too many clients were waiting for receipts.",
           metrics_.waits_refused);
    metric("assent_pooled_refused_total", "counter",
           "Views and reads refused over their concurrency limits.", metrics_.pooled_refused);
    res = HttpResponse{200, m, "text/plain; version=0.0.4", false};
  });
}

void ApiServer::submit_now(const Request& req, Respond respond) {
  Response res;
  auto answer = [&] { respond(std::move(res)); };
  if (auto f = orderer_.fault()) {
    send_error(res, 503, "diverged", *f);
    return answer();
  }
  auto body = parse_body(req, res);
  if (!body) return answer();
  if (!body->contains("tx") || !(*body)["tx"].is_string()) {
    send_error(res, 400, "bad_tx", "`tx` must be the signed transaction in hex");
    return answer();
  }
  auto bytes = parse_hex((*body)["tx"].get<std::string>());
  if (!bytes.ok()) {
    send_error(res, 400, "bad_tx", "`tx`: " + bytes.error());
    return answer();
  }
  if (bytes->size() > kMaxTransactionBytes) {
    send_error(res, 413, "too_large",
               "the transaction exceeds " + std::to_string(kMaxTransactionBytes) + " bytes");
    return answer();
  }
  auto tx = Transaction::decode(*bytes);
  if (!tx.ok()) {
    send_error(res, 400, "malformed", tx.error());
    return answer();
  }
  // Everything is checked before the transaction is queued: a refusal changes nothing.
  if (body->contains("wait") && !(*body)["wait"].is_boolean()) {
    send_error(res, 400, "bad_wait", "`wait` is true or false");
    return answer();
  }
  if (body->contains("timeout_ms") && !(*body)["timeout_ms"].is_number_unsigned()) {
    send_error(res, 400, "bad_timeout", "`timeout_ms` is a number of milliseconds");
    return answer();
  }
  const bool wait = body->value("wait", false);
  // Clamped before it becomes a duration: 2^63 ms and above would wrap negative.
  const auto max =
      std::chrono::milliseconds(std::min<uint64_t>(static_cast<uint64_t>(config_.max_wait.count()),
                                                   body->value("timeout_ms", uint64_t{10'000})));
  // A waiter's place is taken before the transaction is queued, so that a refusal to wait
  // leaves nothing queued either.
  if (wait && !waiters_.reserve()) {
    ++metrics_.waits_refused;
    send_error(res, 503, "too_many_waiting",
               std::to_string(config_.max_waiters) +
                   " clients are waiting for receipts, the most at once: send without "
                   "`wait` and poll GET /v1/transactions/{hash}");
    return answer();
  }
  const Transaction copy = *tx;
  auto submitted = orderer_.submit(std::move(tx).value(), req.has_header("x-assent-forwarded"));
  if (!submitted.ok()) {
    if (wait) waiters_.give_back();
    ++metrics_.rejected;
    send_error(res, submitted.error().http_status(), submitted.error().name(),
               submitted.error().message);
    return answer();
  }
  Json out = {{"hash", hex(*submitted)}};
  if (!wait) {
    send_json(res, 202, out);
    return answer();
  }
  waiters_.add(*submitted, ReceiptWaiters::Clock::now() + max,
               [this, copy, out, respond](std::optional<StoredReceipt> receipt) mutable {
                 Response r;
                 if (!receipt) {
                   out["committed"] = false;
                   send_json(r, 202, out);
                 } else if (auto read = snapshot(chain_, r)) {
                   out["committed"] = true;
                   out["receipt"] = receipt_json(chain_, *read, copy, *receipt);
                   send_json(r, 200, out);
                 }
                 respond(std::move(r));
               });
}

void ApiServer::view(const Request& req, Response& res) {
  // A replica that diverged holds state nobody else has: it answers no question about it.
  if (auto f = orderer_.fault()) return send_error(res, 503, "diverged", *f);
  auto body = parse_body(req, res);
  if (!body) return;
  if (!body->contains("contract") || !(*body)["contract"].is_string() ||
      !body->contains("method") || !(*body)["method"].is_string())
    return send_error(res, 400, "bad_view", "a view names `contract` (hex) and `method`");
  auto contract = hex32(res, (*body)["contract"].get<std::string>(), "contract");
  if (!contract) return;
  Identity caller{};
  if (body->contains("caller")) {
    if (!(*body)["caller"].is_string())
      return send_error(res, 400, "bad_caller", "`caller` must be 64 hex digits");
    auto c = hex32(res, (*body)["caller"].get<std::string>(), "caller");
    if (!c) return;
    caller = *c;
  }
  const std::string method = (*body)["method"];
  const Json args = body->value("args", Json::array());
  if (!args.is_array()) return send_error(res, 400, "bad_args", "`args` must be a JSON array");
  auto read = snapshot(chain_, res);
  if (!read) return;
  auto program = chain_.executor().program_of(*read, *contract);
  if (!program.ok())
    return program.error().code == ExecOutcome::StoreFailed
               ? send_error(res, 500, "store", program.error().message)
               : send_error(res, 404, "unknown_contract", program.error().message);
  const vm::Module& m = (*program)->module();
  const vm::Export* e = m.find_export(method);
  if (e == nullptr || e->kind != vm::ExportKind::View) {
    std::string views;
    for (const auto& x : m.exports)
      if (x.kind == vm::ExportKind::View) views += (views.empty() ? "" : ", ") + x.name;
    return send_error(res, 404, "unknown_method",
                      "the contract has no view `" + method + "`; its views: " + views);
  }
  auto encoded = abi::fields_from_json(e->params, m.abi, args);
  if (!encoded.ok()) return send_error(res, 400, "bad_args", encoded.error());
  // A view answers for the next block: what a transaction sent now would see (so a
  // revocation committed in the head block already holds).
  auto stored = chain_.head(*read);
  if (!stored.ok()) return send_error(res, 500, "store", stored.error().message);
  const Head& head = *stored;
  const auto wall = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
  ++metrics_.views;
  Receipt r = chain_.executor().view(*read, {head.height + 1, std::max(wall, head.time)}, caller,
                                     *contract, method, *encoded, chain_.config().max_view_gas);
  if (r.status == ExecOutcome::StoreFailed) return send_error(res, 500, "store", r.message);
  if (!r.ok()) return send_error(res, 422, "view_failed", r.describe());
  std::size_t used = 0;
  auto result = abi::to_json(e->result, m.abi, r.return_data, used);
  send_json(res, 200,
            {{"result", result.ok() ? *result : Json(hex(r.return_data))},
             {"gas_used", r.gas_used},
             {"height", head.height}});
}

}  // namespace assent::node
