// Inside the API's HTTP server (http_server.hpp): the listener's state that connections share
// (limits, counts, the TLS context), and the connections themselves (http_session.cpp), plain
// or TLS. Only http_server.cpp and http_session.cpp include this.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "node/api/http_server.hpp"

namespace assent::node {

namespace http_detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// A connection, whatever it speaks: what the server asks of it to evict or stop it.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // When it started waiting for its next request (steady clock, ns; a TLS connection from its
  // connect, through its handshake), or 0 while it has one in hand.
  virtual int64_t reading_since() const = 0;
  // Closes the connection, on its own strand.
  virtual void close() = 0;
};

}  // namespace http_detail

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  using SessionBase = http_detail::SessionBase;
  using tcp = http_detail::tcp;

  Impl(Handler h, HttpLimits l) : handler(std::move(h)), limits(l) {}

  // Admits a connection from `address` within the limits; false when it must be refused.
  // When every place is taken, the connection that has waited longest for a request (a slow
  // or idle client, or one that never finishes its TLS handshake) is closed to make room: a
  // host with many addresses cannot lock others out by holding every place with connections
  // that send nothing.
  bool admit(const std::string& address);
  bool evict_oldest_reader();
  void release(const std::string& address);

  void accept();
  void on_accept(boost::beast::error_code ec, tcp::socket socket);

  // Answers written or waiting for their client, in bytes: a client that does not read holds
  // them until the write deadline, so they are bounded in all and per address.
  bool hold_answer(const std::string& address, std::size_t bytes);
  void drop_answer(const std::string& address, std::size_t bytes);

  Handler handler;
  HttpLimits limits;
  HttpStats stats;
  // Set before the threads start, read only after: a TLS server's certificate, key and
  // client verification.
  std::unique_ptr<boost::asio::ssl::context> tls;
  std::atomic<bool> stopped{false};
  std::mutex mutex;  // guards per_address, sessions and the answer bytes
  std::unordered_map<std::string, std::size_t> per_address;
  std::size_t answer_bytes = 0;
  std::unordered_map<std::string, std::size_t> answer_bytes_by_address;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  std::vector<std::thread> threads;
  // Declared last, destroyed first: what the context still holds (sessions) may use the
  // members above while it goes.
  boost::asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  boost::asio::steady_timer retry{ioc};
};

namespace http_detail {

// Serves an admitted connection from `remote` until it closes: plain HTTP, or TLS when the
// server has a context.
void start_session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server,
                   std::string remote);

// The answer to a connection over a limit, written at once (without reading its request).
const std::string& busy_answer();
// `r` as raw HTTP/1.1 bytes that close the connection: for answers written before (or
// without) a parser, on a socket.
std::string raw_answer(const HttpResponse& r);

}  // namespace http_detail

}  // namespace assent::node
