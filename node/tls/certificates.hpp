// Certificates made with OpenSSL's C API, for a devnet, a local cluster and the tests: a CA,
// and certificates it signs for this machine's loopback names. Keys are ECDSA P-256 (a
// handshake signs in tens of microseconds); certificates are for TLS servers and clients
// alike (a cluster node presents its own to its peers and to etcd). For production, a
// consortium issues its own from its CA: nothing here is needed then.
#pragma once

#include <string>
#include <vector>

#include "node/tls/tls.hpp"

namespace assent::node {

// A certificate and its private key, in PEM.
struct CertifiedKey {
  std::string cert_pem, key_pem;
};

// A self-signed CA named `name`, valid for `days`.
[[nodiscard]] Result<CertifiedKey, TlsFailure> make_ca(const std::string& name, int days = 3650);

// A certificate for `name` signed by `ca`, for each of `hosts` (a DNS name or an IP address,
// its subject alternative names), valid for `days` from a minute ago.
[[nodiscard]] Result<CertifiedKey, TlsFailure> issue_certificate(
    const CertifiedKey& ca, const std::string& name, const std::vector<std::string>& hosts,
    int days = 825);

// Writes the certificate to `cert_file` and the key to `key_file` (mode 0600).
[[nodiscard]] Result<std::monostate, TlsFailure> write_certified_key(const CertifiedKey& pair,
                                                                     const std::string& cert_file,
                                                                     const std::string& key_file);

// The loopback names a local certificate is for: localhost, 127.0.0.1 and ::1.
std::vector<std::string> loopback_hosts();

// A CA in `dir` (ca.pem, ca-key.pem) and, for each of `names`, NAME.pem and NAME-key.pem
// signed by it for `hosts`. What is there and still good (valid for a month more, signed by
// the CA there, its key matching) is kept; the rest is made.
struct LocalTls {
  std::string dir, ca_file;
  ServerTls server(const std::string& name) const;       // NAME.pem, NAME-key.pem
  ClientTls client(const std::string& name) const;       // the CA, and NAME's as a client's
  ClientTls trust() const { return {ca_file, {}, {}}; }  // the CA only
};
[[nodiscard]] Result<LocalTls, TlsFailure> ensure_local_tls(
    const std::string& dir, const std::vector<std::string>& names,
    const std::vector<std::string>& hosts = loopback_hosts());

}  // namespace assent::node
