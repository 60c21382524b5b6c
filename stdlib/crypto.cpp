#include "stdlib/crypto.hpp"

#include <openssl/evp.h>

namespace assent::stdlib {

namespace {

// OpenSSL 3 looks the algorithm up on every EVP_sha256() use unless it is fetched once, and
// a context per hash costs an allocation: the state tree hashes thousands of nodes a block.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Hash sha256(std::initializer_list<std::span<const uint8_t>> parts) {
  thread_local Context c;
  Hash out{};
  EVP_DigestInit_ex2(c.ctx, sha256_md(), nullptr);
  for (const auto& p : parts)
    EVP_DigestUpdate(c.ctx, p.data(), p.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(c.ctx, out.data(), &len);
  return out;
}

bool ed25519_verify(std::span<const uint8_t> key, std::span<const uint8_t> message,
                    std::span<const uint8_t> signature) {
  if (key.size() != 32 || signature.size() != 64) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), 32);
  if (pkey == nullptr) return false;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool ok = md != nullptr && EVP_DigestVerifyInit(md, nullptr, nullptr, nullptr, pkey) == 1 &&
                  EVP_DigestVerify(md, signature.data(), 64, message.data(), message.size()) == 1;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(pkey);
  return ok;
}

}  // namespace assent::stdlib
