// How the API shows chain objects as JSON (docs/api.md): transactions, receipts (results and
// event fields decoded through the contracts' ABIs), block headers, events.
#pragma once

#include "node/api/api_errors.hpp"
#include "node/chain/chain.hpp"
#include "node/store/events.hpp"
#include "stdlib/abi_codec.hpp"

namespace assent::node {

using Json = abi::Json;

std::string hex(std::span<const uint8_t> bytes);
Json tx_json(const Transaction& tx);
// `chain` reads the modules whose ABI decodes the result and the events.
// A module the store cannot read is `store`, code that does not decode `corrupt`: never a
// receipt or an event shown in hex for what could not be read.
Result<Json, ApiFailure> receipt_json(Chain& chain, const store::Txn& txn, const Transaction& tx,
                                      const StoredReceipt& r);
Json header_json(const BlockHeader& h);
Result<Json, ApiFailure> event_json(Chain& chain, const store::Txn& txn,
                                    const store::FoundEvent& e);

}  // namespace assent::node
