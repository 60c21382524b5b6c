// The stored receipt (docs/storage.md, `receipts`): what is encoded decodes the same, and a
// status byte that is no receipt status does not decode (it is not some other status).
#include <doctest/doctest.h>

#include "node/chain/receipt_codec.hpp"

using namespace assent;
using node::ExecOutcome;

namespace {

node::StoredReceipt sample(ExecOutcome status) {
  node::StoredReceipt s;
  s.height = 12;
  s.index = 3;
  s.receipt.status = status;
  s.receipt.gas_used = 4321;
  s.receipt.return_data = {1, 2, 3};
  s.receipt.message = "the contract has no method `nope`";
  s.receipt.line = 7;
  s.receipt.column = 9;
  s.receipt.contract = node::Identity{5};
  s.receipt.events.push_back({node::Identity{6}, 1, "Granted", {9, 9}, {}});
  return s;
}

constexpr std::size_t kStatusAt = 8 + 4;  // after height u64 and index u32

}  // namespace

TEST_CASE("receipt codec: every status round-trips") {
  for (const auto& row : node::outcome_rows()) {
    CAPTURE(row.name);
    const node::StoredReceipt s = sample(row.code);
    const auto bytes = s.encode();
    CHECK(bytes[kStatusAt] == static_cast<uint8_t>(row.code));
    auto back = node::StoredReceipt::decode(bytes);
    REQUIRE(back.has_value());
    CHECK(back->receipt.status == row.code);
    CHECK(back->height == 12);
    CHECK(back->index == 3);
    CHECK(back->receipt.gas_used == 4321);
    CHECK(back->receipt.message == s.receipt.message);
    CHECK(back->receipt.contract == s.receipt.contract);
    REQUIRE(back->receipt.events.size() == 1);
    CHECK(back->receipt.events[0].name == "Granted");
    CHECK(back->encode() == bytes);
  }
}

TEST_CASE("receipt codec: an unknown status byte, or a receipt cut short, does not decode") {
  auto bytes = sample(ExecOutcome::NoMethod).encode();
  for (uint8_t unknown : {uint8_t{7}, uint8_t{63}, uint8_t{78}, uint8_t{200}, uint8_t{255}}) {
    CAPTURE(int{unknown});
    bytes[kStatusAt] = unknown;
    CHECK_FALSE(node::StoredReceipt::decode(bytes).has_value());
  }
  bytes = sample(ExecOutcome::Ok).encode();
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    CHECK_FALSE(node::StoredReceipt::decode(std::span(bytes).first(cut)).has_value());
}
