// Identities: Ed25519 keys made, saved and loaded as PEM files readable by their owner only,
// signatures, did:key, and the errors a user sees for a file that is not a usable key.
#include "node/chain/keys.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "vm/hex.hpp"

using namespace assent;
namespace fs = std::filesystem;

namespace {

// RFC 8032, section 7.1, TEST 1: the secret key 9d61b19d...7f60 as a PKCS #8 PEM (what `openssl
// pkey` writes), its public key, and its signature of the empty message.
constexpr const char* kRfcKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kRfcPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr const char* kRfcSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
// An X25519 key: a valid PEM private key, of the wrong kind.
constexpr const char* kX25519Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VuBCIEICg+/Q+omkQ+y8R3cZjZSQ4VwH0MAtO/m2swjwSsLbFG\n"
    "-----END PRIVATE KEY-----\n";

// A directory of its own, removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("assent-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string write_file(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

node::KeyPair generated() {
  auto k = node::KeyPair::generate();
  REQUIRE(k.ok());
  return std::move(k).value();
}

std::vector<uint8_t> bytes_of(const std::string& text) {
  return {text.begin(), text.end()};
}

// base58btc, for checking did:key independently of how keys.cpp encodes it.
std::vector<uint8_t> base58_decode(const std::string& text) {
  const std::string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::vector<uint8_t> out;  // little-endian while decoding
  for (char ch : text) {
    const auto digit = alphabet.find(ch);
    REQUIRE(digit != std::string::npos);
    unsigned carry = static_cast<unsigned>(digit);
    for (auto& b : out) {
      carry += b * 58u;
      b = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8)
      out.push_back(static_cast<uint8_t>(carry & 0xff));
  }
  for (std::size_t i = 0; i < text.size() && text[i] == '1'; ++i)
    out.push_back(0);
  return {out.rbegin(), out.rend()};
}

}  // namespace

TEST_CASE("keys: a generated key signs, and only its own signature of the same message verifies") {
  const node::KeyPair a = generated(), b = generated();
  CHECK(a.public_key() != b.public_key());
  CHECK(a.public_key() != stdlib::Identity{});
  const auto message = bytes_of("grant @researcher LabResult");
  const node::Signature sig = a.sign(message);
  CHECK(node::verify_signature(a.public_key(), message, sig));
  CHECK_FALSE(node::verify_signature(b.public_key(), message, sig));
  CHECK_FALSE(node::verify_signature(a.public_key(), bytes_of("grant @researcher LabResulT"), sig));
  node::Signature flipped = sig;
  flipped[10] ^= 0x01;
  CHECK_FALSE(node::verify_signature(a.public_key(), message, flipped));
  CHECK_FALSE(node::verify_signature(a.public_key(), message, node::Signature{}));
  // Ed25519 is deterministic: the same key signs the same message the same way.
  CHECK(a.sign(message) == sig);
  CHECK(b.sign(message) != sig);
}

TEST_CASE("keys: a key loaded from RFC 8032's test vector has its public key and signature") {
  TempDir dir("keys-rfc");
  auto k = node::KeyPair::load(write_file(dir.file("rfc.pem"), kRfcKeyPem, 0600));
  REQUIRE_MESSAGE(k.ok(), (k.ok() ? "" : k.error()));
  CHECK(to_hex(k->public_key()) == kRfcPublic);
  const node::Signature sig = k->sign({});
  CHECK(to_hex(sig) == kRfcSignature);
  CHECK(node::verify_signature(k->public_key(), {}, sig));
}

TEST_CASE("keys: saved as PEM with mode 0600, loaded back as the same key, never overwritten") {
  TempDir dir("keys-save");
  const node::KeyPair key = generated();
  const std::string path = dir.file("alice.pem");
  auto saved = key.save(path);
  REQUIRE_MESSAGE(saved.ok(), (saved.ok() ? "" : saved.error()));
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string pem = read_text(path);
  CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  auto loaded = node::KeyPair::load(path);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
  CHECK(loaded->public_key() == key.public_key());
  const auto message = bytes_of("revoke");
  CHECK(loaded->sign(message) == key.sign(message));

  // A second save to the same path fails, and the first key stays.
  auto again = generated().save(path);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error() == "`" + path + "` exists; a key is never overwritten");
  CHECK(read_text(path) == pem);

  auto nowhere = key.save(dir.file("no/such/dir/key.pem"));
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.error().starts_with("cannot write `" + dir.file("no/such/dir/key.pem") + "`: "));
}

TEST_CASE("keys: a file that is not a usable key is refused, and the error says why") {
  TempDir dir("keys-bad");
  SUBCASE("missing") {
    const std::string path = dir.file("missing.pem");
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "cannot read key `" + path + "`: No such file or directory");
  }
  SUBCASE("readable by others") {
    const std::string path = write_file(dir.file("open.pem"), kRfcKeyPem, 0644);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "key `" + path + "` may be read by others; run `chmod 600 " + path + "`");
  }
  SUBCASE("readable by its group") {
    auto k = node::KeyPair::load(write_file(dir.file("group.pem"), kRfcKeyPem, 0640));
    REQUIRE_FALSE(k.ok());
    CHECK(k.error().find("may be read by others") != std::string::npos);
  }
  SUBCASE("not PEM") {
    const std::string path = write_file(dir.file("text.pem"), "not a key\n", 0600);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "`" + path + "` is not a PEM private key");
  }
  SUBCASE("empty") {
    const std::string path = write_file(dir.file("empty.pem"), "", 0600);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "`" + path + "` is not a PEM private key");
  }
  SUBCASE("a PEM cut short") {
    const std::string pem = kRfcKeyPem;
    const std::string path = write_file(dir.file("cut.pem"), pem.substr(0, pem.size() / 2), 0600);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "`" + path + "` is not a PEM private key");
  }
  SUBCASE("a private key of another kind") {
    const std::string path = write_file(dir.file("x25519.pem"), kX25519Pem, 0600);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error() == "`" + path + "` is not an Ed25519 key");
  }
  SUBCASE("a directory") {
    const std::string path = dir.file("sub");
    fs::create_directories(path);
    ::chmod(path.c_str(), 0700);
    auto k = node::KeyPair::load(path);
    REQUIRE_FALSE(k.ok());
    CHECK(k.error().starts_with("`" + path + "` is not a PEM private key"));
  }
}

TEST_CASE("keys: did:key is the multicodec ed25519-pub prefix and the key, in base58btc") {
  const node::KeyPair key = generated();
  const std::string did = node::did_key(key.public_key());
  REQUIRE(did.starts_with("did:key:z6Mk"));  // every Ed25519 did:key starts so
  const std::vector<uint8_t> decoded = base58_decode(did.substr(std::string("did:key:z").size()));
  REQUIRE(decoded.size() == 34);
  CHECK(decoded[0] == 0xed);
  CHECK(decoded[1] == 0x01);
  CHECK(std::equal(decoded.begin() + 2, decoded.end(), key.public_key().begin()));
  CHECK(node::did_key(key.public_key()) == did);
}

TEST_CASE("keys: identities given as hex for an option, and what is wrong with one") {
  const node::KeyPair a = generated(), b = generated();
  std::string upper = to_hex(b.public_key());
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto ids = node::parse_identities({to_hex(a.public_key()), upper, to_hex(a.public_key())}, "--x");
  REQUIRE(ids.ok());
  CHECK(*ids == std::set<stdlib::Identity>{a.public_key(), b.public_key()});
  CHECK(node::parse_identities({}, "--x")->empty());
  for (const std::string& bad : {std::string("abc"), to_hex(a.public_key()).substr(2),
                                 to_hex(a.public_key()) + "00", std::string(64, 'g')}) {
    auto r = node::parse_identities({to_hex(a.public_key()), bad}, "--proposers");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().starts_with("--proposers: `" + bad + "` is not an identity: give 64 hex"));
  }
}
