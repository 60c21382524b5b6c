// The API's endpoints (docs/api.md): the route table, which names each endpoint's handler,
// and the node's own state (status, metrics). The chain's records are in chain_reads.cpp,
// submits in submit.cpp, views in view.cpp; each answers JSON, and a refusal is
// {"error": {"code", "message"}} with its code's status (node/api/api_errors.hpp).
#include "node/api/json_views.hpp"
#include "node/api/requests.hpp"
#include "node/api/server.hpp"
#include "vm/hex.hpp"

namespace assent::node {

void ApiServer::routes() {
  // Where a handler runs: on the threads that read requests (it is cheap and bounded), or on
  // the pool, within its bounds (its cost grows with what it is asked).
  enum class Runs { Inline, Pooled };
  struct Route {
    const char* method;
    const char* pattern;
    Runs runs;
    Answer (ApiServer::*handler)(const HttpRequest&);
  };
  static constexpr Route kRoutes[] = {
      {"GET", R"(/v1/transactions/([0-9a-fA-F]+))", Runs::Pooled, &ApiServer::get_transaction},
      {"GET", R"(/v1/blocks/(\d+)/raw)", Runs::Pooled, &ApiServer::get_raw_block},
      {"GET", R"(/v1/blocks/([0-9a-fA-F]+))", Runs::Pooled, &ApiServer::get_block},
      {"POST", "/v1/view", Runs::Pooled, &ApiServer::view},
      {"GET", R"(/v1/contracts/([0-9a-fA-F]+))", Runs::Pooled, &ApiServer::get_contract},
      {"GET", R"(/v1/accounts/([0-9a-fA-F]+))", Runs::Inline, &ApiServer::get_account},
      {"GET", "/v1/events", Runs::Pooled, &ApiServer::get_events},
      {"GET", "/v1/consortium", Runs::Pooled, &ApiServer::get_consortium},
      {"GET", "/v1/status", Runs::Inline, &ApiServer::get_status},
      {"GET", "/metrics", Runs::Inline, &ApiServer::get_metrics},
  };
  // A submit may answer later (once its receipt commits), so it is given the answer itself.
  router_.add("POST", "/v1/transactions",
              [this](const HttpRequest& req, Respond respond) { submit(req, std::move(respond)); });
  for (const Route& route : kRoutes) {
    Router::SyncHandler run = [this, handler = route.handler](const HttpRequest& req,
                                                              HttpResponse& res) {
      Answer answer = (this->*handler)(req);
      res = answer.ok() ? std::move(answer).value() : error_response(answer.error());
    };
    if (route.runs == Runs::Pooled)
      router_.add(route.method, route.pattern, pooled(std::move(run)));
    else
      router_.add_sync(route.method, route.pattern, std::move(run));
  }
}

ApiServer::Answer ApiServer::get_status(const HttpRequest&) {
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  auto head = chain_.head(*read);
  if (!head) return fail(api_failure(head.error()));
  const auto fault = orderer_.fault();
  return json_response(200, {{"chain_id", chain_.config().chain_id},
                             {"height", head->height},
                             {"head", hex(head->hash)},
                             {"state_root", hex(head->state_root)},
                             {"time", head->time},
                             {"queued", orderer_.queued()},
                             {"role", orderer_.role()},
                             {"fault", fault ? Json(*fault) : Json(nullptr)},
                             {"node", hex(chain_.proposer().public_key())},
                             {"node_did", did_key(chain_.proposer().public_key())}});
}

ApiServer::Answer ApiServer::get_metrics(const HttpRequest&) {
  uint64_t height = 0;  // 0 while the store cannot be read: metrics answer whatever happens
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
  return HttpResponse{200, m, "text/plain; version=0.0.4", false};
}

}  // namespace assent::node
