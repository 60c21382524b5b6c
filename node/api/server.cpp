#include "node/api/server.hpp"

#include <httplib.h>

#include "node/api/json_views.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

using httplib::Request;
using httplib::Response;

void send_error(Response& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  const Json body = {{"error", {{"code", code}, {"message", message}}}};
  res.set_content(body.dump() + "\n", "application/json");
}

}  // namespace

ApiServer::ApiServer(Chain& chain, Orderer& orderer, ApiConfig config)
    : chain_(chain),
      orderer_(orderer),
      config_(std::move(config)),
      server_(std::make_unique<httplib::Server>()) {
  const std::size_t threads = config_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(2 * kMaxTransactionBytes + 4096);
  server_->set_tcp_nodelay(true);  // small answers, at once: no Nagle delay
  server_->set_keep_alive_max_count(100);
  server_->set_keep_alive_timeout(2);
  server_->set_read_timeout(10, 0);
  server_->set_pre_routing_handler([this](const Request&, Response&) {
    ++metrics_.requests;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // httplib's own refusals (an unknown path, an oversize body) also answer in JSON.
  server_->set_error_handler([this](const Request& req, Response& res) {
    if (res.status >= 400 && res.status < 500) ++metrics_.client_errors;
    if (!res.body.empty()) return;
    if (res.status == 404)
      send_error(res, 404, "not_found",
                 "no endpoint " + req.method + " " + req.path + " (docs/api.md lists them)");
    else if (res.status == 413)
      send_error(res, 413, "too_large",
                 "the body exceeds " + std::to_string(2 * kMaxTransactionBytes + 4096) + " bytes");
    else
      send_error(res, res.status, "http_" + std::to_string(res.status), "request refused");
  });
  // Remember the listening socket: the library listens with a backlog of 5, too few for
  // hundreds of clients connecting at once, so start() raises it.
  server_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });
  routes();
}

ApiServer::~ApiServer() {
  stop();
}

bool ApiServer::start(std::string& error) {
  port_ = config_.port == 0
              ? server_->bind_to_any_port(config_.host)
              : (server_->bind_to_port(config_.host, config_.port) ? config_.port : -1);
  if (port_ <= 0) {
    error = "cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
            " (in use? choose another with --port)";
    return false;
  }
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() does nothing until the server runs: wait for it, so that a stop right after
  // start cannot hang.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

void ApiServer::stop() {
  {
    // Requests waiting for receipts give up first, so that the server's threads can end.
    std::lock_guard lock(commit_mutex_);
    stopping_ = true;
    commit_cv_.notify_all();
  }
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

void ApiServer::committed(const CommittedBlock& block) {
  ++metrics_.blocks;
  metrics_.transactions += block.receipts.size();
  metrics_.last_block_txs = block.receipts.size();
  for (const auto& r : block.receipts)
    if (!r.receipt.ok()) ++metrics_.failed_transactions;
  std::lock_guard lock(commit_mutex_);
  ++commits_;
  commit_cv_.notify_all();
}

std::optional<StoredReceipt> ApiServer::wait_for_receipt(const Hash& tx,
                                                         std::chrono::milliseconds max) {
  const auto deadline = std::chrono::steady_clock::now() + max;
  for (;;) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(commit_mutex_);
      seen = commits_;
    }
    if (auto read = chain_.store().begin_read(); read.ok())
      if (auto r = chain_.receipt(*read, tx)) return r;
    std::unique_lock lock(commit_mutex_);
    if (!commit_cv_.wait_until(lock, deadline, [&] { return stopping_ || commits_ != seen; }) ||
        stopping_)
      return std::nullopt;
  }
}

}  // namespace assent::node
