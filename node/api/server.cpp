#include "node/api/server.hpp"

#include <boost/asio/thread_pool.hpp>

namespace assent::node {

ApiServer::ApiServer(Chain& chain, Orderer& orderer, ApiConfig config)
    : chain_(chain),
      orderer_(orderer),
      config_(std::move(config)),
      waiters_(chain, config_.max_waiters),
      view_pool_(std::make_unique<boost::asio::thread_pool>(
          std::max<std::size_t>(1, config_.view_threads))),
      http_(
          [this](HttpRequest req, Respond respond) {
            ++metrics_.requests;
            router_.handle(std::move(req), [this, respond](HttpResponse r) {
              if (r.status >= 400 && r.status < 500) ++metrics_.client_errors;
              if (r.status >= 500) ++metrics_.server_errors;
              respond(std::move(r));
            });
          },
          config_.http) {
  routes();
}

ApiServer::~ApiServer() {
  stop();
}

bool ApiServer::start(std::string& error) {
  return http_.start(config_.host, config_.port, error);
}

void ApiServer::stop() {
  // Waiting submits are answered first ("not committed yet"), while connections are open;
  // views not yet started are dropped, the running ones finish. Then nothing is left that
  // could answer a connection after the server has stopped.
  waiters_.stop();
  view_pool_->stop();
  view_pool_->join();
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

std::optional<HttpResponse> ApiServer::enter_view(const std::string& address) {
  std::lock_guard lock(views_mutex_);
  std::size_t& mine = views_by_address_[address];
  if (mine >= config_.max_views_per_address) {
    ++metrics_.views_refused;
    return error_response(429, "too_many_views",
                          std::to_string(mine) + " views from " + address +
                              " are queued or running; at most " +
                              std::to_string(config_.max_views_per_address) +
                              " at once from one address: wait for an answer first");
  }
  if (views_in_flight_ >= config_.max_views) {
    if (mine == 0) views_by_address_.erase(address);
    ++metrics_.views_refused;
    return error_response(503, "busy",
                          "the node has " + std::to_string(views_in_flight_) +
                              " views queued or running, its most at once; try again shortly");
  }
  ++mine;
  ++views_in_flight_;
  return std::nullopt;
}

void ApiServer::leave_view(const std::string& address) {
  std::lock_guard lock(views_mutex_);
  auto it = views_by_address_.find(address);
  if (it != views_by_address_.end() && --it->second == 0) views_by_address_.erase(it);
  --views_in_flight_;
}

}  // namespace assent::node
