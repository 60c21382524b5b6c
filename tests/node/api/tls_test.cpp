// The API over HTTPS (issue "Access control", point 6), on a real node on loopback with keys
// and certificates OpenSSL makes for the test: what works, each refusal with its reason, and
// the HTTP layer's guarantees (deadlines, eviction, bounded answers) kept under TLS.
#include <openssl/ssl.h>

#include <httplib.h>

#include <thread>

#include "node/tls/http_client.hpp"
#include "tests/node/node_fixture.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/tls_files.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

// A node serving HTTPS with `server`'s files (and `client_ca`, when given, for client
// certificates), with the API's limits of the test's choosing.
struct TlsNode : TestNode {
  int port = 0;
  TlsNode(const std::string& name, const node::ServerTls& server,
          const std::function<void(node::ApiConfig&)>& limits = {})
      : TestNode(name, 20, [&](node::ApiConfig& c) {
          c.tls = server;
          if (limits) limits(c);
        }) {
    port = std::stoi(url.substr(url.rfind(':') + 1));
  }
};

std::string error_of(const Result<Json, node::ApiError>& r) {
  return r.ok() ? std::string("(answered)") : r.error().describe();
}

// A TLS client of its own (OpenSSL, trusting `ca`) on 127.0.0.1:port that completes the
// handshake and then sends nothing: whether the server closed it within `timeout`.
bool handshake_then_idle_closed(int port, const std::string& ca, std::chrono::seconds timeout) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  RawConnection raw(port);
  REQUIRE(raw.ok());
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(raw.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, raw.fd());
  const bool handshake = SSL_connect(ssl) == 1;
  CHECK(handshake);
  bool closed = false;
  if (handshake) {
    // Session tickets arrive first (TLS 1.3); then the server's close, or the timeout.
    char byte;
    const int n = SSL_read(ssl, &byte, 1);
    const int why = SSL_get_error(ssl, n);
    closed = n <= 0 && why != SSL_ERROR_WANT_READ && !(why == SSL_ERROR_SYSCALL && errno == EAGAIN);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return closed;
}

}  // namespace

TEST_CASE("tls: requests over HTTPS work, kept alive, with the node's CA") {
  TlsFiles files("works");
  TlsNode t("tls-works", files.server);
  CHECK(t.url.starts_with("https://127.0.0.1:"));
  CHECK(t.node->transport().starts_with("HTTPS"));
  node::ApiClient api(t.url, files.trust());
  for (int i = 0; i < 5; ++i) {
    auto s = api.get("/v1/status");
    REQUIRE_MESSAGE(s.ok(), error_of(s));
  }
  // A signed transaction and its receipt, over the same connection (its requests signed too).
  api.sign_with(t.client);
  node::Wallet registrar(api, new_key());
  deploy_consent(registrar);
  CHECK(t.node->http_stats().accepted == 1);
  CHECK(t.node->http_stats().tls_failed == 0);
}

TEST_CASE("tls: a client that does not trust the node's certificate is refused, with the reason") {
  TlsFiles files("wrong-ca");
  TlsNode t("tls-wrong-ca", files.server);
  // Another CA, and the system's store (which knows nothing of a local CA).
  for (const node::ClientTls& tls : {node::ClientTls{files.other_ca, {}, {}}, node::ClientTls{}}) {
    node::ApiClient api(t.url, tls);
    auto s = api.get("/v1/status");
    REQUIRE_FALSE(s.ok());
    INFO(s.error().describe());
    CHECK(s.error().code == "unreachable");
    CHECK(s.error().message.find("certificate does not verify") != std::string::npos);
    CHECK(s.error().message.find("unable to get local issuer certificate") != std::string::npos);
    CHECK(s.error().message.find("--ca FILE") != std::string::npos);
  }
  // A certificate for another name than the URL's host: verification checks the name too.
  TlsNode named("tls-wrong-name", files.localhost_only);
  node::ApiClient by_ip(named.url, files.trust());
  auto s = by_ip.get("/v1/status");
  REQUIRE_FALSE(s.ok());
  CHECK_MESSAGE(s.error().message.find("not for the host") != std::string::npos,
                s.error().describe());
  node::ApiClient by_name("https://localhost:" + std::to_string(named.port), files.trust());
  auto ok = by_name.get("/v1/status");
  CHECK_MESSAGE(ok.ok(), error_of(ok));
}

TEST_CASE(
    "tls: when client certificates are required, a client without one, or with a stranger's, "
    "is refused") {
  TlsFiles files("client-certs");
  node::ServerTls server = files.server;
  server.client_ca_file = files.ca;
  TlsNode t("tls-client-certs", server);
  CHECK(t.node->transport().find("client certificates required") != std::string::npos);

  node::ApiClient anonymous(t.url, files.trust());
  auto none = anonymous.get("/v1/status");
  REQUIRE_FALSE(none.ok());
  CHECK_MESSAGE(none.error().message.find("requires a client certificate") != std::string::npos,
                none.error().describe());

  node::ApiClient stranger(t.url, files.stranger);
  auto refused = stranger.get("/v1/status");
  REQUIRE_FALSE(refused.ok());
  CHECK_MESSAGE(
      refused.error().message.find("refused this client's certificate") != std::string::npos,
      refused.error().describe());

  node::ApiClient member(t.url, files.client);
  auto s = member.get("/v1/status");
  CHECK_MESSAGE(s.ok(), error_of(s));
  CHECK(t.node->http_stats().tls_failed >= 2);
}

TEST_CASE("tls: plain HTTP to the TLS port is answered, in plain HTTP, that it serves HTTPS") {
  TlsFiles files("plain");
  TlsNode t("tls-plain", files.server);
  RawConnection raw(t.port);
  REQUIRE(raw.ok());
  REQUIRE(raw.send("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  bool closed = false;
  const std::string answer = raw.read_all(std::chrono::seconds(5), closed);
  CHECK(closed);
  CHECK(status_of(answer) == 400);
  CHECK(body_of(answer).find("serves HTTPS only") != std::string::npos);
  // The CLI's client says what the node said.
  node::ApiClient plain("http://127.0.0.1:" + std::to_string(t.port));
  auto s = plain.get("/v1/status");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "bad_request");
  CHECK(s.error().message.find("https://") != std::string::npos);
  // Nothing else changed: the node serves HTTPS as before.
  node::ApiClient api(t.url, files.trust());
  CHECK(api.get("/v1/status").ok());
}

TEST_CASE("tls: a client whose TLS port speaks plain HTTP is told so") {
  TlsFiles files("plain-server");
  TestNode plain("tls-plain-server");  // plain HTTP, on loopback
  const std::string port = plain.url.substr(plain.url.rfind(':') + 1);
  node::ApiClient api("https://127.0.0.1:" + port, files.trust());
  auto s = api.get("/v1/status");
  REQUIRE_FALSE(s.ok());
  CHECK_MESSAGE(s.error().message.find("does not speak TLS") != std::string::npos,
                s.error().describe());
}

TEST_CASE(
    "tls: a connection that never completes its handshake is closed at the request deadline") {
  TlsFiles files("deadline");
  TlsNode t("tls-deadline", files.server,
            [](node::ApiConfig& c) { c.http.request_timeout = std::chrono::milliseconds(500); });
  node::ApiClient api(t.url, files.trust());
  // One that sends nothing, one that starts a ClientHello and stops, one that completes the
  // handshake and sends no request: the deadline counts from the connect for all three.
  RawConnection silent(t.port), started(t.port);
  REQUIRE(silent.ok());
  REQUIRE(started.ok());
  REQUIRE(started.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread prober([&] {
    // Meanwhile /v1/status keeps answering, over TLS, on a connection of its own.
    while (!done) {
      auto s = api.get("/v1/status");
      ++(s.ok() ? answered : failed);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  CHECK(handshake_then_idle_closed(t.port, files.ca, std::chrono::seconds(5)));
  for (RawConnection* c : {&silent, &started}) {
    bool closed = false;
    c->read_all(std::chrono::seconds(5), closed);
    CHECK(closed);
  }
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  done = true;
  prober.join();
  CHECK(waited >= 0.4);
  CHECK(waited < 3.0);
  CHECK(t.node->http_stats().timeouts >= 3);
  CHECK(answered > 5);
  CHECK(failed == 0);
}

TEST_CASE("tls: connections that never handshake are evicted to make room") {
  TlsFiles files("evict");
  TlsNode t("tls-evict", files.server, [](node::ApiConfig& c) { c.http.max_connections = 8; });
  std::vector<RawConnection> idle;
  for (int i = 0; i < 8; ++i) {
    idle.emplace_back(t.port, "127.0.0.1" + std::to_string(i % 4));
    REQUIRE(idle.back().ok());
  }
  // Every place taken by a connection that never said a word: a real client still gets one.
  auto wait_open = [&](uint64_t n) {
    for (int i = 0; i < 500 && t.node->http_stats().open < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return t.node->http_stats().open >= n;
  };
  REQUIRE(wait_open(8));
  node::ApiClient api(t.url, files.trust());
  auto s = api.get("/v1/status");
  CHECK_MESSAGE(s.ok(), error_of(s));
  CHECK(t.node->http_stats().evicted >= 1);
}

TEST_CASE("tls: a body over the limit is refused with 413 over TLS, and the client reads it") {
  TlsFiles files("too-large");
  TlsNode t("tls-too-large", files.server,
            [](node::ApiConfig& c) { c.http.max_body_bytes = 64 * 1024; });
  auto http = node::make_http_client(t.url, files.trust());
  const std::string body(1 << 20, 'x');
  auto r = http->Post("/v1/view", body, "application/json");
  REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
  CHECK(r->status == 413);
  CHECK(r->body.find("too_large") != std::string::npos);
}

TEST_CASE("tls: answers held for clients that do not read stay bounded over TLS") {
  TlsFiles files("answers");
  TlsNode t("tls-answers", files.server, [](node::ApiConfig& c) {
    c.http.max_answer_bytes_per_address = 1;  // any answer with a body is over it
  });
  auto http = node::make_http_client(t.url, files.trust());
  auto r = http->Get("/v1/status");
  REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
  CHECK(r->status == 503);
  CHECK(r->body.find("busy") != std::string::npos);
  CHECK(t.node->http_stats().answers_refused >= 1);
}

TEST_CASE("tls: plain HTTP is served on loopback only, unless the node is told otherwise") {
  fs::path dir = fs::temp_directory_path() / ("assent-tls-listen-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig config;
  config.data_dir = dir.string();
  config.api.port = 0;
  config.sync = false;
  config.api.host = "0.0.0.0";
  {
    auto n = node::Node::open(config);
    REQUIRE(n.ok());
    std::string error;
    CHECK_FALSE((*n)->start(error));
    CHECK(error.find("refusing to serve plain HTTP on 0.0.0.0") != std::string::npos);
    CHECK(error.find("--tls-cert FILE --tls-key FILE") != std::string::npos);
    CHECK(error.find("--insecure-http") != std::string::npos);
  }
  config.api.host = "127.0.0.1";
  {
    auto n = node::Node::open(config);
    REQUIRE(n.ok());
    std::string error;
    REQUIRE_MESSAGE((*n)->start(error), error);
    CHECK((*n)->transport() == "plain HTTP, on loopback only");
    CHECK((*n)->url().starts_with("http://127.0.0.1:"));
  }
  fs::remove_all(dir);
}

TEST_CASE("tls: a node whose certificate or key does not do says which file, what and how to fix") {
  TlsFiles files("bad-files");
  fs::path dir = fs::temp_directory_path() / ("assent-tls-bad-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::NodeConfig config;
  config.data_dir = dir.string();
  config.api.port = 0;
  auto open_error = [&](const node::ServerTls& tls) {
    config.api.tls = tls;
    auto n = node::Node::open(config);
    return n.ok() ? std::string() : n.error();
  };
  // The key of another certificate.
  std::string e = open_error({files.server.cert_file, files.client.key_file, {}});
  CHECK(e.find("tls key_mismatch: `" + files.client.key_file + "`") != std::string::npos);
  CHECK(e.find(files.server.cert_file) != std::string::npos);
  // A file that is not there, and the certificate and key given the wrong way round.
  e = open_error({(files.dir / "missing.pem").string(), files.server.key_file, {}});
  CHECK(e.find("tls unreadable: `" + (files.dir / "missing.pem").string()) != std::string::npos);
  CHECK(e.find("No such file or directory") != std::string::npos);
  e = open_error({files.server.key_file, files.server.cert_file, {}});
  CHECK(e.find("tls no_certificate") != std::string::npos);
  CHECK(e.find("is this the key?") != std::string::npos);
  e = open_error({files.server.cert_file, {}, {}});
  CHECK(e.find("tls half_pair") != std::string::npos);
  e = open_error({files.server.cert_file, files.server.key_file, files.server.key_file});
  CHECK(e.find("tls no_certificate: `" + files.server.key_file) != std::string::npos);
  fs::remove_all(dir);
}
