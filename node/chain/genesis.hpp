// A chain's genesis: the consortium it starts with (consortium.hpp), from a JSON file that
// every node of the chain is given (docs/protocol.md, "Genesis"):
//
//   {"members": [{"name": "Registry Office", "key": "<64 hex digits>",
//                 "roles": ["registrar"], "deploy": true}, ...]}
//
// Applied once, to a new store, as version 0 of the state tree: block 1 builds on it, so
// every node given another genesis computes other state roots from its first block. The
// store keeps the genesis's hash (meta `genesis`); a node given another one is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "node/chain/consortium.hpp"
#include "node/executor/executor.hpp"

namespace assent::node {

struct Genesis {
  std::vector<Member> members;  // by key, in key order
};

// Parses a genesis; errors name the element (`members[2].roles[0]`) and what it must be.
Result<Genesis, std::string> parse_genesis(const abi::Json& json);
Result<Genesis, std::string> read_genesis_file(const std::string& path);
abi::Json genesis_to_json(const Genesis& genesis);
// SHA-256 of the members' records in key order: what two nodes compare.
Hash genesis_hash(const Genesis& genesis);

// Applies `genesis` to a store with no block (writing the consortium and version 0 of the
// state tree), or checks that it is the one the store was made with. Without a genesis, a
// store keeps what it has (an open chain when it never had one). What is wrong, or nothing.
std::optional<std::string> settle_genesis(store::Store& store, Executor& exec,
                                          const std::optional<Genesis>& genesis);
// The hash of the genesis the store was made with, if any.
Result<std::optional<Hash>, store::LmdbError> stored_genesis_hash(const store::Txn& txn,
                                                                 const store::Databases& db);

}  // namespace assent::node
