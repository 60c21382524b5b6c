#include "node/chain/receipt_codec.hpp"

#include "vm/byte_io.hpp"

namespace assent::node {

Bytes StoredReceipt::encode() const {
  const Receipt& r = receipt;
  ByteWriter w;
  w.write(height);
  w.write(index);
  w.write(static_cast<uint8_t>(r.status));
  w.write(r.gas_used);
  w.write(static_cast<uint32_t>(r.return_data.size()));
  w.write_bytes(r.return_data);
  w.write(static_cast<uint32_t>(r.message.size()));
  w.write_bytes(r.message);
  w.write(r.line);
  w.write(r.column);
  w.write(static_cast<uint8_t>(r.contract.has_value()));
  if (r.contract) w.write_bytes(*r.contract);
  w.write(static_cast<uint32_t>(r.events.size()));
  for (const auto& e : r.events) {
    w.write_bytes(e.contract);
    w.write(e.index);
    w.write(static_cast<uint16_t>(e.name.size()));
    w.write_bytes(e.name);
    w.write(static_cast<uint32_t>(e.data.size()));
    w.write_bytes(e.data);
  }
  return w.take();
}

std::optional<StoredReceipt> StoredReceipt::decode(std::span<const uint8_t> bytes) {
  ByteReader rd(bytes);
  StoredReceipt s;
  Receipt& r = s.receipt;
  uint8_t status = 0, has_contract = 0;
  uint32_t n = 0;
  std::span<const uint8_t> raw;
  if (!rd.read(s.height) || !rd.read(s.index) || !rd.read(status) || !rd.read(r.gas_used))
    return std::nullopt;
  // A status this node does not know is a receipt it cannot read, not some other status.
  auto outcome = outcome_from_value(status);
  if (!outcome) return std::nullopt;
  r.status = *outcome;
  if (!rd.read(n) || !rd.read_bytes(n, raw)) return std::nullopt;
  r.return_data.assign(raw.begin(), raw.end());
  if (!rd.read(n) || !rd.read_string(n, r.message)) return std::nullopt;
  if (!rd.read(r.line) || !rd.read(r.column) || !rd.read(has_contract) || has_contract > 1)
    return std::nullopt;
  if (has_contract) {
    Identity c;
    if (!rd.read_bytes(32, raw)) return std::nullopt;
    std::copy(raw.begin(), raw.end(), c.begin());
    r.contract = c;
  }
  if (!rd.read(n)) return std::nullopt;
  for (uint32_t i = 0; i < n; ++i) {
    EventRecord e;
    uint16_t name_len = 0;
    uint32_t data_len = 0;
    if (!rd.read_bytes(32, raw)) return std::nullopt;
    std::copy(raw.begin(), raw.end(), e.contract.begin());
    if (!rd.read(e.index) || !rd.read(name_len) || !rd.read_string(name_len, e.name) ||
        !rd.read(data_len) || !rd.read_bytes(data_len, raw))
      return std::nullopt;
    e.data.assign(raw.begin(), raw.end());
    r.events.push_back(std::move(e));
  }
  if (!rd.at_end()) return std::nullopt;
  return s;
}

}  // namespace assent::node
