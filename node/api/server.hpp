// The node's HTTP/JSON API (docs/api.md): transactions in, blocks, receipts, views, audit
// queries, status and Prometheus metrics out. Loopback by default; HTTPS with a certificate,
// and plain HTTP only on loopback unless told otherwise (`insecure_http`). The routes live in
// routes.cpp; HTTP itself (connections, deadlines, limits) in http_server.hpp; clients
// waiting for receipts in receipt_waiters.hpp. docs/security.md lists every limit.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "node/api/auth/authenticator.hpp"
#include "node/api/http_server.hpp"
#include "node/api/receipt_waiters.hpp"
#include "node/api/router.hpp"
#include "node/orderer/orderer.hpp"

namespace boost::asio {
class thread_pool;
}

namespace assent::node {

struct ApiConfig {
  std::string host = "127.0.0.1";
  int port = 8645;  // 0: any free port
  // HTTPS: the certificate and key, and optionally the CA that signs clients' certificates
  // (then required). Without them the API is plain HTTP, which it serves on a loopback
  // address only: on any other, `start` refuses unless `insecure_http` (anyone on that
  // network could read what patients' records say, and change what a client is told).
  ServerTls tls;
  bool insecure_http = false;
  // Bodies: a transaction in hex, with room for the JSON around it.
  HttpLimits http{.max_body_bytes = 2 * kMaxTransactionBytes + 4096};
  std::chrono::milliseconds max_wait{30'000};  // the longest a submit may wait for its receipt
  std::size_t max_waiters = 1024;              // submits waiting for receipts at once
  // Requests whose cost grows with what they ask for (views, up to the view gas limit; events,
  // blocks, contracts and transactions, with the data they read and answer) run on threads
  // of their own, never on those that answer status, accounts and submits; each waits for
  // one in a bounded queue. At most `max_pooled_per_address` of them from one client address
  // are queued or running (429 beyond), at most `max_pooled` in all (503).
  std::size_t pool_threads = 2;
  std::size_t max_pooled_per_address = 16;
  std::size_t max_pooled = 64;
  // A cluster follower's submits wait for the proposer's answer: beyond what the reading
  // threads may take on (all but one), they run on threads that may wait (they hold no
  // CPU), at most `max_forwarding` at once (503 beyond).
  std::size_t forward_threads = 32;
  std::size_t max_forwarding = 1024;
  // Authentication (docs/api.md, "Authentication"): with `require_auth`, only status, metrics
  // and the token endpoint answer a request without credentials (401 `unauthenticated`);
  // without it, anonymous requests are served everywhere, as before authentication existed
  // (a loopback-only development switch). Either way a request's credentials, when it has
  // them, must prove who sent it, and a view runs as its sender.
  bool require_auth = true;
  auth::AuthConfig auth;
  // Who may be issued bearer tokens (auth/clients.hpp); none when empty.
  auth::ClientRegistry clients;
  // The URLs clients reach this node at (behind a proxy, say), beside where it listens: a
  // client assertion's `aud` must be one of them with /v1/token.
  std::vector<std::string> public_urls;
};

class ApiServer {
 public:
  ApiServer(Chain& chain, Orderer& orderer, ApiConfig config);
  ~ApiServer();

  // Binds and serves on threads of its own: the port it listens on, or why it cannot (plain
  // HTTP off loopback, a TLS file that does not do, the port taken).
  Result<int, std::string> start();
  void stop();
  int port() const { return http_.port(); }
  // https:// with TLS; an IPv6 host in brackets.
  std::string url() const;
  // What it serves, for the node's first words: "HTTPS (TLS 1.2+, ...)", "plain HTTP ...".
  std::string transport() const;
  const HttpStats& http_stats() const { return http_.stats(); }

  // Answers one request as the server would, without a socket (tests, the fuzz target).
  void handle(HttpRequest request, Respond respond) const {
    router_.handle(std::move(request), std::move(respond));
  }

  // The orderer calls this after each block (wakes submitters waiting for receipts).
  void committed(const CommittedBlock& block);

 private:
  // What a handler that answers before it returns gives: the answer, or the error to send.
  using Answer = Result<HttpResponse, ApiFailure>;

  void routes();  // the route table (routes.cpp): each endpoint and its handler

  // POST /v1/transactions (submit.cpp): answered at once, or once its receipt is committed.
  void submit(const HttpRequest& req, Respond respond);
  void submit_now(const HttpRequest& req, Respond respond);
  // POST /v1/view (view.cpp).
  Answer view(const HttpRequest& req);
  // The chain's records (chain_reads.cpp).
  Answer get_transaction(const HttpRequest& req);
  Answer get_block(const HttpRequest& req);
  Answer get_raw_block(const HttpRequest& req);
  Answer get_contract(const HttpRequest& req);
  Answer get_account(const HttpRequest& req);
  Answer get_events(const HttpRequest& req);
  Answer get_consortium(const HttpRequest& req);
  // The node itself (routes.cpp).
  Answer get_status(const HttpRequest& req);
  Answer get_metrics(const HttpRequest& req);
  // POST /v1/token and /v1/token/revoke (token.cpp).
  Answer post_token(const HttpRequest& req);
  Answer revoke_token(const HttpRequest& req);

  // The router's guard (token.cpp): who sent `req`, or the refusal.
  std::optional<HttpResponse> authenticate(HttpRequest& req, Access access);
  // The token endpoint's URLs, which a client assertion's `aud` names.
  std::vector<std::string> token_audiences() const;

  // `handler` run on the pool, within the bounds above.
  Handler pooled(Router::SyncHandler handler);
  // A place on the pool for a request from `address` (queued or running), or why not (a 429
  // or 503).
  std::optional<HttpResponse> enter_pool(const std::string& address);
  void leave_pool(const std::string& address);

  Chain& chain_;
  Orderer& orderer_;
  ApiConfig config_;
  Router router_;
  std::unique_ptr<auth::Authenticator> auth_;
  ReceiptWaiters waiters_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::unique_ptr<boost::asio::thread_pool> forward_pool_;
  std::atomic<std::size_t> forwarding_{0};       // on the forwarding threads
  std::atomic<std::size_t> inline_forwards_{0};  // on the threads that read requests
  HttpServer http_;

  std::mutex pool_mutex_;
  std::unordered_map<std::string, std::size_t> pooled_by_address_;
  std::size_t pooled_ = 0;  // queued or running

  struct Metrics {
    std::atomic<uint64_t> requests{0}, client_errors{0}, server_errors{0}, blocks{0},
        transactions{0}, failed_transactions{0}, rejected{0}, views{0}, pooled_refused{0},
        waits_refused{0}, auth_refused{0}, signed_requests{0}, token_requests{0};
    std::atomic<uint64_t> last_block_txs{0};
  } metrics_;
};

}  // namespace assent::node
