// Hashes and signatures through OpenSSL 3, for the host functions and the node.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace assent::stdlib {

using Hash = std::array<uint8_t, 32>;

// SHA-256 of the concatenation of `parts`.
Hash sha256(std::initializer_list<std::span<const uint8_t>> parts);
inline Hash sha256(std::span<const uint8_t> data) {
  return sha256({data});
}

// Whether `signature` (64 bytes) is `key`'s (32 bytes) Ed25519 signature of `message`.
bool ed25519_verify(std::span<const uint8_t> key, std::span<const uint8_t> message,
                    std::span<const uint8_t> signature);

}  // namespace assent::stdlib
