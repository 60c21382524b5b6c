// The API's HTTP/1.1 server, on Boost.Beast and Asio: every connection is asynchronous, so a
// slow or idle client holds a socket and a few kilobytes, never a thread. Threads run only
// requests that have arrived whole. What it guarantees against clients (docs/security.md):
// - a request (headers and body) must arrive whole within `request_timeout` of the connect
//   or of the last answer, and an answer be taken within `write_timeout`, or the connection
//   is closed;
// - at most `max_connections_per_address` connections are open from one client address (a
//   connection beyond it is answered 503 and closed at once), and at most `max_connections`
//   in all: when every place is taken, the connection that has waited longest for a request
//   is closed to make room (503 when every connection is busy with one);
// - answers being written are bounded in bytes, in all and per address (503 beyond);
// - headers are at most `max_header_bytes`, bodies at most `max_body_bytes` (431, 413).
// With TLS (a `ServerTls`), every connection is TLS 1.2 or later, and the handshake falls
// under the request deadline above: a client that connects and never completes it is
// closed at the deadline, and counts as waiting for a request (evictable) meanwhile.
// It knows nothing of the chain: it hands each request to one `Handler`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "node/api/http.hpp"
#include "node/tls/tls.hpp"

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
  // Answers being written or waiting for a client that does not read, in all and from one
  // address (503 beyond): 4,096 clients that never read a 512 KiB answer held 1.2 GiB.
  std::size_t max_answer_bytes = std::size_t{256} << 20;
  std::size_t max_answer_bytes_per_address = std::size_t{32} << 20;
  // Each connection's kernel send buffer (SO_SNDBUF), bytes; 0: the system's (it grows to
  // 4 MiB on Linux). Smaller, an unread answer waits in the node's count above sooner.
  int socket_send_buffer = 0;
};

struct HttpStats {
  std::atomic<uint64_t> open{0};       // connections open now
  std::atomic<uint64_t> accepted{0};   // connections accepted since start
  std::atomic<uint64_t> refused{0};    // connections refused over a limit
  std::atomic<uint64_t> timeouts{0};   // connections closed for a deadline
  std::atomic<uint64_t> malformed{0};  // requests that were not HTTP or over a size limit
  std::atomic<uint64_t> evicted{0};    // connections closed to make room (the longest waiting)
  std::atomic<uint64_t> answers_refused{0};  // answers refused over the answer-bytes bound
  // TLS handshakes that failed (a certificate refused, not TLS at all), deadlines apart
  std::atomic<uint64_t> tls_failed{0};
};

// Reads one request from `bytes` as a connection would (the same parser and limits): the
// request in `out`, or the answer that refuses it. For the fuzz target and tests.
std::optional<HttpResponse> read_request(std::string_view bytes, const HttpLimits& limits,
                                         HttpRequest& out);

class HttpServer {
 public:
  // `tls` enabled: HTTPS only, with its certificate, key and client verification.
  HttpServer(Handler handler, HttpLimits limits, ServerTls tls = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (0: any free port) and serves on `limits.threads` threads: the port
  // it listens on, or why it cannot (the TLS files' problem first: TlsFailure::message).
  Result<int, std::string> start(const std::string& host, int port);
  // Stops accepting, closes every connection and joins the threads. Answers handed out
  // before (a `Respond` still held) may be called afterwards: they do nothing.
  void stop();
  int port() const { return port_; }
  bool tls() const { return tls_.enabled(); }
  const HttpStats& stats() const;

  struct Impl;  // the listener, the connections and the threads (http_server.cpp)

 private:
  std::shared_ptr<Impl> impl_;
  ServerTls tls_;
  int port_ = 0;
};

}  // namespace assent::node
