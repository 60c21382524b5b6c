// TLS for the node's API, its clients and a cluster's links (docs/security.md, "TLS"): which
// certificate and key a server presents, whom a client trusts, and what is wrong with the
// files when they cannot be used. Only PEM files; OpenSSL 3 reads them. Nothing here keeps a
// connection: the server (node/api/http_server) and the clients (http_client.hpp) do.
#pragma once

#include <string>
#include <variant>

#include "vm/result.hpp"

namespace assent::node {

// What a server presents and whom it asks for a certificate. Both files or neither: without
// them the server speaks plain HTTP (only on loopback, unless told otherwise: ApiConfig).
struct ServerTls {
  std::string cert_file;       // PEM: the server's certificate, then its chain (if any)
  std::string key_file;        // PEM: its private key, unencrypted
  std::string client_ca_file;  // PEM: when given, clients must present a certificate it signed
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
  bool verifies_clients() const { return !client_ca_file.empty(); }
};

// Whom a client trusts and what it presents. The server's certificate is always verified,
// its name (or IP address) too: against `ca_file` when given, else the system's store.
struct ClientTls {
  std::string ca_file;
  std::string cert_file, key_file;  // a client certificate, for servers that ask for one
};

// Why a TLS file cannot be used: the code, its name, what is wrong and how to fix it.
#define ASSENT_TLS_ERRORS(X)                                                                      \
  X(Unreadable, "unreadable", "cannot be read", "check the path, and that this user may read it") \
  X(NoCertificate, "no_certificate", "holds no PEM certificate (-----BEGIN CERTIFICATE-----)",    \
    "give the certificate's file (is this the key?)")                                             \
  X(BadCertificate, "bad_certificate", "holds a certificate OpenSSL cannot use",                  \
    "give a certificate in PEM, as `openssl x509 -in FILE -noout -text` reads it")                \
  X(NoKey, "no_key", "holds no PEM private key (-----BEGIN PRIVATE KEY-----)",                    \
    "give the private key's file (is this the certificate?)")                                     \
  X(EncryptedKey, "encrypted_key", "holds a private key encrypted with a passphrase",             \
    "give it unencrypted, readable by this user only: openssl pkey -in FILE -out KEY; chmod "     \
    "600 KEY")                                                                                    \
  X(KeyMismatch, "key_mismatch", "is not the key of the certificate",                             \
    "give the key the certificate was issued for (the pair the CA signed)")                       \
  X(Expired, "expired", "holds a certificate that has expired", "renew it with your CA")          \
  X(NotYetValid, "not_yet_valid", "holds a certificate not valid yet",                            \
    "check this machine's clock, or the certificate's start date")                                \
  X(HalfPair, "half_pair", "is given without its pair",                                           \
    "give both a certificate and its key (--tls-cert and --tls-key, or --client-cert and "        \
    "--client-key)")                                                                              \
  X(CannotWrite, "cannot_write", "cannot be written", "check the directory and its permissions")  \
  X(OpenSsl, "openssl", "was refused by OpenSSL", "see OpenSSL's reason; report it if it persists")

enum class TlsError {
#define ASSENT_TLS_ERROR_CODE(code, name, what, fix) code,
  ASSENT_TLS_ERRORS(ASSENT_TLS_ERROR_CODE)
#undef ASSENT_TLS_ERROR_CODE
};

struct TlsErrorInfo {
  const char* name;
  const char* what;  // said of the file: "`key.pem` is not the key of the certificate"
  const char* fix;
};
const TlsErrorInfo& tls_error_info(TlsError code);

struct TlsFailure {
  TlsError code;
  std::string file;    // which file
  std::string detail;  // OpenSSL's reason, a date, the other file of the pair; may be empty
  // "tls key_mismatch: `server.key` is not the key of the certificate (in `server.pem`): give
  // the key the certificate was issued for (the pair the CA signed)"
  std::string message() const;
};

// The text of a PEM file, or why it cannot be read.
[[nodiscard]] Result<std::string, TlsFailure> read_tls_file(const std::string& path);

// A server's files, read and checked: the certificate parses and is valid now, the key is
// unencrypted and is the certificate's, the client CA (if any) holds a certificate. The PEM
// texts, for the server's context (configure_server_context).
struct ServerPems {
  std::string cert_chain, key, client_ca;
};
[[nodiscard]] Result<ServerPems, TlsFailure> load_server_tls(const ServerTls& tls);

// A client's files, checked the same way (the CA readable and holding a certificate; the
// client certificate and key a valid pair).
[[nodiscard]] Result<std::monostate, TlsFailure> check_client_tls(const ClientTls& tls);

// Configures an OpenSSL server context (`SSL_CTX*`, passed as void* so that this header
// needs no OpenSSL) with `pems`: TLS 1.2 and later, the certificate chain and key, and, when
// there is a client CA, client certificates required and verified against it.
[[nodiscard]] Result<std::monostate, TlsFailure> configure_server_context(void* ssl_ctx,
                                                                          const ServerPems& pems,
                                                                          const ServerTls& tls);

// OpenSSL's reasons for the last failures on this thread ("certificate verify failed", ...),
// most recent last, and clears them; "" when there are none.
std::string take_openssl_errors();

}  // namespace assent::node
