// The keys of the state tree's leaves (docs/storage.md, "State root"): a leaf's key is
// SHA-256(tag | record key), where the tag names the database that holds the record. What a
// block changed (the executor) and what a check recomputes from every record (the chain's
// verify.cpp) are keyed here, once: two spellings of a tag would give two roots.
#pragma once

#include <optional>
#include <utility>

#include "node/store/store.hpp"

namespace assent::store {

// One row per kind of record the state tree covers: its code, its tag byte, its database.
#define ASSENT_STATE_TAGS(X)                                                            \
  /* contract address | contract key -> value */                                        \
  X(State, 's', state)                                                                  \
  /* contract address -> code id */                                                     \
  X(Contract, 'c', contracts)                                                           \
  /* `nonce:` | sender -> the sender's next nonce (only these meta names: chain.hpp) */ \
  X(Meta, 'm', meta)                                                                    \
  /* the consortium's records: members and registered contracts (node/chain/consortium) */ \
  X(Consortium, 'g', consortium)

enum class StateTag : uint8_t {
#define ASSENT_STATE_TAG_CODE(code, byte, database) code = byte,
  ASSENT_STATE_TAGS(ASSENT_STATE_TAG_CODE)
#undef ASSENT_STATE_TAG_CODE
};

// tag | first | second: how the executor names a changed record; its SHA-256 is the leaf's key.
Bytes tagged_key(StateTag tag, View first, View second = {});
// SHA-256 of tagged_key: the key of the record's leaf.
Hash leaf_key(StateTag tag, View first, View second = {});
// The database that holds the records of `tag`.
MDB_dbi database_of(StateTag tag, const Databases& db);
// The tag of a tagged key and the record's key in its database; nullopt when the first byte
// is no tag.
[[nodiscard]] std::optional<std::pair<StateTag, View>> untag(View tagged);

}  // namespace assent::store
