#include "node/tls/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace assent::node {

std::unique_ptr<httplib::Client> make_http_client(const std::string& url, const ClientTls& tls) {
  auto client = std::make_unique<httplib::Client>(url, tls.cert_file, tls.key_file);
  // The server's certificate and its name (or IP address) are checked (httplib's default, said
  // here so that it stays so); an empty CA file means the system's store.
  client->enable_server_certificate_verification(true);
  if (!tls.ca_file.empty()) client->set_ca_cert_path(tls.ca_file);
  if (SSL_CTX* ctx = client->ssl_context()) SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  return client;
}

namespace {

bool has(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

std::string trusted(const ClientTls& tls) {
  return tls.ca_file.empty() ? std::string("the system's CAs") : "the CA in `" + tls.ca_file + "`";
}

// What the handshake's alerts and OpenSSL's reasons mean to someone running the client.
std::string handshake_failure(const std::string& reasons, const ClientTls& tls) {
  const std::string why = reasons.empty() ? "" : " (" + reasons + ")";
  if (has(reasons, "wrong version number") || has(reasons, "packet length too long") ||
      has(reasons, "record layer failure"))
    return "the TLS handshake failed" + why +
           ": the server does not speak TLS there; is it plain HTTP (http://)?";
  if (has(reasons, "certificate required") ||
      (tls.cert_file.empty() && has(reasons, "alert handshake failure")))
    return "the node requires a client certificate" + why +
           ": give one its CA signed, with --client-cert FILE --client-key FILE";
  if (has(reasons, "unknown ca") || has(reasons, "bad certificate") ||
      has(reasons, "certificate unknown") || has(reasons, "certificate expired") ||
      has(reasons, "unsupported certificate"))
    return "the node refused this client's certificate" + why +
           ": it must be valid and signed by the CA the node trusts (its --tls-client-ca)";
  return "the TLS handshake failed" + why;
}

}  // namespace

std::string describe_http_failure(const httplib::Client& client, httplib::Error error,
                                  const std::string& url, const ClientTls& tls) {
  const std::string reasons = take_openssl_errors();
  switch (error) {
    case httplib::Error::SSLServerVerification: {
      const long result = client.get_openssl_verify_result();
      if (result != X509_V_OK)
        return std::string("the server's certificate does not verify (") +
               X509_verify_cert_error_string(result) + ", against " + trusted(tls) +
               "): give the CA that signed the node's certificate with --ca FILE";
      return "the server's certificate is not for the host in " + url +
             " (hostname verification): use a name or address its certificate holds";
    }
    case httplib::Error::SSLLoadingCerts:
      return "cannot load " + trusted(tls) + (reasons.empty() ? "" : " (" + reasons + ")");
    case httplib::Error::SSLConnection:
      return handshake_failure(reasons, tls);
    case httplib::Error::Read:
    case httplib::Error::Write:
      // TLS 1.3 completes the client's side of the handshake before the server checks the
      // client's certificate: its refusal arrives as an alert on the first read.
      if (!reasons.empty()) return handshake_failure(reasons, tls);
      break;
    default:
      break;
  }
  return httplib::to_string(error);
}

}  // namespace assent::node
