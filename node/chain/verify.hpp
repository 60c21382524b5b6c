// Checking a store against its own chain, from nothing but what is stored: the evidence an
// operator or an auditor asks for before trusting a replica. Two checks:
// - state: the state root recomputed from every record (contract state, contracts, senders'
//   nonces) in memory equals the head block's and the stored tree's. An edit made behind the
//   chain's back shows here even when no later block touches it.
// - blocks: every block from 1 to the head follows its parent (height, hash, time), is
//   signed by its proposer, has its transactions root, its index entry, and a receipt for
//   each transaction, each transaction validly signed for this chain.
#pragma once

#include <optional>
#include <string>

#include "node/chain/chain.hpp"

namespace assent::node {

struct StoreCheck {
  uint64_t height = 0;   // the head checked
  uint64_t blocks = 0;   // blocks checked (0 when only the state was)
  uint64_t records = 0;  // state records hashed
  Hash state_root{};     // recomputed from the records
  double seconds = 0;
  // The first thing that does not match: what, and where. Empty: everything matches.
  std::optional<std::string> problem;
};

// The state root recomputed in memory from every record of `txn`'s snapshot (contract state,
// contracts, senders' nonces: docs/storage.md), and how many records there are.
struct RecomputedState {
  Hash root{};
  uint64_t records = 0;
};
Result<RecomputedState, std::string> recompute_state_root(const store::Store& store,
                                                          const store::Txn& txn);

// A store that cannot be read is an error; a store that reads but does not match is a
// StoreCheck with a problem.
Result<StoreCheck, std::string> check_state(Chain& chain);
Result<StoreCheck, std::string> check_store(Chain& chain);  // blocks, then state

}  // namespace assent::node
