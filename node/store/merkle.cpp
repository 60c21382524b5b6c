#include "node/store/merkle.hpp"

#include "node/store/store.hpp"
#include "vm/gcc_false_positives.hpp"

#include <algorithm>
#include <cstring>
#include <span>

namespace assent::store {

namespace {

bool bit(const Hash& h, unsigned i) {
  return (h[i / 8] >> (7 - i % 8)) & 1;
}
void set_bit(Hash& h, unsigned i) {
  h[i / 8] |= static_cast<uint8_t>(1u << (7 - i % 8));
}

// Stored node key: version (8, big-endian) | depth (2, big-endian) | path (32 bytes, the
// key bits above `depth`, the rest zero).
std::array<uint8_t, 42> node_key(uint64_t version, unsigned depth, const Hash& path) {
  std::array<uint8_t, 42> k{};
  for (int i = 0; i < 8; ++i)
    k[i] = static_cast<uint8_t>(version >> (56 - 8 * i));
  k[8] = static_cast<uint8_t>(depth >> 8);
  k[9] = static_cast<uint8_t>(depth);
  std::memcpy(k.data() + 10, path.data(), 32);
  return k;
}

std::array<uint8_t, 8> version_key(uint64_t version) {
  std::array<uint8_t, 8> k{};
  for (int i = 0; i < 8; ++i)
    k[i] = static_cast<uint8_t>(version >> (56 - 8 * i));
  return k;
}

void put_ref(Bytes& out, const NodeRef& r) {
  out.push_back(static_cast<uint8_t>(r.kind));
  out.insert(out.end(), r.hash.begin(), r.hash.end());
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<uint8_t>(r.version >> (56 - 8 * i)));
}

NodeRef get_ref(const uint8_t* p) {
  NodeRef r;
  r.kind = static_cast<NodeKind>(p[0]);
  std::memcpy(r.hash.data(), p + 1, 32);
  for (int i = 0; i < 8; ++i)
    r.version = (r.version << 8) | p[33 + i];
  return r;
}

constexpr std::size_t kRefBytes = 41;
constexpr std::size_t kNodeKeyBytes = 42;
constexpr std::size_t kLeafBytes = 65;                     // kind | key hash | value hash
constexpr std::size_t kInternalBytes = 1 + 2 * kRefBytes;  // kind | left | right

// The node stored at `key`, of `size` bytes: a tree that lacks a node one of its nodes
// names, or holds one of another size, is corrupted (reported as LMDB reports corruption).
Result<View, LmdbError> stored_node(const Txn& txn, MDB_dbi nodes, View key, std::size_t size,
                                    const char* what) {
  auto stored = txn.get(nodes, key);
  if (!stored.ok()) return fail(stored.error());
  if (!*stored || (*stored)->size() != size)
    return fail(LmdbError{MDB_CORRUPTED, std::string("the state tree is missing a ") + what});
  return **stored;
}

}  // namespace

Hash leaf_hash(const Hash& key, const Hash& value) {
  const uint8_t tag = 0;
  return stdlib::sha256({View(&tag, 1), key, value});
}

Hash internal_hash(const Hash& left, const Hash& right) {
  const uint8_t tag = 1;
  return stdlib::sha256({View(&tag, 1), left, right});
}

namespace {

// `leaves` sorted by key, all sharing their first `depth` bits.
Hash subtree_root(std::span<const std::pair<Hash, Hash>> leaves, unsigned depth) {
  if (leaves.empty()) return Hash{};
  if (leaves.size() == 1) return leaf_hash(leaves[0].first, leaves[0].second);
  auto split = std::partition_point(leaves.begin(), leaves.end(),
                                    [depth](const auto& l) { return !bit(l.first, depth); });
  const auto at = static_cast<std::size_t>(split - leaves.begin());
  return internal_hash(subtree_root(leaves.first(at), depth + 1),
                       subtree_root(leaves.subspan(at), depth + 1));
}

}  // namespace

Hash root_of(std::vector<std::pair<Hash, Hash>> leaves) {
  std::sort(leaves.begin(), leaves.end());
  return subtree_root(leaves, 0);
}

Result<NodeRef, LmdbError> MerkleTree::root(const Txn& txn, uint64_t version) const {
  auto k = version_key(version);
  auto v = txn.get(roots_, k);
  if (!v.ok()) return fail(v.error());
  if (!*v) return NodeRef{};
  if ((*v)->size() != kRefBytes)
    return fail(LmdbError{MDB_CORRUPTED, "the state tree's root of version " +
                                             std::to_string(version) + " is not a node reference"});
  return get_ref((*v)->data());
}

void MerkleTree::mark_stale(uint64_t node_version, unsigned depth, const Hash& path) {
  const auto k = node_key(node_version, depth, path);
  stale_keys_.insert(stale_keys_.end(), k.begin(), k.end());
}

std::optional<NodeRef> MerkleTree::write_internal(Txn& txn, uint64_t version, unsigned depth,
                                                  const Hash& path, const NodeRef& left,
                                                  const NodeRef& right,
                                                  std::optional<LmdbError>& error) {
  Bytes node{static_cast<uint8_t>(NodeKind::Internal)};
  put_ref(node, left);
  put_ref(node, right);
  if (auto e = txn.put(nodes_, node_key(version, depth, path), node)) {
    error = e;
    return std::nullopt;
  }
  return NodeRef{NodeKind::Internal, internal_hash(left.hash, right.hash), version};
}

// Joins two subtrees at `depth`: an empty pair is empty, a leaf alone rises to this position
// (copied there at this version), anything else is an internal node.
std::optional<NodeRef> MerkleTree::join(Txn& txn, uint64_t version, unsigned depth,
                                        const Hash& path, const Hash& right_path,
                                        const NodeRef& left, const NodeRef& right,
                                        std::optional<LmdbError>& error) {
  if (left.kind == NodeKind::Empty && right.kind == NodeKind::Empty) return NodeRef{};
  const bool left_alone = left.kind == NodeKind::Leaf && right.kind == NodeKind::Empty;
  const bool right_alone = right.kind == NodeKind::Leaf && left.kind == NodeKind::Empty;
  if (!left_alone && !right_alone)
    return write_internal(txn, version, depth, path, left, right, error);
  const NodeRef& leaf = left_alone ? left : right;
  auto stored =
      stored_node(txn, nodes_, node_key(leaf.version, depth + 1, left_alone ? path : right_path),
                  kLeafBytes, "leaf");
  if (!stored.ok()) {
    error = stored.error();
    return std::nullopt;
  }
  const Bytes copy(stored->begin(), stored->end());
  if (auto e = txn.put(nodes_, node_key(version, depth, path), copy)) {
    error = e;
    return std::nullopt;
  }
  mark_stale(leaf.version, depth + 1, left_alone ? path : right_path);
  return NodeRef{NodeKind::Leaf, leaf.hash, version};
}

std::optional<NodeRef> MerkleTree::build(Txn& txn, uint64_t version, unsigned depth,
                                         const Hash& path, std::vector<Leaf> leaves,
                                         std::optional<LmdbError>& error) {
  if (leaves.empty()) return NodeRef{};
  if (leaves.size() == 1) {
    Bytes node{static_cast<uint8_t>(NodeKind::Leaf)};
    node.insert(node.end(), leaves[0].key.begin(), leaves[0].key.end());
    node.insert(node.end(), leaves[0].value.begin(), leaves[0].value.end());
    if (auto e = txn.put(nodes_, node_key(version, depth, path), node)) {
      error = e;
      return std::nullopt;
    }
    return NodeRef{NodeKind::Leaf, leaf_hash(leaves[0].key, leaves[0].value), version};
  }
  std::vector<Leaf> zero, one;
  for (auto& l : leaves)
    (bit(l.key, depth) ? one : zero).push_back(l);
  Hash right_path = path;
  set_bit(right_path, depth);
  auto left = build(txn, version, depth + 1, path, std::move(zero), error);
  if (!left) return std::nullopt;
  auto right = build(txn, version, depth + 1, right_path, std::move(one), error);
  if (!right) return std::nullopt;
  return join(txn, version, depth, path, right_path, *left, *right, error);
}

std::optional<NodeRef> MerkleTree::update_node(Txn& txn, uint64_t version, unsigned depth,
                                               const Hash& path, const NodeRef& node,
                                               std::span<const Change> changes,
                                               std::optional<LmdbError>& error) {
  if (changes.empty()) return node;
  if (node.kind != NodeKind::Internal) {
    std::vector<Leaf> leaves;
    bool replaced = false;
    Leaf old{};
    if (node.kind == NodeKind::Leaf) {
      auto stored =
          stored_node(txn, nodes_, node_key(node.version, depth, path), kLeafBytes, "leaf");
      if (!stored.ok()) {
        error = stored.error();
        return std::nullopt;
      }
      std::memcpy(old.key.data(), stored->data() + 1, 32);
      std::memcpy(old.value.data(), stored->data() + 33, 32);
    }
    for (const auto& c : changes) {
      if (node.kind == NodeKind::Leaf && c.key == old.key) replaced = true;
      if (c.value) leaves.push_back({c.key, *c.value});
    }
    if (node.kind == NodeKind::Leaf && !replaced) leaves.push_back(old);
    if (node.kind == NodeKind::Leaf) mark_stale(node.version, depth, path);
    return build(txn, version, depth, path, std::move(leaves), error);
  }
  auto stored =
      stored_node(txn, nodes_, node_key(node.version, depth, path), kInternalBytes, "node");
  if (!stored.ok()) {
    error = stored.error();
    return std::nullopt;
  }
  const NodeRef old_left = get_ref(stored->data() + 1),
                old_right = get_ref(stored->data() + 1 + kRefBytes);
  // Changes are sorted by key, so those with bit 0 here come first.
  const auto split = std::partition_point(changes.begin(), changes.end(),
                                          [&](const Change& c) { return !bit(c.key, depth); });
  Hash right_path = path;
  set_bit(right_path, depth);
  auto left =
      update_node(txn, version, depth + 1, path, old_left,
                  changes.subspan(0, static_cast<std::size_t>(split - changes.begin())), error);
  if (!left) return std::nullopt;
  auto right =
      update_node(txn, version, depth + 1, right_path, old_right,
                  changes.subspan(static_cast<std::size_t>(split - changes.begin())), error);
  if (!right) return std::nullopt;
  if (left->hash == old_left.hash && left->version == old_left.version &&
      right->hash == old_right.hash && right->version == old_right.version)
    return node;
  mark_stale(node.version, depth, path);
  return join(txn, version, depth, path, right_path, *left, *right, error);
}

Result<uint64_t, LmdbError> MerkleTree::awaiting_pruning(const Txn& txn) const {
  uint64_t nodes = 0;
  if (auto e = txn.scan(stale_, {}, [&](View, View v) {
        nodes += v.size() / kNodeKeyBytes;
        return true;
      }))
    return fail(*e);
  return nodes;
}

Result<uint64_t, LmdbError> MerkleTree::oldest_version(const Txn& txn) const {
  auto first = txn.seek(roots_, {});
  if (!first.ok()) return fail(first.error());
  const auto& entry = *first;
  return entry && entry->first.size() == 8 ? std::max<uint64_t>(1, read_be64(entry->first))
                                           : uint64_t{1};
}

// Sorting the keys: vm/gcc_false_positives.hpp (vector<uint8_t>'s <=>).
ASSENT_GCC_FALSE_POSITIVE("-Wstringop-overread")
Result<uint64_t, LmdbError> MerkleTree::prune(Txn& txn, uint64_t oldest) {
  // A node replaced at version s is needed by versions before s only: it goes once s <= oldest.
  // The index entries are at the front of `stale_`, in order; the nodes are deleted in their
  // own key order (by version first), which touches each page of `nodes_` once.
  std::vector<Bytes> stale, nodes;
  if (auto e = txn.scan(stale_, {}, [&](View k, View v) {
        if (k.size() != 8 || read_be64(k) > oldest) return false;
        stale.emplace_back(k.begin(), k.end());
        for (std::size_t at = 0; at + kNodeKeyBytes <= v.size(); at += kNodeKeyBytes)
          nodes.emplace_back(v.begin() + static_cast<long>(at),
                             v.begin() + static_cast<long>(at + kNodeKeyBytes));
        return true;
      }))
    return fail(*e);
  std::sort(nodes.begin(), nodes.end());
  if (auto gone = txn.del_sorted(nodes_, nodes); !gone.ok()) return fail(gone.error());
  if (auto gone = txn.del_sorted(stale_, stale); !gone.ok()) return fail(gone.error());
  std::vector<Bytes> roots;
  if (auto e = txn.scan(roots_, {}, [&](View k, View) {
        if (k.size() != 8 || read_be64(k) >= oldest) return false;
        roots.emplace_back(k.begin(), k.end());
        return true;
      }))
    return fail(*e);
  for (const Bytes& k : roots)
    if (auto gone = txn.del(roots_, k); !gone.ok()) return fail(gone.error());
  return static_cast<uint64_t>(nodes.size());
}
ASSENT_GCC_FALSE_POSITIVE_END

Result<NodeRef, LmdbError> MerkleTree::update(Txn& txn, uint64_t base, uint64_t version,
                                              std::vector<Change> changes) {
  // By key, and in the order given among changes of one key: the last one given wins.
  std::vector<std::size_t> order(changes.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return changes[a].key < changes[b].key || (changes[a].key == changes[b].key && a < b);
  });
  std::vector<Change> unique;
  for (std::size_t i : order) {
    if (!unique.empty() && unique.back().key == changes[i].key)
      unique.back() = changes[i];
    else
      unique.push_back(changes[i]);
  }
  std::optional<LmdbError> error;
  stale_keys_.clear();
  auto base_root = root(txn, base);
  if (!base_root.ok()) return fail(base_root.error());
  auto root_ref = update_node(txn, version, 0, Hash{}, *base_root, unique, error);
  if (!root_ref) return fail(*error);
  // The nodes this version replaced, in one entry: one write a block, however many nodes.
  if (!stale_keys_.empty()) {
    const auto k = version_key(version);
    auto earlier = txn.get(stale_, k);
    if (!earlier.ok()) return fail(earlier.error());
    if (*earlier) stale_keys_.insert(stale_keys_.begin(), (*earlier)->begin(), (*earlier)->end());
    if (auto e = txn.put(stale_, k, stale_keys_)) return fail(*e);
    stale_keys_.clear();
  }
  Bytes encoded;
  put_ref(encoded, *root_ref);
  if (auto e = txn.put(roots_, version_key(version), encoded)) return fail(*e);
  return *root_ref;
}

Result<Proof, LmdbError> MerkleTree::prove(const Txn& txn, uint64_t version,
                                           const Hash& key) const {
  auto oldest = oldest_version(txn);
  if (!oldest.ok()) return fail(oldest.error());
  if (version > 0 && version < *oldest)
    return fail(LmdbError{MDB_NOTFOUND, "the state tree of version " + std::to_string(version) +
                                            " was pruned (versions from " +
                                            std::to_string(*oldest) + " are kept)"});
  Proof proof;
  auto top = root(txn, version);
  if (!top.ok()) return fail(top.error());
  NodeRef ref = *top;
  Hash path{};
  for (unsigned depth = 0; ref.kind == NodeKind::Internal; ++depth) {
    auto stored =
        stored_node(txn, nodes_, node_key(ref.version, depth, path), kInternalBytes, "node");
    if (!stored.ok()) return fail(stored.error());
    const NodeRef left = get_ref(stored->data() + 1),
                  right = get_ref(stored->data() + 1 + kRefBytes);
    if (bit(key, depth)) {
      proof.siblings.push_back(left.hash);
      set_bit(path, depth);
      ref = right;
    } else {
      proof.siblings.push_back(right.hash);
      ref = left;
    }
  }
  if (ref.kind == NodeKind::Leaf) {
    auto stored = stored_node(
        txn, nodes_, node_key(ref.version, static_cast<unsigned>(proof.siblings.size()), path),
        kLeafBytes, "leaf");
    if (!stored.ok()) return fail(stored.error());
    Hash k, v;
    std::memcpy(k.data(), stored->data() + 1, 32);
    std::memcpy(v.data(), stored->data() + 33, 32);
    proof.leaf = {{k, v}};
  }
  return proof;
}

bool verify_proof(const Hash& root, const Hash& key, const std::optional<Hash>& value,
                  const Proof& proof) {
  const auto depth = static_cast<unsigned>(proof.siblings.size());
  if (depth > 256) return false;
  Hash h{};
  if (proof.leaf) {
    const auto& [leaf_key, leaf_value] = *proof.leaf;
    for (unsigned i = 0; i < depth; ++i)
      if (bit(leaf_key, i) != bit(key, i)) return false;  // the leaf is not on the key's path
    if (value) {
      if (leaf_key != key || leaf_value != *value) return false;
    } else if (leaf_key == key) {
      return false;
    }
    h = leaf_hash(leaf_key, leaf_value);
  } else if (value) {
    return false;
  }
  for (unsigned i = depth; i-- > 0;)
    h = bit(key, i) ? internal_hash(proof.siblings[i], h) : internal_hash(h, proof.siblings[i]);
  return h == root;
}

Bytes Proof::encode() const {
  Bytes out;
  out.push_back(static_cast<uint8_t>(siblings.size() >> 8));
  out.push_back(static_cast<uint8_t>(siblings.size()));
  for (const auto& s : siblings)
    out.insert(out.end(), s.begin(), s.end());
  out.push_back(leaf ? 1 : 0);
  if (leaf) {
    out.insert(out.end(), leaf->first.begin(), leaf->first.end());
    out.insert(out.end(), leaf->second.begin(), leaf->second.end());
  }
  return out;
}

std::optional<Proof> Proof::decode(View bytes) {
  if (bytes.size() < 3) return std::nullopt;
  const std::size_t count = (std::size_t{bytes[0]} << 8) | bytes[1];
  if (count > 256 || bytes.size() < 2 + 32 * count + 1) return std::nullopt;
  Proof p;
  p.siblings.resize(count);
  for (std::size_t i = 0; i < count; ++i)
    std::memcpy(p.siblings[i].data(), bytes.data() + 2 + 32 * i, 32);
  const std::size_t at = 2 + 32 * count;
  if (bytes[at] == 0 && bytes.size() == at + 1) return p;
  if (bytes[at] != 1 || bytes.size() != at + 65) return std::nullopt;
  Hash k, v;
  std::memcpy(k.data(), bytes.data() + at + 1, 32);
  std::memcpy(v.data(), bytes.data() + at + 33, 32);
  p.leaf = {{k, v}};
  return p;
}

}  // namespace assent::store
