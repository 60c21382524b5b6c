#include "node/store/state_keys.hpp"

namespace assent::store {

Bytes tagged_key(StateTag tag, View first, View second) {
  Bytes out;
  out.reserve(1 + first.size() + second.size());
  out.push_back(static_cast<uint8_t>(tag));
  out.insert(out.end(), first.begin(), first.end());
  out.insert(out.end(), second.begin(), second.end());
  return out;
}

Hash leaf_key(StateTag tag, View first, View second) {
  return stdlib::sha256(tagged_key(tag, first, second));
}

MDB_dbi database_of(StateTag tag, const Databases& db) {
  switch (tag) {
#define ASSENT_STATE_TAG_DATABASE(code, byte, database) \
  case StateTag::code:                                  \
    return db.database;
    ASSENT_STATE_TAGS(ASSENT_STATE_TAG_DATABASE)
#undef ASSENT_STATE_TAG_DATABASE
  }
  return db.state;  // not reached: every tag has a row
}

std::optional<std::pair<StateTag, View>> untag(View tagged) {
  if (tagged.empty()) return std::nullopt;
  switch (tagged[0]) {
#define ASSENT_STATE_TAG_UNTAG(code, byte, database) \
  case byte:                                         \
    return std::pair{StateTag::code, tagged.subspan(1)};
    ASSENT_STATE_TAGS(ASSENT_STATE_TAG_UNTAG)
#undef ASSENT_STATE_TAG_UNTAG
  }
  return std::nullopt;
}

}  // namespace assent::store
