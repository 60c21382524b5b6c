#include "node/api/http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "node/api/http_server_impl.hpp"

namespace assent::node {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

bool HttpServer::Impl::admit(const std::string& address) {
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

void HttpServer::Impl::release(const std::string& address) {
  std::lock_guard lock(mutex);
  auto it = per_address.find(address);
  if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  --stats.open;
}

bool HttpServer::Impl::hold_answer(const std::string& address, std::size_t bytes) {
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

void HttpServer::Impl::drop_answer(const std::string& address, std::size_t bytes) {
  std::lock_guard lock(mutex);
  auto it = answer_bytes_by_address.find(address);
  if (it != answer_bytes_by_address.end() && (it->second -= bytes) == 0)
    answer_bytes_by_address.erase(it);
  answer_bytes -= bytes;
}

namespace http_detail {

std::string raw_answer(const HttpResponse& r) {
  return "HTTP/1.1 " + std::to_string(r.status) + " " +
         std::string(http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)))) +
         "\r\nContent-Type: application/json\r\n" +
         (r.status == 429 || r.status == 503 ? "Retry-After: 1\r\n" : "") +
         "Connection: close\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" +
         r.body;
}

const std::string& busy_answer() {
  static const std::string text =
      raw_answer(error_response(ApiCode::TooManyConnections,
                                "too many connections are open; close some, or try again shortly"));
  return text;
}

}  // namespace http_detail

bool HttpServer::Impl::evict_oldest_reader() {
  std::shared_ptr<SessionBase> victim;  // released outside the lock: its destructor takes it
  {
    std::lock_guard lock(mutex);
    // A session in the map has not passed its destructor's first line (which needs this
    // lock), so its members are whole.
    SessionBase* oldest = nullptr;
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
    const std::string& busy = http_detail::busy_answer();
    socket.write_some(net::buffer(busy.data(), busy.size()), addr_ec);
    socket.shutdown(tcp::socket::shutdown_both, addr_ec);
    socket.close(addr_ec);
  } else {
    http_detail::start_session(std::move(socket), shared_from_this(), remote);
  }
  accept();
}

HttpServer::HttpServer(Handler handler, HttpLimits limits, ServerTls tls)
    : impl_(std::make_shared<Impl>(std::move(handler), limits)), tls_(std::move(tls)) {}

HttpServer::~HttpServer() {
  stop();
}

const HttpStats& HttpServer::stats() const {
  return impl_->stats;
}

Result<int, std::string> HttpServer::start(const std::string& host, int port) {
  if (tls_.enabled()) {
    auto pems = load_server_tls(tls_);
    if (!pems.ok()) return fail(pems.error().message());
    auto context = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    if (auto set = configure_server_context(context->native_handle(), *pems, tls_); !set.ok())
      return fail(set.error().message());
    impl_->tls = std::move(context);
  }
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
  std::vector<std::shared_ptr<http_detail::SessionBase>> open;
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
