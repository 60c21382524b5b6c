#include "node/tls/certificates.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace assent::node {

namespace {

struct Free {
  void operator()(BIO* b) const { BIO_free(b); }
  void operator()(X509* x) const { X509_free(x); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(BIGNUM* n) const { BN_free(n); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

TlsFailure openssl_failure(const std::string& what) {
  return {TlsError::OpenSsl, what, take_openssl_errors()};
}

bool is_ip(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string pem_of_cert(X509* cert) {
  Owned<BIO> out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of_key(EVP_PKEY* key) {
  Owned<BIO> out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

Owned<X509> cert_of(const std::string& pem) {
  Owned<BIO> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Owned<X509>(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
}

Owned<EVP_PKEY> key_of(const std::string& pem) {
  Owned<BIO> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return Owned<EVP_PKEY>(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A new certificate for `key`, named `name`, valid for `days`, issued by `issuer` (itself
// when null) and signed with `signer`; its extensions come from `extensions` (nid, value),
// in order (the subject key id before the authority's, which reads it).
Result<Owned<X509>, TlsFailure> build(EVP_PKEY* key, const std::string& name, int days,
                                      X509* issuer, EVP_PKEY* signer,
                                      const std::vector<std::pair<int, std::string>>& extensions) {
  Owned<X509> cert(X509_new());
  Owned<BIGNUM> serial(BN_new());
  bool ok = cert && serial && X509_set_version(cert.get(), 2) == 1 &&
            BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr &&
            X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr) != nullptr &&
            X509_set_pubkey(cert.get(), key) == 1;
  X509_NAME* subject = X509_get_subject_name(cert.get());
  ok = ok &&
       X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>("Assent (local)"), -1, -1,
                                  0) == 1 &&
       X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1,
                                  0) == 1 &&
       X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) == 1;
  for (const auto& [nid, value] : extensions)
    ok = ok && add_extension(cert.get(), issuer ? issuer : cert.get(), nid, value);
  ok = ok && X509_sign(cert.get(), signer, EVP_sha256()) > 0;
  if (!ok) return fail(openssl_failure("the certificate for " + name));
  return cert;
}

Result<std::monostate, TlsFailure> write_file(const std::string& path, const std::string& text,
                                              int mode) {
  // Made with its mode, never widened after: a key is never readable by others, not even for
  // a moment.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) return fail(TlsFailure{TlsError::CannotWrite, path, std::strerror(errno)});
  ::fchmod(fd, static_cast<mode_t>(mode));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return fail(TlsFailure{TlsError::CannotWrite, path, std::strerror(e)});
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return std::monostate{};
}

// Whether `pair` (files) is still good: both read, the key is the certificate's, it is valid
// for 30 days more, it is signed by `ca` (when given) and covers every one of `hosts`.
bool still_good(const std::string& cert_file, const std::string& key_file, X509* ca,
                const std::vector<std::string>& hosts) {
  auto cert_pem = read_tls_file(cert_file);
  auto key_pem = read_tls_file(key_file);
  if (!cert_pem.ok() || !key_pem.ok()) return false;
  auto cert = cert_of(*cert_pem);
  auto key = key_of(*key_pem);
  time_t month_ahead = time(nullptr) + 30 * 86400;
  bool good = cert && key && X509_check_private_key(cert.get(), key.get()) == 1 &&
              X509_cmp_time(X509_get0_notAfter(cert.get()), &month_ahead) > 0;
  if (good && ca != nullptr) good = X509_verify(cert.get(), X509_get0_pubkey(ca)) == 1;
  for (const auto& h : hosts)
    good = good && (is_ip(h) ? X509_check_ip_asc(cert.get(), h.c_str(), 0) == 1
                             : X509_check_host(cert.get(), h.c_str(), h.size(), 0, nullptr) == 1);
  take_openssl_errors();
  return good;
}

}  // namespace

Result<CertifiedKey, TlsFailure> make_ca(const std::string& name, int days) {
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return fail(openssl_failure("a key for " + name));
  auto cert = build(key.get(), name, days, nullptr, key.get(),
                    {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                     {NID_key_usage, "critical,keyCertSign,cRLSign"},
                     {NID_subject_key_identifier, "hash"},
                     {NID_authority_key_identifier, "keyid:always"}});
  if (!cert.ok()) return fail(cert.error());
  return CertifiedKey{pem_of_cert(cert->get()), pem_of_key(key.get())};
}

Result<CertifiedKey, TlsFailure> issue_certificate(const CertifiedKey& ca, const std::string& name,
                                                   const std::vector<std::string>& hosts,
                                                   int days) {
  auto ca_cert = cert_of(ca.cert_pem);
  auto ca_key = key_of(ca.key_pem);
  if (!ca_cert || !ca_key) return fail(openssl_failure("the CA"));
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return fail(openssl_failure("a key for " + name));
  std::string names;
  for (const auto& h : hosts) {
    if (!names.empty()) names += ',';
    names += is_ip(h) ? "IP:" : "DNS:";
    names += h;
  }
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "serverAuth,clientAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"}};
  if (!names.empty()) extensions.push_back({NID_subject_alt_name, names});
  auto cert = build(key.get(), name, days, ca_cert.get(), ca_key.get(), extensions);
  if (!cert.ok()) return fail(cert.error());
  return CertifiedKey{pem_of_cert(cert->get()), pem_of_key(key.get())};
}

Result<std::monostate, TlsFailure> write_certified_key(const CertifiedKey& pair,
                                                       const std::string& cert_file,
                                                       const std::string& key_file) {
  if (auto w = write_file(key_file, pair.key_pem, 0600); !w.ok()) return w;
  return write_file(cert_file, pair.cert_pem, 0644);
}

std::vector<std::string> loopback_hosts() {
  return {"localhost", "127.0.0.1", "::1"};
}

ServerTls LocalTls::server(const std::string& name) const {
  return {dir + "/" + name + ".pem", dir + "/" + name + "-key.pem", {}};
}

ClientTls LocalTls::client(const std::string& name) const {
  return {ca_file, dir + "/" + name + ".pem", dir + "/" + name + "-key.pem"};
}

Result<LocalTls, TlsFailure> ensure_local_tls(const std::string& dir,
                                              const std::vector<std::string>& names,
                                              const std::vector<std::string>& hosts) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(TlsFailure{TlsError::CannotWrite, dir, ec.message()});
  LocalTls local{dir, dir + "/ca.pem"};
  const std::string ca_key_file = dir + "/ca-key.pem";
  CertifiedKey ca;
  bool new_ca = false;
  if (still_good(local.ca_file, ca_key_file, nullptr, {})) {
    ca = {std::move(read_tls_file(local.ca_file)).value(),
          std::move(read_tls_file(ca_key_file)).value()};
  } else {
    auto made = make_ca("Assent local CA (" + std::filesystem::absolute(dir).string() + ")");
    if (!made.ok()) return fail(made.error());
    ca = std::move(made).value();
    if (auto w = write_certified_key(ca, local.ca_file, ca_key_file); !w.ok())
      return fail(w.error());
    new_ca = true;
  }
  auto ca_cert = cert_of(ca.cert_pem);
  for (const auto& name : names) {
    const ServerTls files = local.server(name);
    if (!new_ca && still_good(files.cert_file, files.key_file, ca_cert.get(), hosts)) continue;
    auto issued = issue_certificate(ca, name, hosts);
    if (!issued.ok()) return fail(issued.error());
    if (auto w = write_certified_key(*issued, files.cert_file, files.key_file); !w.ok())
      return fail(w.error());
  }
  return local;
}

}  // namespace assent::node
