// The state root: a versioned sparse Merkle tree over the whole contract state
// (docs/storage.md, "State root"). Binary, keyed by SHA-256 of the state key, with a leaf
// standing at the highest position where it is alone (so the root depends only on the set
// of keys and values, never on the order of updates). Nodes are immutable and stored per
// version (the block height) in LMDB, as in Diem's Jellyfish Merkle tree: an update writes
// only the nodes on the paths it changes (O(changed keys x depth)), and the tree of any
// version kept can still be read and proved.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "node/store/lmdb.hpp"
#include "stdlib/crypto.hpp"

namespace assent::store {

using stdlib::Hash;

enum class NodeKind : uint8_t { Empty = 0, Leaf = 1, Internal = 2 };

// A reference to a stored node: what it is, its hash, and the version it was written at.
struct NodeRef {
  NodeKind kind = NodeKind::Empty;
  Hash hash{};
  uint64_t version = 0;
};

struct Change {
  Hash key;                   // SHA-256 of the state key
  std::optional<Hash> value;  // SHA-256 of the new value; nullopt: the key is removed
};

// Proof that `key` has a value, or has none, under a root. `siblings` are the hashes met on
// the way down, from the root; the path ends at `leaf` (a leaf at that position; a
// different key proves absence) or at an empty subtree.
struct Proof {
  std::vector<Hash> siblings;
  std::optional<std::pair<Hash, Hash>> leaf;  // key hash, value hash

  Bytes encode() const;  // docs/storage.md "Proof format"
  static std::optional<Proof> decode(View bytes);
};

class MerkleTree {
 public:
  // `nodes`, `roots` and `stale` are databases of the store.
  MerkleTree(MDB_dbi nodes, MDB_dbi roots, MDB_dbi stale)
      : nodes_(nodes), roots_(roots), stale_(stale) {}

  // The root of `version` (the empty tree for a version never written).
  [[nodiscard]] Result<NodeRef, LmdbError> root(const Txn& txn, uint64_t version) const;
  // Applies `changes` (any order; one change per key) to the tree of `base`, writes the
  // result as `version` and returns its root.
  [[nodiscard]] Result<NodeRef, LmdbError> update(Txn& txn, uint64_t base, uint64_t version,
                                                  std::vector<Change> changes);
  // Fails for a version pruned away.
  [[nodiscard]] Result<Proof, LmdbError> prove(const Txn& txn, uint64_t version,
                                               const Hash& key) const;
  // Removes what only versions before `oldest` need: the nodes every later version has
  // replaced (an update records the nodes it replaces under its version) and those versions'
  // roots. Versions from `oldest` on stay whole. Returns the nodes removed.
  [[nodiscard]] Result<uint64_t, LmdbError> prune(Txn& txn, uint64_t oldest);
  // How many replaced nodes wait for pruning.
  [[nodiscard]] Result<uint64_t, LmdbError> awaiting_pruning(const Txn& txn) const;
  // The oldest version whose tree is whole (1 when nothing was pruned).
  [[nodiscard]] Result<uint64_t, LmdbError> oldest_version(const Txn& txn) const;

 private:
  struct Leaf {
    Hash key, value;
  };
  std::optional<NodeRef> build(Txn& txn, uint64_t version, unsigned depth, const Hash& path,
                               std::vector<Leaf> leaves, std::optional<LmdbError>& error);
  std::optional<NodeRef> update_node(Txn& txn, uint64_t version, unsigned depth, const Hash& path,
                                     const NodeRef& node, std::span<const Change> changes,
                                     std::optional<LmdbError>& error);
  std::optional<NodeRef> join(Txn& txn, uint64_t version, unsigned depth, const Hash& path,
                              const Hash& right_path, const NodeRef& left, const NodeRef& right,
                              std::optional<LmdbError>& error);
  std::optional<NodeRef> write_internal(Txn& txn, uint64_t version, unsigned depth,
                                        const Hash& path, const NodeRef& left, const NodeRef& right,
                                        std::optional<LmdbError>& error);
  // Records that the node stored at (`node_version`, `depth`, `path`) is replaced by the
  // update under way (written to `stale_` under its version when it ends).
  void mark_stale(uint64_t node_version, unsigned depth, const Hash& path);

  MDB_dbi nodes_, roots_, stale_;
  Bytes stale_keys_;  // node keys (42 bytes each) the update under way replaced
};

Hash leaf_hash(const Hash& key, const Hash& value);
Hash internal_hash(const Hash& left, const Hash& right);

// The root of the tree holding exactly `leaves` (key hash, value hash; keys distinct),
// computed in memory from nothing stored: what a check of the stored tree compares with.
Hash root_of(std::vector<std::pair<Hash, Hash>> leaves);

// Checks a proof against a root alone: `value` set proves membership with that value hash,
// nullopt proves absence.
bool verify_proof(const Hash& root, const Hash& key, const std::optional<Hash>& value,
                  const Proof& proof);

}  // namespace assent::store
