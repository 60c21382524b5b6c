// The API's HTTP/1.1 server, on Boost.Beast and Asio: every connection is asynchronous, so a
// slow or idle client holds a socket and a few kilobytes, never a thread. Threads run only
// requests that have arrived whole. What it guarantees against clients (docs/security.md):
// - a request (headers and body) must arrive whole within `request_timeout` of the connect
//   or of the last answer, and an answer be taken within `write_timeout`, or the connection
//   is closed;
// - at most `max_connections` are open, at most `max_connections_per_address` from one
//   client address; a connection beyond either is answered 503 and closed at once;
// - headers are at most `max_header_bytes`, bodies at most `max_body_bytes` (431, 413).
// It knows nothing of the chain: it hands each request to one `Handler`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "node/api/http.hpp"

namespace assent::node {

struct HttpLimits {
  std::size_t threads = 4;  // run requests; a waiting or slow connection holds none
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 256;
  // A whole request, headers and body, from the end of the last answer (or the connect): an
  // idle keep-alive connection is closed after it too.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1 << 20;
};

struct HttpStats {
  std::atomic<uint64_t> open{0};       // connections open now
  std::atomic<uint64_t> accepted{0};   // connections accepted since start
  std::atomic<uint64_t> refused{0};    // connections refused over a limit
  std::atomic<uint64_t> timeouts{0};   // connections closed for a deadline
  std::atomic<uint64_t> malformed{0};  // requests that were not HTTP or over a size limit
};

// Reads one request from `bytes` as a connection would (the same parser and limits): the
// request in `out`, or the answer that refuses it. For the fuzz target and tests.
std::optional<HttpResponse> read_request(std::string_view bytes, const HttpLimits& limits,
                                         HttpRequest& out);

class HttpServer {
 public:
  HttpServer(Handler handler, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (0: any free port) and serves on `limits.threads` threads; false,
  // with `error`, when it cannot.
  [[nodiscard]] bool start(const std::string& host, int port, std::string& error);
  // Stops accepting, closes every connection and joins the threads. Answers handed out
  // before (a `Respond` still held) may be called afterwards: they do nothing.
  void stop();
  int port() const { return port_; }
  const HttpStats& stats() const;

  struct Impl;  // the listener, the connections and the threads (http_server.cpp)

 private:
  std::shared_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace assent::node
