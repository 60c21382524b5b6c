#include "node/api/server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace assent::node {

ApiServer::ApiServer(Chain& chain, Orderer& orderer, ApiConfig config)
    : chain_(chain),
      orderer_(orderer),
      config_(std::move(config)),
      auth_(std::make_unique<auth::Authenticator>(chain.proposer(), chain.config().chain_id,
                                                  config_.clients, config_.auth)),
      waiters_(chain, config_.max_waiters),
      pool_(std::make_unique<boost::asio::thread_pool>(
          std::max<std::size_t>(1, config_.pool_threads))),
      forward_pool_(std::make_unique<boost::asio::thread_pool>(
          std::max<std::size_t>(1, config_.forward_threads))),
      http_(
          [this](HttpRequest req, Respond respond) {
            ++metrics_.requests;
            router_.handle(std::move(req), [this, respond](HttpResponse r) {
              if (r.status >= 400 && r.status < 500) ++metrics_.client_errors;
              if (r.status >= 500) ++metrics_.server_errors;
              respond(std::move(r));
            });
          },
          config_.http, config_.tls) {
  router_.set_guard([this](HttpRequest& req, Access access) { return authenticate(req, access); });
  routes();
}

ApiServer::~ApiServer() {
  stop();
}

namespace {

bool is_loopback(const std::string& host) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

}  // namespace

Result<int, std::string> ApiServer::start() {
  if (!config_.tls.enabled() && !config_.insecure_http && !is_loopback(config_.host))
    return fail("refusing to serve plain HTTP on " + config_.host +
                ", which is not a loopback address: anyone on its network could read the "
                "patients' data the API answers and the requests it takes. Give a certificate "
                "(--tls-cert FILE --tls-key FILE), or listen on loopback (--host 127.0.0.1) "
                "behind a proxy that serves TLS, or, on a network that is private by other "
                "means, say so with --insecure-http (docs/security.md, \"TLS\")");
  return http_.start(config_.host, config_.port);
}

std::string ApiServer::url() const {
  const std::string host =
      config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
  return (config_.tls.enabled() ? "https://" : "http://") + host + ":" + std::to_string(port());
}

std::string ApiServer::transport() const {
  if (config_.tls.enabled())
    return "HTTPS (TLS 1.2+, certificate " + config_.tls.cert_file +
           (config_.tls.verifies_clients()
                ? "; client certificates required, signed by " + config_.tls.client_ca_file
                : "; no client certificates asked for") +
           ")";
  if (is_loopback(config_.host)) return "plain HTTP, on loopback only";
  return "plain HTTP on a network address (--insecure-http): anyone who can reach it can read "
         "and alter what it answers";
}

void ApiServer::stop() {
  // Waiting submits are answered first ("not committed yet"), while connections are open;
  // views not yet started are dropped, the running ones finish. Then nothing is left that
  // could answer a connection after the server has stopped.
  waiters_.stop();
  pool_->stop();
  pool_->join();
  forward_pool_->stop();
  forward_pool_->join();
  http_.stop();
}

void ApiServer::committed(const CommittedBlock& block) {
  ++metrics_.blocks;
  metrics_.transactions += block.receipts.size();
  metrics_.last_block_txs = block.receipts.size();
  for (const auto& r : block.receipts)
    if (!r.receipt.ok()) ++metrics_.failed_transactions;
  waiters_.committed();
}

Handler ApiServer::pooled(Router::SyncHandler handler) {
  return [this, handler = std::move(handler)](const HttpRequest& req, Respond respond) {
    if (auto refused = enter_pool(req.remote)) return respond(std::move(*refused));
    boost::asio::post(*pool_, [this, handler, req, respond] {
      HttpResponse res;
      try {
        handler(req, res);
      } catch (const std::exception& e) {
        res = error_response(ApiCode::Internal,
                             std::string("the node failed to answer: ") + e.what());
      }
      leave_pool(req.remote);
      respond(std::move(res));
    });
  };
}

std::optional<HttpResponse> ApiServer::enter_pool(const std::string& address) {
  std::lock_guard lock(pool_mutex_);
  std::size_t& mine = pooled_by_address_[address];
  if (mine >= config_.max_pooled_per_address) {
    ++metrics_.pooled_refused;
    return error_response(ApiCode::TooManyRequests,
                          std::to_string(mine) + " requests from " + address +
                              " that run views or read the chain are queued or running; at most " +
                              std::to_string(config_.max_pooled_per_address) +
                              " at once from one address: wait for an answer first");
  }
  if (pooled_ >= config_.max_pooled) {
    if (mine == 0) pooled_by_address_.erase(address);
    ++metrics_.pooled_refused;
    return error_response(ApiCode::Busy,
                          "the node has " + std::to_string(pooled_) +
                              " views and reads queued or running, its most at once; try again "
                              "shortly");
  }
  ++mine;
  ++pooled_;
  return std::nullopt;
}

void ApiServer::leave_pool(const std::string& address) {
  std::lock_guard lock(pool_mutex_);
  auto it = pooled_by_address_.find(address);
  if (it != pooled_by_address_.end() && --it->second == 0) pooled_by_address_.erase(it);
  --pooled_;
}

}  // namespace assent::node
