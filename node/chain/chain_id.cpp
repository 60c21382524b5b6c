#include "node/chain/chain_id.hpp"

#include <openssl/rand.h>

#include "node/chain/transaction.hpp"
#include "vm/hex.hpp"

namespace assent::node {

Result<std::string, std::string> random_chain_id() {
  uint8_t bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return fail(std::string("OpenSSL could not make random bytes for a chain id"));
  return "assent-" + to_hex(std::span<const uint8_t>(bytes, sizeof bytes));
}

Result<std::optional<std::string>, store::LmdbError> stored_chain_id(const store::Store& store,
                                                                     const store::Txn& txn) {
  auto v = txn.get(store.db().meta, store::view(kChainIdKey));
  if (!v.ok()) return fail(v.error());
  if (!*v) return std::optional<std::string>();
  return std::optional<std::string>(std::string(store::text(**v)));
}

Result<std::string, std::string> settle_chain_id(store::Store& store,
                                                 const std::string& requested) {
  if (requested.size() > kMaxChainIdBytes)
    return fail("the chain id `" + requested + "` is longer than " +
                std::to_string(kMaxChainIdBytes) + " bytes");
  auto txn = store.begin_write();
  if (!txn.ok()) return fail("cannot write the store: " + txn.error().message);
  auto stored = stored_chain_id(store, *txn);
  if (!stored.ok()) return fail("cannot read the store: " + stored.error().message);
  if (const auto& kept = *stored) {
    if (requested.empty() || requested == *kept) return *kept;
    return fail("the store in `" + store.dir() + "` holds chain `" + *kept + "`, not `" +
                requested + "`: leave out --chain-id (or give `" + *kept + "`), or start chain `" +
                requested + "` in another data directory");
  }
  std::string id = requested;
  auto head = store::meta_u64(*txn, store.db(), "head");
  if (!head.ok()) return fail("cannot read the store: " + head.error().message);
  const bool has_blocks = head->value_or(0) > 0;
  if (has_blocks) {
    if (id.empty()) id = kOldDefaultChainId;
  } else if (id == kOldDefaultChainId) {
    return fail("a new chain cannot take the id `" + id +
                "`: every devnet had it, and each would take the others' transactions; leave "
                "out --chain-id for a random one, or give a name of your own");
  } else if (id.empty()) {
    auto made = random_chain_id();
    if (!made.ok()) return fail(made.error());
    id = *made;
  }
  if (auto e = txn->put(store.db().meta, store::view(kChainIdKey), store::view(id)))
    return fail("cannot write the chain id to the store: " + e->message);
  if (auto e = txn->commit()) return fail("cannot write the chain id to the store: " + e->message);
  return id;
}

}  // namespace assent::node
