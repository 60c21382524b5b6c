#include "node/api/http_server.hpp"

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace assent::node {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(Handler h, HttpLimits l) : handler(std::move(h)), limits(l) {}

  // Admits a connection from `address` within the limits; false when it must be refused.
  // When every place is taken, the connection that has waited longest for a request (a slow
  // or idle client) is closed to make room: a host with many addresses cannot lock others
  // out by holding every place with connections that send nothing.
  bool admit(const std::string& address) {
    {
      std::lock_guard lock(mutex);
      const auto n = per_address.find(address);
      if (n != per_address.end() && n->second >= limits.max_connections_per_address) return false;
    }
    if (stats.open >= limits.max_connections && !evict_oldest_reader()) return false;
    std::lock_guard lock(mutex);
    ++per_address[address];
    ++stats.open;
    return true;
  }
  bool evict_oldest_reader();
  void release(const std::string& address) {
    std::lock_guard lock(mutex);
    auto it = per_address.find(address);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
    --stats.open;
  }

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  // Answers written or waiting for their client, in bytes: a client that does not read holds
  // them until the write deadline, so they are bounded in all and per address.
  bool hold_answer(const std::string& address, std::size_t bytes) {
    std::lock_guard lock(mutex);
    std::size_t& mine = answer_bytes_by_address[address];
    if (answer_bytes + bytes > limits.max_answer_bytes ||
        mine + bytes > limits.max_answer_bytes_per_address) {
      if (mine == 0) answer_bytes_by_address.erase(address);
      return false;
    }
    mine += bytes;
    answer_bytes += bytes;
    return true;
  }
  void drop_answer(const std::string& address, std::size_t bytes) {
    std::lock_guard lock(mutex);
    auto it = answer_bytes_by_address.find(address);
    if (it != answer_bytes_by_address.end() && (it->second -= bytes) == 0)
      answer_bytes_by_address.erase(it);
    answer_bytes -= bytes;
  }

  Handler handler;
  HttpLimits limits;
  HttpStats stats;
  std::atomic<bool> stopped{false};
  std::mutex mutex;  // guards per_address, sessions and the answer bytes
  std::unordered_map<std::string, std::size_t> per_address;
  std::size_t answer_bytes = 0;
  std::unordered_map<std::string, std::size_t> answer_bytes_by_address;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::vector<std::thread> threads;
  // Declared last, destroyed first: what the context still holds (sessions) may use the
  // members above while it goes.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer retry{ioc};
};

namespace {

// The answer to a connection over a limit, written at once (without reading its request).
const std::string& busy_answer() {
  static const std::string text = [] {
    const HttpResponse r =
        error_response(ApiCode::TooManyConnections,
                       "too many connections are open; close some, or try again shortly");
    return "HTTP/1.1 " + std::to_string(r.status) + " " +
           std::string(
               http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)))) +
           "\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: "
           "close\r\nContent-Length: " +
           std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  }();
  return text;
}

// The answer to a request the parser refused: too large (413, 431) or not HTTP (400).
HttpResponse refusal(const beast::error_code& ec, const HttpLimits& limits) {
  HttpResponse r;
  if (ec == http::error::body_limit)
    r = error_response(ApiCode::TooLarge,
                       "the body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  else if (ec == http::error::header_limit)
    r = error_response(
        ApiCode::HeadersTooLarge,
        "the request's headers exceed " + std::to_string(limits.max_header_bytes) + " bytes");
  else
    r = error_response(ApiCode::BadRequest,
                       "the request is not well-formed HTTP/1.1 (" + ec.message() + ")");
  r.close = true;
  return r;
}

HttpRequest to_request(http::request<http::string_body>&& req) {
  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  split_target(request.target, request.path, request.params);
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace(std::move(name), std::string(field.value()));
  }
  request.body = std::move(req.body());
  return request;
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server, std::string remote)
      : stream_(std::move(socket)), server_(std::move(server)), remote_(std::move(remote)) {}
  ~Session() {
    if (held_ > 0) server_->drop_answer(remote_, held_);
    {
      std::lock_guard lock(server_->mutex);
      server_->sessions.erase(this);
    }
    server_->release(remote_);
  }

  // When this connection started waiting for its next request (steady clock, ns), or 0 while
  // it has one in hand.
  int64_t reading_since() const { return reading_since_.load(); }

  void start() {
    // Small answers at once: without it, an answer written in two parts waits for the
    // client's delayed acknowledgement of the first (40 ms).
    beast::error_code nodelay_ec;
    stream_.socket().set_option(tcp::no_delay(true), nodelay_ec);
    if (server_->limits.socket_send_buffer > 0) {
      beast::error_code ignored;
      stream_.socket().set_option(
          net::socket_base::send_buffer_size(server_->limits.socket_send_buffer), ignored);
    }
    {
      std::lock_guard lock(server_->mutex);
      server_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Closes the connection, on its own strand.
  void close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->limits.max_header_bytes));
    parser_->body_limit(server_->limits.max_body_bytes);
    stream_.expires_after(server_->limits.request_timeout);
    reading_since_ = std::chrono::steady_clock::now().time_since_epoch().count();
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    reading_since_ = 0;
    if (ec == beast::error::timeout) {
      ++server_->stats.timeouts;
      return;  // the stream is closed
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof)
      return;
    if (ec) {
      if (ec.category() != http::make_error_code(http::error::bad_target).category()) return;
      ++server_->stats.malformed;
      version_ = 11;
      return write(refusal(ec, server_->limits));
    }
    auto& req = parser_->get();
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    HttpRequest request = to_request(std::move(req));
    request.remote = remote_;
    // The answer may come from another thread (a receipt's waiter): it is written on this
    // connection's strand; once the server stopped, it is dropped.
    server_->handler(std::move(request), [self = shared_from_this()](HttpResponse r) {
      if (self->server_->stopped) return;
      net::dispatch(self->stream_.get_executor(),
                    [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
    });
  }

  void write(HttpResponse r) {
    if (!server_->hold_answer(remote_, r.body.size())) {
      ++server_->stats.answers_refused;
      r = error_response(ApiCode::Busy,
                         "the node holds as many answers not yet read by their clients as it "
                         "may; read your answers, or try again shortly");
      r.close = true;
    } else {
      held_ = r.body.size();
    }
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_);
    res->set(http::field::content_type, r.content_type);
    // Refusals for load (429, 503) say when to come back.
    if (r.status == 429 || r.status == 503) res->set(http::field::retry_after, "1");
    res->keep_alive(keep_alive_ && !r.close);
    res->body() = std::move(r.body);
    res->prepare_payload();
    response_ = res;
    stream_.expires_after(server_->limits.write_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (held_ > 0) server_->drop_answer(remote_, std::exchange(held_, 0));
    if (ec) {
      if (ec == beast::error::timeout) ++server_->stats.timeouts;
      return;
    }
    const bool again = response_->keep_alive();
    response_.reset();
    if (!again) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return drain();
    }
    read();
  }

  // A lingering close: what the client still sends (the rest of a body refused as too large)
  // is read and dropped for a moment, so that it reads our answer instead of a reset. Bounded
  // in time (one deadline for the whole drain) and in bytes; it ends at the client's close.
  void drain() {
    scratch_.resize(16 * 1024);  // only a closing connection has one
    stream_.expires_after(kDrainTime);
    drain_some();
  }
  void drain_some() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (!ec && n > 0 && self->drained_ < kMaxDrainBytes)
                                self->drain_some();
                            });
  }
  static constexpr std::size_t kMaxDrainBytes = 4 << 20;
  static constexpr std::chrono::seconds kDrainTime{2};
  std::vector<char> scratch_;
  std::size_t drained_ = 0;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::shared_ptr<HttpServer::Impl> server_;
  std::string remote_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  std::size_t held_ = 0;  // answer bytes counted against the server's bound
  std::atomic<int64_t> reading_since_{0};
};

bool HttpServer::Impl::evict_oldest_reader() {
  std::shared_ptr<Session> victim;  // released outside the lock: ~Session takes it
  {
    std::lock_guard lock(mutex);
    // A session in the map has not passed its destructor's first line (which needs this
    // lock), so its members are whole.
    Session* oldest = nullptr;
    int64_t since = INT64_MAX;
    for (const auto& [raw, _] : sessions) {
      const int64_t t = raw->reading_since();
      if (t != 0 && t < since) {
        since = t;
        oldest = raw;
      }
    }
    if (oldest != nullptr) victim = sessions[oldest].lock();
  }
  if (!victim) return false;
  victim->close();
  ++stats.evicted;
  return true;
}

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        beast::bind_front_handler(&Impl::on_accept, shared_from_this()));
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopped || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors (EMFILE) or a connection reset before it was taken: try again
    // shortly rather than spin or stop listening.
    retry.expires_after(std::chrono::milliseconds(50));
    retry.async_wait([self = shared_from_this()](beast::error_code) {
      if (!self->stopped) self->accept();
    });
    return;
  }
  ++stats.accepted;
  beast::error_code addr_ec;
  const auto endpoint = socket.remote_endpoint(addr_ec);
  const std::string remote = addr_ec ? std::string("unknown") : endpoint.address().to_string();
  if (!admit(remote)) {
    ++stats.refused;
    // A short answer into an empty send buffer: it cannot block.
    socket.non_blocking(true, addr_ec);
    const std::string& busy = busy_answer();
    socket.write_some(net::buffer(busy.data(), busy.size()), addr_ec);
    socket.shutdown(tcp::socket::shutdown_both, addr_ec);
    socket.close(addr_ec);
  } else {
    std::make_shared<Session>(std::move(socket), shared_from_this(), remote)->start();
  }
  accept();
}

std::optional<HttpResponse> read_request(std::string_view bytes, const HttpLimits& limits,
                                         HttpRequest& out) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  beast::error_code ec;
  while (!bytes.empty() && !parser.is_done()) {
    const std::size_t used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
    if (ec == http::error::need_more) ec = {};
    if (ec || used == 0) break;
    bytes.remove_prefix(used);
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (!ec && !parser.is_done()) ec = http::error::partial_message;
  if (ec) return refusal(ec, limits);
  out = to_request(parser.release());
  return std::nullopt;
}

HttpServer::HttpServer(Handler handler, HttpLimits limits)
    : impl_(std::make_shared<Impl>(std::move(handler), limits)) {}

HttpServer::~HttpServer() {
  stop();
}

const HttpStats& HttpServer::stats() const {
  return impl_->stats;
}

Result<int, std::string> HttpServer::start(const std::string& host, int port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return fail("cannot listen on `" + host + "`: not an IP address");
  auto& acceptor = impl_->acceptor;
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return fail("cannot listen on " + host + ":" + std::to_string(port) + " (" + ec.message() +
                "; in use? choose another with --port)");
  }
  port_ = acceptor.local_endpoint().port();
  impl_->accept();
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->limits.threads); ++i)
    impl_->threads.emplace_back([impl = impl_.get()] { impl->ioc.run(); });
  return port_;
}

void HttpServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  // A raw pointer: a handler that never runs (the server never started) must not keep the
  // server alive from inside its own context.
  net::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry.cancel();
  });
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(impl_->mutex);
    for (auto& [_, weak] : impl_->sessions)
      if (auto s = weak.lock()) open.push_back(std::move(s));
  }
  for (auto& s : open)
    s->close();
  open.clear();
  // The threads end when no work is left: every connection closed, the acceptor too.
  for (auto& t : impl_->threads)
    t.join();
  impl_->threads.clear();
}

}  // namespace assent::node
