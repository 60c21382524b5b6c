#include "node/chain/block.hpp"

#include "stdlib/crypto.hpp"
#include "vm/byte_io.hpp"

namespace assent::node {

namespace {

constexpr uint8_t kMagic[4] = {'A', 'B', 'K', '1'};

}  // namespace

Bytes BlockHeader::signing_bytes() const {
  ByteWriter w;
  w.write_bytes(std::span<const uint8_t>(kMagic));
  w.write(height);
  w.write_bytes(previous);
  w.write(time);
  w.write_bytes(tx_root);
  w.write_bytes(state_root);
  w.write(tx_count);
  w.write_bytes(proposer);
  return w.take();
}

Hash BlockHeader::hash() const {
  return stdlib::sha256(signing_bytes());
}

Bytes Block::encode() const {
  ByteWriter w;
  w.write_bytes(header.signing_bytes());
  w.write_bytes(header.signature);
  for (const auto& tx : txs) {
    const Bytes t = tx.encode();
    w.write(static_cast<uint32_t>(t.size()));
    w.write_bytes(t);
  }
  return w.take();
}

Result<Block, std::string> Block::decode(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  Block b;
  BlockHeader& h = b.header;
  std::span<const uint8_t> raw;
  auto take32 = [&](std::array<uint8_t, 32>& out) {
    if (!r.read_bytes(32, raw)) return false;
    std::copy(raw.begin(), raw.end(), out.begin());
    return true;
  };
  if (!r.read_bytes(4, raw) || !std::equal(raw.begin(), raw.end(), kMagic))
    return fail(std::string("not a block"));
  if (!r.read(h.height) || !take32(h.previous) || !r.read(h.time) || !take32(h.tx_root) ||
      !take32(h.state_root) || !r.read(h.tx_count) || !take32(h.proposer) || !r.read_bytes(64, raw))
    return fail(std::string("block header truncated"));
  std::copy(raw.begin(), raw.end(), h.signature.begin());
  for (uint32_t i = 0; i < h.tx_count; ++i) {
    uint32_t n = 0;
    if (!r.read(n) || !r.read_bytes(n, raw))
      return fail("block truncated in transaction " + std::to_string(i));
    auto tx = Transaction::decode(raw);
    if (!tx.ok()) return fail("transaction " + std::to_string(i) + ": " + tx.error());
    b.txs.push_back(std::move(tx).value());
  }
  if (!r.at_end()) return fail(std::string("bytes after the block's last transaction"));
  return b;
}

Hash tx_merkle_root(const std::vector<Hash>& hashes) {
  if (hashes.empty()) return Hash{};
  std::vector<Hash> level;
  const uint8_t leaf = 0, node = 1;
  for (const auto& h : hashes)
    level.push_back(stdlib::sha256({std::span<const uint8_t>(&leaf, 1), h}));
  while (level.size() > 1) {
    std::vector<Hash> up;
    for (std::size_t i = 0; i + 1 < level.size(); i += 2)
      up.push_back(stdlib::sha256({std::span<const uint8_t>(&node, 1), level[i], level[i + 1]}));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
  }
  return level[0];
}

}  // namespace assent::node
