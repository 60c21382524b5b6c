#include "stdlib/crypto.hpp"

#include <openssl/evp.h>

namespace assent::stdlib {

Hash sha256(std::initializer_list<std::span<const uint8_t>> parts) {
  Hash out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& p : parts)
    EVP_DigestUpdate(ctx, p.data(), p.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
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
