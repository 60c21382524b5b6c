// The node's HTTP/JSON API (docs/api.md), on cpp-httplib: transactions in, blocks, receipts,
// views, audit queries, status and Prometheus metrics out. Loopback by default.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "node/orderer/orderer.hpp"

namespace httplib {
class Server;
}

namespace assent::node {

struct ApiConfig {
  std::string host = "127.0.0.1";
  int port = 8645;                             // 0: any free port
  std::size_t threads = 128;                   // a connection holds a thread while it is open
  std::chrono::milliseconds max_wait{30'000};  // the longest a submit may wait for its receipt
};

class ApiServer {
 public:
  ApiServer(Chain& chain, Orderer& orderer, ApiConfig config);
  ~ApiServer();

  // Binds and serves on a thread of its own; false (with `error`) when it cannot bind.
  bool start(std::string& error);
  void stop();
  int port() const { return port_; }
  std::string url() const { return "http://" + config_.host + ":" + std::to_string(port_); }

  // The orderer calls this after each block (wakes submitters waiting for receipts).
  void committed(const CommittedBlock& block);

 private:
  void routes();
  std::optional<StoredReceipt> wait_for_receipt(const Hash& tx, std::chrono::milliseconds max);

  Chain& chain_;
  Orderer& orderer_;
  ApiConfig config_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;

  std::mutex commit_mutex_;
  std::condition_variable commit_cv_;
  uint64_t commits_ = 0;
  bool stopping_ = false;

  struct Metrics {
    std::atomic<uint64_t> requests{0}, client_errors{0}, blocks{0}, transactions{0},
        failed_transactions{0}, rejected{0}, views{0};
    std::atomic<uint64_t> last_block_txs{0};
  } metrics_;
};

}  // namespace assent::node
