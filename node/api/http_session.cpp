// One connection of the API's server, plain HTTP or TLS (http_server_impl.hpp), and the
// parser it reads requests with (read_request, for the fuzz target, is the same code).
//
// A TLS connection's handshake falls under the request deadline: from the connect, the
// handshake and the whole first request must arrive within `request_timeout`, so a client
// that opens TCP and never handshakes is closed then, and is evictable as a reader all along.
// A client that speaks plain HTTP to a TLS port is told so, in plain HTTP, and closed.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <type_traits>

#include "node/api/http_server_impl.hpp"

namespace assent::node {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

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

int64_t now_ns() {
  return std::chrono::steady_clock::now().time_since_epoch().count();
}

template <bool kTls>
class Session : public http_detail::SessionBase,
                public std::enable_shared_from_this<Session<kTls>> {
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
  using std::enable_shared_from_this<Session<kTls>>::shared_from_this;
  using std::enable_shared_from_this<Session<kTls>>::weak_from_this;

 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server, std::string remote)
      : stream_(make_stream(std::move(socket), *server)),
        server_(std::move(server)),
        remote_(std::move(remote)) {}
  ~Session() override {
    if (held_ > 0) server_->drop_answer(remote_, held_);
    {
      std::lock_guard lock(server_->mutex);
      server_->sessions.erase(this);
    }
    server_->release(remote_);
  }

  int64_t reading_since() const override { return reading_since_.load(); }

  void start() {
    // Small answers at once: without it, an answer written in two parts waits for the
    // client's delayed acknowledgement of the first (40 ms).
    beast::error_code nodelay_ec;
    tcp_layer().socket().set_option(tcp::no_delay(true), nodelay_ec);
    if (server_->limits.socket_send_buffer > 0) {
      beast::error_code ignored;
      tcp_layer().socket().set_option(
          net::socket_base::send_buffer_size(server_->limits.socket_send_buffer), ignored);
    }
    {
      std::lock_guard lock(server_->mutex);
      server_->sessions.emplace(this, weak_from_this());
    }
    // One deadline from the connect: the handshake (TLS) and the whole first request.
    reading_since_ = now_ns();
    tcp_layer().expires_after(server_->limits.request_timeout);
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls)
        self->detect();
      else
        self->read(false);
    });
  }

  void close() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->tcp_layer().close();
    });
  }

 private:
  static Stream make_stream(tcp::socket socket, HttpServer::Impl& server) {
    if constexpr (kTls)
      return Stream(std::move(socket), *server.tls);
    else
      return Stream(std::move(socket));
  }
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  // TLS: is the client's first record a TLS handshake? Then the handshake, on the bytes read.
  void detect() {
    beast::async_detect_ssl(tcp_layer(), buffer_,
                            [self = shared_from_this()](beast::error_code ec, bool is_tls) {
                              if (ec) {
                                if (ec == beast::error::timeout) ++self->server_->stats.timeouts;
                                return;
                              }
                              if (!is_tls) return self->refuse_plain_http();
                              self->handshake();
                            });
  }

  void handshake() {
    if constexpr (kTls)
      stream_.async_handshake(net::ssl::stream_base::server, buffer_.data(),
                              [self = shared_from_this()](beast::error_code ec, std::size_t used) {
                                if (ec) {
                                  if (ec == beast::error::timeout)
                                    ++self->server_->stats.timeouts;
                                  else
                                    ++self->server_->stats.tls_failed;
                                  return;
                                }
                                self->buffer_.consume(used);
                                self->read(false);
                              });
  }

  // Plain HTTP on a TLS port: said in plain HTTP (a client reading it learns why), then closed.
  void refuse_plain_http() {
    ++server_->stats.tls_failed;
    HttpResponse r = error_response(
        ApiCode::BadRequest, "this port serves HTTPS only: use an https:// URL (docs/api.md)");
    scratch_text_ = http_detail::raw_answer(r);
    tcp_layer().expires_after(server_->limits.write_timeout);
    net::async_write(tcp_layer(), net::buffer(scratch_text_),
                     [self = shared_from_this()](beast::error_code, std::size_t) {
                       beast::error_code ignored;
                       self->tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
                       self->tcp_layer().close();
                     });
  }

  // `fresh`: a new request's deadline starts now (after an answer); else the one running
  // since the connect goes on.
  void read(bool fresh) {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->limits.max_header_bytes));
    parser_->body_limit(server_->limits.max_body_bytes);
    if (fresh) {
      tcp_layer().expires_after(server_->limits.request_timeout);
      reading_since_ = now_ns();
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    reading_since_ = 0;
    if (ec == beast::error::timeout) {
      ++server_->stats.timeouts;
      return;  // the stream is closed
    }
    // The client went away (TLS: without its close_notify, `stream_truncated`).
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof ||
        ec == net::ssl::error::stream_truncated)
      return;
    if (ec) {
      if (ec.category() != http::make_error_code(http::error::bad_target).category()) return;
      ++server_->stats.malformed;
      version_ = 11;
      unread_ = true;
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
    tcp_layer().expires_after(server_->limits.write_timeout);
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
    if (!again) return linger();
    read(true);
  }

  // A lingering close: what the client still sends (the rest of a body refused as too large)
  // is read and dropped for a moment, so that it reads our answer instead of a reset. Bounded
  // in time (one deadline for the whole close) and in bytes; it ends at the client's close.
  // TLS: the close_notify goes once nothing more is to come from the client (OpenSSL fails a
  // shutdown on data that arrives after it): at once after a request read whole, after the
  // client's own close_notify when the rest of a refused request is drained first.
  void linger() {
    tcp_layer().expires_after(kDrainTime);
    if constexpr (kTls) {
      if (!unread_) return shutdown_tls();
    } else {
      beast::error_code ignored;
      tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    scratch_.resize(16 * 1024);  // only a closing connection has one
    drain_some();
  }
  void drain_some() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (!ec && n > 0 && self->drained_ < kMaxDrainBytes)
                                return self->drain_some();
                              if constexpr (kTls)
                                if (ec == net::error::eof) return self->shutdown_tls();
                            });
  }
  void shutdown_tls() {
    if constexpr (kTls)
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->tcp_layer().close();
      });
  }
  static constexpr std::size_t kMaxDrainBytes = 4 << 20;
  static constexpr std::chrono::seconds kDrainTime{2};
  std::vector<char> scratch_;
  std::string scratch_text_;
  std::size_t drained_ = 0;

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::shared_ptr<HttpServer::Impl> server_;
  std::string remote_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool unread_ = false;   // the request was refused before it was read whole
  std::size_t held_ = 0;  // answer bytes counted against the server's bound
  std::atomic<int64_t> reading_since_{0};
};

}  // namespace

namespace http_detail {

void start_session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server,
                   std::string remote) {
  if (server->tls)
    std::make_shared<Session<true>>(std::move(socket), std::move(server), std::move(remote))
        ->start();
  else
    std::make_shared<Session<false>>(std::move(socket), std::move(server), std::move(remote))
        ->start();
}

}  // namespace http_detail

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

}  // namespace assent::node
