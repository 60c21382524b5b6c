// The TLS files a node and its clients are given (node/tls): each way they can be wrong is
// named with the file and a fix, and the certificates made for a devnet or a local cluster
// are kept while they are good and made again when not.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>

#include "tests/support/tls_files.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

std::string slurp(const std::string& path) {
  return std::move(node::read_tls_file(path)).value();
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

node::CertifiedKey ca_of(const TlsFiles& files) {
  return {slurp(files.ca), slurp((files.dir / "ca-key.pem").string())};
}

}  // namespace

TEST_CASE("tls files: every code has its words and its fix") {
  for (int i = 0; i <= static_cast<int>(node::TlsError::OpenSsl); ++i) {
    const auto& info = node::tls_error_info(static_cast<node::TlsError>(i));
    CHECK(std::string(info.name).size() > 0);
    CHECK(std::string(info.what).size() > 0);
    CHECK(std::string(info.fix).size() > 0);
  }
  const node::TlsFailure f{node::TlsError::KeyMismatch, "k.pem", "in `c.pem`"};
  CHECK(f.message() ==
        "tls key_mismatch: `k.pem` is not the key of the certificate (in `c.pem`): give the key "
        "the certificate was issued for (the pair the CA signed)");
}

TEST_CASE("tls files: expired, not yet valid, damaged and encrypted files are refused") {
  TlsFiles files("files-refused");
  const node::CertifiedKey ca = ca_of(files);
  auto code_of = [](const node::ServerTls& tls) {
    auto r = node::load_server_tls(tls);
    return r.ok() ? std::string("ok") : std::string(node::tls_error_info(r.error().code).name);
  };
  CHECK(code_of(files.server) == "ok");

  auto expired = node::issue_certificate(ca, "old", {"localhost"}, -1);
  REQUIRE(expired.ok());
  const std::string old_cert = (files.dir / "old.pem").string(),
                    old_key = (files.dir / "old-key.pem").string();
  REQUIRE(node::write_certified_key(*expired, old_cert, old_key).ok());
  auto r = node::load_server_tls({old_cert, old_key, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == node::TlsError::Expired);
  CHECK(r.error().message().find("expired (on ") != std::string::npos);

  const std::string damaged = (files.dir / "damaged.pem").string();
  write(damaged, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
  CHECK(code_of({damaged, files.server.key_file, {}}) == "bad_certificate");
  CHECK(code_of({files.server.cert_file, damaged, {}}) == "no_key");

  // A key with a passphrase: refused, never asked for (the test has no terminal to hang on).
  const std::string locked = (files.dir / "locked-key.pem").string();
  {
    const std::string pem = slurp(files.server.key_file);
    BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    REQUIRE(key != nullptr);
    BIO* out = BIO_new_file(locked.c_str(), "w");
    char pass[] = "secret";
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), pass, 6, nullptr, nullptr) ==
            1);
    BIO_free(out);
    EVP_PKEY_free(key);
  }
  r = node::load_server_tls({files.server.cert_file, locked, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == node::TlsError::EncryptedKey);
  CHECK(r.error().message().find("openssl pkey -in FILE -out KEY") != std::string::npos);

  // A client's files: a CA that is a key, a certificate without its key.
  auto c = node::check_client_tls({files.server.key_file, {}, {}});
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == node::TlsError::NoCertificate);
  c = node::check_client_tls({files.ca, files.client.cert_file, {}});
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == node::TlsError::HalfPair);
  CHECK(node::check_client_tls(files.client).ok());
}

TEST_CASE("tls files: a devnet's certificates are kept while good, made again when not") {
  TlsFiles files("files-kept");
  const std::string dir = (files.dir / "local").string();
  auto first = node::ensure_local_tls(dir, {"node"});
  REQUIRE(first.ok());
  const std::string ca = slurp(first->ca_file), cert = slurp(first->server("node").cert_file);
  auto again = node::ensure_local_tls(dir, {"node"});
  REQUIRE(again.ok());
  CHECK(slurp(again->ca_file) == ca);
  CHECK(slurp(again->server("node").cert_file) == cert);
  // A certificate that no longer covers the hosts asked for is issued again, by the same CA.
  auto wider = node::ensure_local_tls(dir, {"node"}, {"127.0.0.1", "node.example"});
  REQUIRE(wider.ok());
  CHECK(slurp(wider->ca_file) == ca);
  CHECK(slurp(wider->server("node").cert_file) != cert);
  // A damaged key is made again, with its certificate.
  write(wider->server("node").key_file, "garbage");
  REQUIRE(node::ensure_local_tls(dir, {"node"}).ok());
  CHECK(node::load_server_tls(wider->server("node")).ok());
  // Without its CA's key, the CA and everything it signed are made again.
  std::filesystem::remove(files.dir / "local" / "ca-key.pem");
  auto remade = node::ensure_local_tls(dir, {"node"});
  REQUIRE(remade.ok());
  CHECK(slurp(remade->ca_file) != ca);
  CHECK(node::load_server_tls(remade->server("node")).ok());
}
