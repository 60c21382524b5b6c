// The state tree: roots independent of update order, equal to a from-scratch reference,
// versions kept, and proofs that verify while tampered ones do not.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

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
  CHECK(t.store->tree().root(*txn, 0).hash == Hash{});
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
  CHECK(b.store->tree().root(*txn, version).hash == root_a);
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
  CHECK(t.store->tree().root(*txn, 1).hash == full);
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
