// Identities of the chain: Ed25519 key pairs (OpenSSL 3). A private key lives in a PEM file
// readable by its owner only (0600); the public key (32 bytes) is the identity contracts see
// as `caller`, shown to people also as a `did:key`.
#pragma once

#include <array>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "stdlib/host.hpp"
#include "vm/result.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace assent::node {

using Signature = std::array<uint8_t, 64>;

class KeyPair {
 public:
  static Result<KeyPair, std::string> generate();
  // Reads a PEM private key; refuses a file that others may read.
  static Result<KeyPair, std::string> load(const std::string& path);
  // Writes the private key as PEM with mode 0600; never overwrites a file.
  Result<bool, std::string> save(const std::string& path) const;

  const stdlib::Identity& public_key() const { return public_key_; }
  Signature sign(std::span<const uint8_t> message) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* p) const;
  };
  explicit KeyPair(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
  stdlib::Identity public_key_{};
};

bool verify_signature(const stdlib::Identity& public_key, std::span<const uint8_t> message,
                      const Signature& signature);

// did:key:z6Mk... (multicodec ed25519-pub, base58btc), as W3C's did:key method defines it.
std::string did_key(const stdlib::Identity& public_key);

// Identities given as 64 hex digits each (the identity `assent key show` prints), for an option
// such as --proposers; what is wrong names the option and the text.
Result<std::set<stdlib::Identity>, std::string> parse_identities(
    const std::vector<std::string>& texts, const std::string& option);

}  // namespace assent::node
