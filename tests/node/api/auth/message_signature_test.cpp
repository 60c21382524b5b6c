// HTTP Message Signatures (RFC 9421) with Ed25519: the signature base against the RFC's own
// example (Appendix B.2.6, with the key of B.1.4), Content-Digest against RFC 9530's, and the
// checks a node makes of a signed request, each refusal with its code.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "node/api/auth/base64.hpp"
#include "node/api/auth/message_signature.hpp"
#include "stdlib/crypto.hpp"
#include "vm/hex.hpp"

using namespace assent;
using namespace assent::node::auth;
namespace fs = std::filesystem;

namespace {

// RFC 9421 B.1.4, test-key-ed25519: the private key (PKCS#8) and the public key's x.
constexpr const char* kRfcKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kRfcPublicX = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs";

node::KeyPair rfc_key() {
  const fs::path path =
      fs::temp_directory_path() / ("assent-rfc9421-key-" + std::to_string(::getpid()) + ".pem");
  fs::remove(path);
  {
    std::ofstream out(path);
    out << kRfcKeyPem;
  }
  ::chmod(path.c_str(), 0600);
  auto key = node::KeyPair::load(path.string());
  fs::remove(path);
  REQUIRE_MESSAGE(key.ok(), (key.ok() ? "" : key.error()));
  return std::move(key).value();
}

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

node::KeyPair new_key() {
  return std::move(node::KeyPair::generate()).value();
}

// A request as the server sees it: headers in lower case, from what sign_request gave.
struct Request {
  std::string method = "POST", host = "127.0.0.1:8645", target = "/v1/view", body = R"({"a":1})";
  std::map<std::string, std::string> headers;

  void sign(const node::KeyPair& key, int64_t created, const std::string& nonce = "n1") {
    for (auto& [name, value] : sign_request(key, method, host, target, body, created, nonce)) {
      std::string lower = name;
      for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[lower] = value;
    }
  }
  Result<VerifiedSignature, AuthFailure> verify(int64_t now) const {
    return verify_request({method, host, target, &headers}, body, now);
  }
};

AuthError code_of(const Result<VerifiedSignature, AuthFailure>& r) {
  REQUIRE(!r.ok());
  return r.error().code;
}

}  // namespace

TEST_CASE("message signatures: RFC 9421 B.2.6, signing a request with Ed25519") {
  const node::KeyPair key = rfc_key();
  auto x = base64url_decode(kRfcPublicX);
  REQUIRE(x.has_value());
  CHECK(std::equal(x->begin(), x->end(), key.public_key().begin(), key.public_key().end()));

  // The RFC's request (B.2): POST /foo?param=Value&Pet=dog to example.com.
  const std::map<std::string, std::string> headers = {
      {"host", "example.com"},
      {"date", "Tue, 20 Apr 2021 02:07:55 GMT"},
      {"content-type", "application/json"},
      {"content-digest",
       "sha-512=:WZDPaVn/"
       "7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"},
      {"content-length", "18"}};
  const SignedMessage message{"POST", "example.com", "/foo?param=Value&Pet=dog", &headers};
  auto input = parse_sf_dictionary(
      R"(sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519")");
  REQUIRE(input.ok());
  const auto& covered = std::get<SfInnerList>(input->front().second);
  auto base = signature_base(message, covered);
  REQUIRE_MESSAGE(base.ok(), (base.ok() ? "" : base.error()));
  CHECK(*base ==
        "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
        "\"@method\": POST\n"
        "\"@path\": /foo\n"
        "\"@authority\": example.com\n"
        "\"content-type\": application/json\n"
        "\"content-length\": 18\n"
        "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
        "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"");
  // Ed25519 is deterministic: the RFC's signature, byte for byte.
  const node::Signature sig = key.sign(bytes_of(*base));
  CHECK(base64_encode(sig) ==
        "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==");
  auto rfc_sig = parse_sf_dictionary(
      "sig-b26=:"
      "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:");
  REQUIRE(rfc_sig.ok());
  const auto& rfc_bytes = std::get<SfBytes>(std::get<SfItem>(rfc_sig->front().second).value).bytes;
  CHECK(stdlib::ed25519_verify(*x, bytes_of(*base), rfc_bytes));

  // The derived components of B.2's request that this profile covers.
  CHECK(component_value(message, "@query").value() == "?param=Value&Pet=dog");
  CHECK(component_value(message, "@authority").value() == "example.com");
  CHECK(component_value({"GET", "Example.COM", "", &headers}, "@path").value() == "/");
  CHECK(component_value({"GET", "example.com", "/x", &headers}, "@query").value() == "?");
  CHECK(!component_value(message, "@target-uri").ok());
}

TEST_CASE("message signatures: Content-Digest is RFC 9530's sha-256") {
  // RFC 9530's example body, and RFC 9421's (without the final newline).
  CHECK(content_digest("{\"hello\": \"world\"}\n") ==
        "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:");
  CHECK(content_digest("{\"hello\": \"world\"}") ==
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
}

TEST_CASE("message signatures: a signed request verifies; each fault is refused with its code") {
  const node::KeyPair key = new_key();
  const int64_t now = 1'800'000'000;
  Request good;
  good.sign(key, now);
  auto ok = good.verify(now);
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  CHECK(ok->key == key.public_key());
  CHECK(ok->valid_until == now + kMaxSkewSeconds + 1);
  CHECK(
      good.headers.at("signature-input")
          .starts_with(
              "sig=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\");created="));

  SUBCASE("a GET without a body needs no digest") {
    Request get;
    get.method = "GET";
    get.target = "/v1/events?identity=ab&limit=2";
    get.body = "";
    get.sign(key, now);
    CHECK(get.headers.count("content-digest") == 0);
    CHECK(get.verify(now).ok());
    get.target = "/v1/events?identity=cd&limit=2";  // another query: another base
    CHECK(code_of(get.verify(now)) == AuthError::SignatureInvalid);
  }
  SUBCASE("created outside the window, either side") {
    CHECK(good.verify(now + kMaxSkewSeconds).ok());
    CHECK(code_of(good.verify(now + kMaxSkewSeconds + 1)) == AuthError::Expired);
    // Ahead of the clock by at most kMaxFutureSeconds: a signature dated further ahead would
    // outlive honest ones in the replay cache.
    CHECK(good.verify(now - kMaxFutureSeconds).ok());
    CHECK(code_of(good.verify(now - kMaxFutureSeconds - 1)) == AuthError::Expired);
    auto ahead = good.verify(now - kMaxFutureSeconds - 1);
    CHECK(ahead.error().message.find("ahead of the node's clock") != std::string::npos);
  }
  SUBCASE("a body changed after signing") {
    Request tampered = good;
    tampered.body = R"({"a":2})";
    CHECK(code_of(tampered.verify(now)) == AuthError::DigestMismatch);
  }
  SUBCASE("a digest changed with the body, the signature not") {
    Request tampered = good;
    tampered.body = R"({"a":2})";
    tampered.headers["content-digest"] = content_digest(tampered.body);
    CHECK(code_of(tampered.verify(now)) == AuthError::SignatureInvalid);
  }
  SUBCASE("a signature by another key than keyid names") {
    Request other;
    other.sign(new_key(), now);
    Request forged = good;
    forged.headers["signature"] = other.headers["signature"];
    CHECK(code_of(forged.verify(now)) == AuthError::SignatureInvalid);
  }
  SUBCASE("another method, path or authority than was signed") {
    Request m = good;
    m.method = "PUT";
    CHECK(code_of(m.verify(now)) == AuthError::SignatureInvalid);
    Request p = good;
    p.target = "/v1/transactions";
    CHECK(code_of(p.verify(now)) == AuthError::SignatureInvalid);
    Request h = good;
    h.host = "10.0.0.2:8645";
    CHECK(code_of(h.verify(now)) == AuthError::SignatureInvalid);
    Request upper;
    upper.host = "Node.Example:8645";
    upper.sign(key, now);
    upper.host = "node.EXAMPLE:8645";  // the authority is compared in lower case
    CHECK(upper.verify(now).ok());
  }
  SUBCASE("a signature that leaves out a required component, or names what is not allowed") {
    auto with_input = [&](const std::string& input) {
      Request r = good;
      r.headers["signature-input"] = input;
      return r.verify(now);
    };
    const std::string keyid = ";keyid=\"" + to_hex(key.public_key()) + "\"";
    const std::string created = ";created=" + std::to_string(now);
    auto missing = with_input("sig=(\"@method\" \"@authority\" \"@path\")" + created + keyid);
    CHECK(code_of(missing) == AuthError::BadCredentials);
    CHECK(missing.error().message.find("@query, content-digest") != std::string::npos);
    CHECK(code_of(with_input("sig=(\"@method\" \"@authority\" \"@path\" \"@query\" "
                             "\"content-digest\" \"@target-uri\")" +
                             created + keyid)) == AuthError::BadCredentials);
    CHECK(code_of(with_input("sig=(\"@method\" \"@method\" \"@authority\" \"@path\" \"@query\" "
                             "\"content-digest\")" +
                             created + keyid)) == AuthError::BadCredentials);
    CHECK(code_of(with_input("sig=(\"@method\" \"@authority\" \"@path\" \"@query\" "
                             "\"content-digest\";sf)" +
                             created + keyid)) == AuthError::BadCredentials);
    const std::string all =
        "sig=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\")";
    CHECK(code_of(with_input(all + keyid)) == AuthError::BadCredentials);    // no created
    CHECK(code_of(with_input(all + created)) == AuthError::BadCredentials);  // no keyid
    CHECK(code_of(with_input(all + created + keyid + ";alg=\"rsa-pss-sha512\"")) ==
          AuthError::BadCredentials);
    CHECK(code_of(with_input(all + created + ";keyid=\"alice\"")) == AuthError::BadCredentials);
    CHECK(code_of(with_input(all + created + keyid + ";color=\"red\"")) ==
          AuthError::BadCredentials);
    CHECK(code_of(with_input(all + created + keyid + ";expires=" + std::to_string(now))) ==
          AuthError::Expired);
    // Two signatures, or labels that do not match.
    CHECK(code_of(with_input(good.headers.at("signature-input") + ", other=(\"@method\")")) ==
          AuthError::BadCredentials);
    Request relabeled = good;
    relabeled.headers["signature"].replace(0, 3, "xyz");
    CHECK(code_of(relabeled.verify(now)) == AuthError::BadCredentials);
  }
  SUBCASE("headers that are missing or do not parse") {
    Request r = good;
    r.headers.erase("signature");
    CHECK(code_of(r.verify(now)) == AuthError::BadCredentials);
    Request s = good;
    s.headers["signature"] = "sig=:not base64!:";
    CHECK(code_of(s.verify(now)) == AuthError::BadCredentials);
    Request d = good;
    d.headers.erase("content-digest");
    CHECK(code_of(d.verify(now)) == AuthError::BadCredentials);
    Request sha512 = good;
    sha512.headers["content-digest"] = "sha-512=:AAAA:";
    CHECK(code_of(sha512.verify(now)) == AuthError::BadCredentials);
  }
}
