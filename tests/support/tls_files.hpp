// TLS files for tests, made with OpenSSL in a temporary directory: a CA, a server certificate
// for the loopback names, a client certificate it signed, and a stranger's CA and client
// certificate (signed by another CA), to be refused.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "node/tls/certificates.hpp"

namespace assent::testing {

struct TlsFiles {
  std::filesystem::path dir;
  std::string ca, other_ca;          // CA certificates (PEM files)
  node::ServerTls server;            // for 127.0.0.1, ::1 and localhost, by `ca`
  node::ClientTls client, stranger;  // `ca`'s client, and one signed by `other_ca`
  node::ServerTls localhost_only;    // a server certificate for `localhost` alone

  explicit TlsFiles(const std::string& name)
      : dir(std::filesystem::temp_directory_path() /
            ("assent-certs-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto made = node::ensure_local_tls(dir.string(), {"server", "client"});
    REQUIRE_MESSAGE(made.ok(), (made.ok() ? "" : made.error().message()));
    ca = made->ca_file;
    server = made->server("server");
    client = made->client("client");
    auto other = node::ensure_local_tls((dir / "other").string(), {"stranger"});
    REQUIRE_MESSAGE(other.ok(), (other.ok() ? "" : other.error().message()));
    other_ca = other->ca_file;
    stranger = other->client("stranger");
    stranger.ca_file = ca;  // it trusts the server; the server does not trust it
    auto ca_pair = node::CertifiedKey{std::move(node::read_tls_file(ca)).value(),
                                      std::move(node::read_tls_file(dir / "ca-key.pem")).value()};
    auto only = node::issue_certificate(ca_pair, "localhost-only", {"localhost"});
    REQUIRE(only.ok());
    localhost_only = {(dir / "localhost.pem").string(), (dir / "localhost-key.pem").string(), {}};
    REQUIRE(
        node::write_certified_key(*only, localhost_only.cert_file, localhost_only.key_file).ok());
  }
  ~TlsFiles() { std::filesystem::remove_all(dir); }
  node::ClientTls trust() const { return {ca, {}, {}}; }
};

}  // namespace assent::testing
