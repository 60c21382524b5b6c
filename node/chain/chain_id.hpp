// A chain's id, settled once at its genesis and kept in its store, so that no two chains share
// one by accident (a transaction signed for one chain is refused by every other). A new chain
// gets `assent-` and 16 random hex digits unless it is given a name; the bare `assent-devnet`,
// which every node once took by default, is refused for a new chain.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "node/store/store.hpp"
#include "vm/result.hpp"

namespace assent::node {

// What every node used to take when given none: stores made before ids were kept hold it.
inline constexpr std::string_view kOldDefaultChainId = "assent-devnet";
// The meta name under which a store keeps its chain's id (not part of the state root).
inline constexpr std::string_view kChainIdKey = "chain_id";

// `assent-` and 8 random bytes (OpenSSL's RAND_bytes) in hex.
Result<std::string, std::string> random_chain_id();

// The id the store keeps, if it keeps one, or the store's failure.
[[nodiscard]] Result<std::optional<std::string>, store::LmdbError> stored_chain_id(
    const store::Store& store, const store::Txn& txn);

// The chain id of the store, given `requested` (empty: none given):
// - a store that keeps one: that one; `requested`, if given, must be the same;
// - a store made before ids were kept (it has blocks, but no id): `requested`, or the old
//   default, which it was running; it is kept from now on;
// - a new store (no block): `requested`, or a random one; never the bare old default.
// What it settles on is written to the store. The error says what differs and what to do.
Result<std::string, std::string> settle_chain_id(store::Store& store, const std::string& requested);

}  // namespace assent::node
