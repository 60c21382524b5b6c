// Fuzz target: any bytes as a transaction, a block and a stored receipt. No input may crash
// the decoders, and what decodes must encode back to the same bytes (one canonical encoding:
// the hash of a transaction cannot be changed by re-encoding it).
#include <cstddef>
#include <cstdint>
#include <span>

#include "node/chain/block.hpp"
#include "node/chain/receipt_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  if (auto tx = assent::node::Transaction::decode(bytes); tx.ok()) {
    const auto again = tx->encode();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
  }
  if (auto block = assent::node::Block::decode(bytes); block.ok()) {
    const auto again = block->encode();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
  }
  if (auto receipt = assent::node::StoredReceipt::decode(bytes)) {
    const auto again = receipt->encode();
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
  }
  return 0;
}
