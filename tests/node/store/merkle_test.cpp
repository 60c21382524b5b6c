// The state tree: roots independent of update order, equal to a from-scratch reference,
// versions kept (and pruned), and proofs that verify while tampered ones do not.
// GCC 12 reports comparisons of std::set<Bytes>'s keys (vector<uint8_t>'s <=>) inside
// libstdc++'s out-of-line code, which only a pragma ahead of every include reaches
// (vm/gcc_false_positives.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "node/store/merkle.hpp"
#include "node/store/store.hpp"

namespace fs = std::filesystem;
using namespace assent;
using store::Change;
using store::Hash;

namespace {

struct TempStore {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  explicit TempStore(const std::string& name) {
    dir = fs::temp_directory_path() / ("assent-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    store = std::move(s).value();
  }
  ~TempStore() {
    store.reset();
    fs::remove_all(dir);
  }
};

Hash key_of(uint64_t i) {
  const auto b = store::be64(i);
  return stdlib::sha256({std::span<const uint8_t>(b), store::view("key")});
}
Hash value_of(uint64_t i, uint64_t version) {
  const auto a = store::be64(i), b = store::be64(version);
  return stdlib::sha256({std::span<const uint8_t>(a), std::span<const uint8_t>(b)});
}

bool bit(const Hash& h, unsigned i) {
  return (h[i / 8] >> (7 - i % 8)) & 1;
}

// The definition of the root, computed from scratch: a lone leaf stands where it is alone.
Hash reference_root(std::vector<std::pair<Hash, Hash>> leaves, unsigned depth = 0) {
  if (leaves.empty()) return Hash{};
  if (leaves.size() == 1) return store::leaf_hash(leaves[0].first, leaves[0].second);
  std::vector<std::pair<Hash, Hash>> zero, one;
  for (auto& l : leaves)
    (bit(l.first, depth) ? one : zero).push_back(l);
  return store::internal_hash(reference_root(zero, depth + 1), reference_root(one, depth + 1));
}

Hash apply(store::Store& s, uint64_t base, uint64_t version, const std::vector<Change>& changes) {
  auto txn = s.begin_write();
  REQUIRE(txn.ok());
  auto root = s.tree().update(*txn, base, version, changes);
  REQUIRE(root.ok());
  REQUIRE(!txn->commit());
  return root->hash;
}

}  // namespace

TEST_CASE("state tree: empty, one key, and the reference definition") {
  TempStore t("tree1");
  auto txn = t.store->begin_read();
  REQUIRE(txn.ok());
  CHECK(t.store->tree().root(*txn, 0)->hash == Hash{});
  txn->abort();

  const Hash root = apply(*t.store, 0, 1, {{key_of(1), value_of(1, 1)}});
  CHECK(root == store::leaf_hash(key_of(1), value_of(1, 1)));

  std::vector<Change> changes;
  std::vector<std::pair<Hash, Hash>> leaves;
  for (uint64_t i = 0; i < 500; ++i) {
    changes.push_back({key_of(i), value_of(i, 2)});
    leaves.push_back({key_of(i), value_of(i, 2)});
  }
  CHECK(apply(*t.store, 1, 2, changes) == reference_root(leaves));
}

TEST_CASE("state tree: the root depends on the contents, not the order of updates") {
  TempStore a("tree-a"), b("tree-b");
  std::mt19937_64 rng(42);
  std::map<Hash, Hash> contents;
  std::vector<Change> all;
  for (uint64_t i = 0; i < 300; ++i)
    all.push_back({key_of(i), value_of(i, 0)});
  // a: everything in one version; b: in random batches over many versions, with deletes and
  // re-inserts on the way.
  const Hash root_a = apply(*a.store, 0, 1, all);
  std::shuffle(all.begin(), all.end(), rng);
  uint64_t version = 0;
  for (std::size_t i = 0; i < all.size(); i += 37) {
    std::vector<Change> batch(all.begin() + static_cast<long>(i),
                              all.begin() + static_cast<long>(std::min(i + 37, all.size())));
    batch.push_back({key_of(1000 + i), value_of(i, 9)});  // a key that comes and goes
    apply(*b.store, version, version + 1, batch);
    ++version;
    apply(*b.store, version, version + 1, {{key_of(1000 + i), std::nullopt}});
    ++version;
  }
  auto txn = b.store->begin_read();
  REQUIRE(txn.ok());
  CHECK(b.store->tree().root(*txn, version)->hash == root_a);
}

TEST_CASE("state tree: deleting every key gives the empty root; old versions remain") {
  TempStore t("tree-del");
  std::vector<Change> add, remove;
  for (uint64_t i = 0; i < 100; ++i) {
    add.push_back({key_of(i), value_of(i, 1)});
    remove.push_back({key_of(i), std::nullopt});
  }
  const Hash full = apply(*t.store, 0, 1, add);
  CHECK(apply(*t.store, 1, 2, remove) == Hash{});
  auto txn = t.store->begin_read();
  REQUIRE(txn.ok());
  CHECK(t.store->tree().root(*txn, 1)->hash == full);
  auto proof = t.store->tree().prove(*txn, 1, key_of(5));
  REQUIRE(proof.ok());
  CHECK(store::verify_proof(full, key_of(5), value_of(5, 1), *proof));
}

TEST_CASE("state tree: proofs of presence and absence verify; tampered ones do not") {
  TempStore t("tree-proof");
  std::vector<Change> add;
  for (uint64_t i = 0; i < 1000; ++i)
    add.push_back({key_of(i), value_of(i, 1)});
  const Hash root = apply(*t.store, 0, 1, add);
  auto txn = t.store->begin_read();
  REQUIRE(txn.ok());
  for (uint64_t i : {0ull, 17ull, 999ull}) {
    auto proof = t.store->tree().prove(*txn, 1, key_of(i));
    REQUIRE(proof.ok());
    CHECK(store::verify_proof(root, key_of(i), value_of(i, 1), *proof));
    CHECK_FALSE(store::verify_proof(root, key_of(i), value_of(i, 2), *proof));  // wrong value
    CHECK_FALSE(store::verify_proof(root, key_of(i), std::nullopt, *proof));    // claims absence
    auto again = store::Proof::decode(proof->encode());
    REQUIRE(again.has_value());
    CHECK(store::verify_proof(root, key_of(i), value_of(i, 1), *again));
    auto tampered = *proof;
    tampered.siblings[tampered.siblings.size() / 2][0] ^= 1;
    CHECK_FALSE(store::verify_proof(root, key_of(i), value_of(i, 1), tampered));
    auto truncated = *proof;
    truncated.siblings.pop_back();
    CHECK_FALSE(store::verify_proof(root, key_of(i), value_of(i, 1), truncated));
  }
  for (uint64_t i : {5000ull, 5001ull, 77777ull}) {
    auto proof = t.store->tree().prove(*txn, 1, key_of(i));
    REQUIRE(proof.ok());
    CHECK(store::verify_proof(root, key_of(i), std::nullopt, *proof));
    CHECK_FALSE(store::verify_proof(root, key_of(i), value_of(i, 1), *proof));
    // Absence cannot be proved with some other key's leaf from elsewhere in the tree.
    auto other = t.store->tree().prove(*txn, 1, key_of(3));
    REQUIRE(other.ok());
    CHECK_FALSE(store::verify_proof(root, key_of(i), std::nullopt, *other));
  }
  CHECK_FALSE(store::Proof::decode(std::vector<uint8_t>{0, 1, 2}).has_value());
}

namespace {

// The stored node keys reachable from the root of `version` (docs/storage.md: a node is
// stored at version | depth | path; an internal node holds each child's kind, hash and
// version).
void reachable(const store::Txn& txn, const store::Databases& db, uint8_t kind, uint64_t version,
               unsigned depth, Hash path, std::set<store::Bytes>& out) {
  if (kind == 0) return;
  const auto v = store::be64(version);
  store::Bytes key(v.begin(), v.end());
  key.push_back(static_cast<uint8_t>(depth >> 8));
  key.push_back(static_cast<uint8_t>(depth));
  key.insert(key.end(), path.begin(), path.end());
  auto found = txn.get(db.tree_nodes, key);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  const store::View node = **found;
  out.insert(key);
  if (kind != 2) return;
  REQUIRE(node.size() == 83);
  for (int side = 0; side < 2; ++side) {
    const uint8_t* ref = node.data() + 1 + 41 * side;
    Hash child_path = path;
    if (side == 1) child_path[depth / 8] |= static_cast<uint8_t>(1u << (7 - depth % 8));
    reachable(txn, db, ref[0], store::read_be64(store::View(ref + 33, 8)), depth + 1, child_path,
              out);
  }
}

}  // namespace

TEST_CASE("state tree: pruning keeps the last versions whole, and nothing older") {
  TempStore t("tree-prune");
  std::mt19937_64 rng(7);
  std::map<Hash, Hash> contents;
  std::map<uint64_t, Hash> roots;
  std::map<uint64_t, std::map<Hash, Hash>> history;
  const uint64_t keep = 5, versions = 40;
  for (uint64_t v = 1; v <= versions; ++v) {
    // Inserts, updates and deletes, so that leaves sink, rise and vanish.
    std::vector<Change> changes;
    for (int i = 0; i < 25; ++i) {
      const uint64_t k = rng() % 120;
      if (rng() % 3 == 0) {
        changes.push_back({key_of(k), std::nullopt});
        contents.erase(key_of(k));
      } else {
        changes.push_back({key_of(k), value_of(k, v)});
        contents[key_of(k)] = value_of(k, v);
      }
    }
    auto txn = t.store->begin_write();
    REQUIRE(txn.ok());
    auto root = t.store->tree().update(*txn, v - 1, v, changes);
    REQUIRE(root.ok());
    if (v > keep) REQUIRE(t.store->tree().prune(*txn, v - keep + 1).ok());
    REQUIRE_FALSE(txn->commit());
    roots[v] = root->hash;
    history[v] = contents;
  }
  auto txn = t.store->begin_read();
  REQUIRE(txn.ok());
  const uint64_t oldest = versions - keep + 1;
  CHECK(t.store->tree().oldest_version(*txn).value() == oldest);
  std::set<store::Bytes> live;
  for (uint64_t v = oldest; v <= versions; ++v) {
    const auto root = t.store->tree().root(*txn, v).value();
    CHECK(root.hash == roots[v]);
    std::vector<std::pair<Hash, Hash>> leaves(history[v].begin(), history[v].end());
    CHECK(store::root_of(leaves) == roots[v]);
    reachable(*txn, t.store->db(), static_cast<uint8_t>(root.kind), root.version, 0, Hash{}, live);
    for (uint64_t k = 0; k < 120; k += 7) {  // every kept version still proves its contents
      auto proof = t.store->tree().prove(*txn, v, key_of(k));
      REQUIRE(proof.ok());
      auto it = history[v].find(key_of(k));
      CHECK(store::verify_proof(roots[v], key_of(k),
                                it == history[v].end() ? std::nullopt : std::optional(it->second),
                                *proof));
    }
  }
  // Nothing is stored but what the kept versions reach, and nodes already replaced that the
  // pruning of a later version removes (a leaf made and raised in one update, say).
  std::set<store::Bytes> pending;
  REQUIRE_FALSE(txn->scan(t.store->db().tree_stale, {}, [&](store::View k, store::View v) {
    CHECK(store::read_be64(k) > oldest);
    CHECK(v.size() % 42 == 0);
    for (std::size_t at = 0; at + 42 <= v.size(); at += 42)
      pending.insert(
          store::Bytes(v.begin() + static_cast<long>(at), v.begin() + static_cast<long>(at + 42)));
    return true;
  }));
  uint64_t stored = 0, neither = 0;
  REQUIRE_FALSE(txn->scan(t.store->db().tree_nodes, {}, [&](store::View k, store::View) {
    ++stored;
    const store::Bytes key(k.begin(), k.end());
    if (!live.contains(key) && !pending.contains(key)) ++neither;
    return true;
  }));
  CHECK(neither == 0);
  CHECK(stored >= live.size());
  CHECK(stored < live.size() + pending.size() + 1);
  auto pruned = t.store->tree().prove(*txn, oldest - 1, key_of(1));
  REQUIRE_FALSE(pruned.ok());
  CHECK(pruned.error().message.find("was pruned") != std::string::npos);
}
