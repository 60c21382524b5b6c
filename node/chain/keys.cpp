#include "node/chain/keys.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "stdlib/crypto.hpp"
#include "vm/hex.hpp"

namespace assent::node {

void KeyPair::Free::operator()(EVP_PKEY* p) const {
  EVP_PKEY_free(p);
}

KeyPair::KeyPair(EVP_PKEY* key) : key_(key, Free{}) {
  std::size_t len = public_key_.size();
  EVP_PKEY_get_raw_public_key(key, public_key_.data(), &len);
}

Result<KeyPair, std::string> KeyPair::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) return fail(std::string("OpenSSL could not generate an Ed25519 key"));
  return KeyPair(key);
}

Result<KeyPair, std::string> KeyPair::load(const std::string& path) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0)
    return fail("cannot read key `" + path + "`: " + std::strerror(errno));
  if ((st.st_mode & 077) != 0)
    return fail("key `" + path + "` may be read by others; run `chmod 600 " + path + "`");
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return fail("cannot read key `" + path + "`: " + std::strerror(errno));
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (key == nullptr) return fail("`" + path + "` is not a PEM private key");
  if (!EVP_PKEY_is_a(key, "ED25519")) {
    EVP_PKEY_free(key);
    return fail("`" + path + "` is not an Ed25519 key");
  }
  return KeyPair(key);
}

Result<bool, std::string> KeyPair::save(const std::string& path) const {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    return fail(std::string("OpenSSL could not encode the key"));
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return fail("`" + path + "` exists; a key is never overwritten");
    return fail("cannot write `" + path + "`: " + std::strerror(errno));
  }
  const bool ok =
      ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return fail("cannot write `" + path + "`: " + std::strerror(errno));
  return true;
}

Signature KeyPair::sign(std::span<const uint8_t> message) const {
  Signature sig{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = sig.size();
  if (ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_.get()) == 1)
    EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size());
  EVP_MD_CTX_free(ctx);
  return sig;
}

bool verify_signature(const stdlib::Identity& public_key, std::span<const uint8_t> message,
                      const Signature& signature) {
  return stdlib::ed25519_verify(public_key, message, signature);
}

std::string did_key(const stdlib::Identity& public_key) {
  static const char* kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::vector<uint8_t> input = {0xed, 0x01};
  input.insert(input.end(), public_key.begin(), public_key.end());
  // Base58: repeated division of the big-endian number by 58.
  std::vector<uint8_t> digits;
  for (uint8_t byte : input) {
    int carry = byte;
    for (auto& d : digits) {
      carry += d * 256;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out = "did:key:z";
  for (std::size_t i = 0; i < input.size() && input[i] == 0; ++i)
    out += '1';
  for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    out += kAlphabet[*it];
  return out;
}

Result<std::set<stdlib::Identity>, std::string> parse_identities(
    const std::vector<std::string>& texts, const std::string& option) {
  std::set<stdlib::Identity> out;
  for (const std::string& text : texts) {
    auto bytes = parse_hex(text);
    if (!bytes.ok() || bytes->size() != 32)
      return fail(option + ": `" + text +
                  "` is not an identity: give 64 hex digits (the identity `assent key show "
                  "FILE` prints)");
    stdlib::Identity id{};
    std::copy(bytes->begin(), bytes->end(), id.begin());
    out.insert(id);
  }
  return out;
}

}  // namespace assent::node
