#include "node/tls/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace assent::node {

namespace {

constexpr TlsErrorInfo kTlsErrors[] = {
#define ASSENT_TLS_ERROR_ROW(code, name, what, fix) {name, what, fix},
    ASSENT_TLS_ERRORS(ASSENT_TLS_ERROR_ROW)
#undef ASSENT_TLS_ERROR_ROW
};

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

Bio bio_of(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// A key encrypted with a passphrase is refused rather than asked for: a node starts without a
// terminal, and OpenSSL's default would prompt on it.
int no_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return 0;
}

TlsFailure failure(TlsError code, const std::string& file, std::string detail = {}) {
  return {code, file, std::move(detail)};
}

// The first certificate of `pem`, checked to be valid now.
Result<Cert, TlsFailure> first_certificate(const std::string& pem, const std::string& file) {
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return fail(failure(TlsError::NoCertificate, file));
  Bio bio = bio_of(pem);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return fail(failure(TlsError::BadCertificate, file, take_openssl_errors()));
  auto date = [](const ASN1_TIME* t) {
    Bio out(BIO_new(BIO_s_mem()));
    ASN1_TIME_print(out.get(), t);
    char* text = nullptr;
    const long n = BIO_get_mem_data(out.get(), &text);
    return std::string(text, static_cast<std::size_t>(n));
  };
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0)
    return fail(failure(TlsError::Expired, file, "on " + date(X509_get0_notAfter(cert.get()))));
  if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0)
    return fail(
        failure(TlsError::NotYetValid, file, "before " + date(X509_get0_notBefore(cert.get()))));
  return cert;
}

Result<Key, TlsFailure> private_key(const std::string& pem, const std::string& file) {
  if (pem.find("PRIVATE KEY-----") == std::string::npos)
    return fail(failure(TlsError::NoKey, file));
  bool asked = false;
  Bio bio = bio_of(pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, &asked));
  if (asked || pem.find("ENCRYPTED") != std::string::npos) {
    take_openssl_errors();
    return fail(failure(TlsError::EncryptedKey, file));
  }
  if (!key) return fail(failure(TlsError::NoKey, file, take_openssl_errors()));
  return key;
}

// A certificate and its key, both read and matching.
Result<std::pair<std::string, std::string>, TlsFailure> read_pair(const std::string& cert_file,
                                                                  const std::string& key_file) {
  if (cert_file.empty() != key_file.empty())
    return fail(failure(TlsError::HalfPair, cert_file.empty() ? key_file : cert_file));
  auto cert_pem = read_tls_file(cert_file);
  if (!cert_pem.ok()) return fail(cert_pem.error());
  auto key_pem = read_tls_file(key_file);
  if (!key_pem.ok()) return fail(key_pem.error());
  auto cert = first_certificate(*cert_pem, cert_file);
  if (!cert.ok()) return fail(cert.error());
  auto key = private_key(*key_pem, key_file);
  if (!key.ok()) return fail(key.error());
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    take_openssl_errors();
    return fail(failure(TlsError::KeyMismatch, key_file, "in `" + cert_file + "`"));
  }
  return std::pair{std::move(cert_pem).value(), std::move(key_pem).value()};
}

Result<std::string, TlsFailure> read_ca(const std::string& file) {
  auto pem = read_tls_file(file);
  if (!pem.ok()) return pem;
  // A CA past its date still parses; the verification names it then (certificate expired).
  if (pem->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return fail(failure(TlsError::NoCertificate, file));
  Bio bio = bio_of(*pem);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return fail(failure(TlsError::BadCertificate, file, take_openssl_errors()));
  return pem;
}

}  // namespace

const TlsErrorInfo& tls_error_info(TlsError code) {
  return kTlsErrors[static_cast<std::size_t>(code)];
}

std::string TlsFailure::message() const {
  const TlsErrorInfo& info = tls_error_info(code);
  return std::string("tls ") + info.name + ": `" + file + "` " + info.what +
         (detail.empty() ? "" : " (" + detail + ")") + ": " + info.fix;
}

std::string take_openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    // "error:0A000086:SSL routines::certificate verify failed": the reason is the last part.
    std::string reason = text;
    if (const auto at = reason.rfind(':'); at != std::string::npos) reason = reason.substr(at + 1);
    out += (out.empty() ? "" : "; ") + reason;
  }
  return out;
}

Result<std::string, TlsFailure> read_tls_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(failure(TlsError::Unreadable, path, std::strerror(errno)));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail(failure(TlsError::Unreadable, path, std::strerror(errno)));
  return ss.str();
}

Result<ServerPems, TlsFailure> load_server_tls(const ServerTls& tls) {
  auto pair = read_pair(tls.cert_file, tls.key_file);
  if (!pair.ok()) return fail(pair.error());
  ServerPems pems{std::move(pair->first), std::move(pair->second), {}};
  if (tls.verifies_clients()) {
    auto ca = read_ca(tls.client_ca_file);
    if (!ca.ok()) return fail(ca.error());
    pems.client_ca = std::move(ca).value();
  }
  return pems;
}

Result<std::monostate, TlsFailure> check_client_tls(const ClientTls& tls) {
  if (!tls.ca_file.empty())
    if (auto ca = read_ca(tls.ca_file); !ca.ok()) return fail(ca.error());
  if (!tls.cert_file.empty() || !tls.key_file.empty())
    if (auto pair = read_pair(tls.cert_file, tls.key_file); !pair.ok()) return fail(pair.error());
  return std::monostate{};
}

Result<std::monostate, TlsFailure> configure_server_context(void* raw, const ServerPems& pems,
                                                            const ServerTls& tls) {
  SSL_CTX* ctx = static_cast<SSL_CTX*>(raw);
  auto refused = [](const std::string& file) {
    return failure(TlsError::OpenSsl, file, take_openssl_errors());
  };
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Renegotiation is a client's way to make the server redo the handshake's costly part
  // without a new connection; TLS 1.3 has none, and TLS 1.2 clients do not need it here.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  Bio chain = bio_of(pems.cert_chain);
  Cert leaf(PEM_read_bio_X509_AUX(chain.get(), nullptr, nullptr, nullptr));
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) return fail(refused(tls.cert_file));
  // The rest of the file is the chain up to (not including) the CA the clients trust.
  SSL_CTX_clear_chain_certs(ctx);
  while (X509* next = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr))
    if (SSL_CTX_add0_chain_cert(ctx, next) != 1) {
      X509_free(next);
      return fail(refused(tls.cert_file));
    }
  ERR_clear_error();  // the end of the file reads as an error
  Bio key_bio = bio_of(pems.key);
  bool asked = false;
  Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, &asked));
  if (!key || SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
    return fail(refused(tls.key_file));
  if (!pems.client_ca.empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    Bio ca_bio = bio_of(pems.client_ca);
    while (X509* ca = PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(store, ca);
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
    ERR_clear_error();
    // The CAs it accepts are named in the handshake, so that a client with several
    // certificates presents the right one.
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return std::monostate{};
}

}  // namespace assent::node
