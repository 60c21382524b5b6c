// The state tree's leaf keys (node/store/state_keys.hpp): the tag bytes are part of every
// state root (docs/storage.md, "State root"), so they are pinned here; a tagged key comes
// apart into its tag and record key; each tag names its database.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "node/store/state_keys.hpp"

using namespace assent;
using store::StateTag;

TEST_CASE("state keys: tags are the bytes every root was computed with") {
  CHECK(static_cast<char>(StateTag::State) == 's');
  CHECK(static_cast<char>(StateTag::Contract) == 'c');
  CHECK(static_cast<char>(StateTag::Meta) == 'm');
  CHECK(static_cast<char>(StateTag::Consortium) == 'g');
  const store::Bytes address(32, 7), key{1, 2};
  const store::Bytes tagged = store::tagged_key(StateTag::State, address, key);
  REQUIRE(tagged.size() == 35);
  CHECK(tagged[0] == 's');
  CHECK(store::leaf_key(StateTag::State, address, key) == stdlib::sha256(tagged));
  auto back = store::untag(tagged);
  REQUIRE(back.has_value());
  CHECK(back->first == StateTag::State);
  CHECK(store::Bytes(back->second.begin(), back->second.end()) ==
        store::Bytes{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                     7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 1, 2});
  CHECK_FALSE(store::untag(store::Bytes{'x', 1}).has_value());
  CHECK_FALSE(store::untag(store::View{}).has_value());
}

TEST_CASE("state keys: each tag names the database of its records") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("assent-state-keys-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    const auto& db = (*s)->db();
    CHECK(store::database_of(StateTag::State, db) == db.state);
    CHECK(store::database_of(StateTag::Contract, db) == db.contracts);
    CHECK(store::database_of(StateTag::Meta, db) == db.meta);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("store: a named number that is not 8 bytes is damage, never absent") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("assent-meta-u64-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    auto w = (*s)->begin_write();
    REQUIRE(w.ok());
    REQUIRE_FALSE(w->put((*s)->db().meta, store::view("head"), store::Bytes{1, 2, 3}));
    REQUIRE_FALSE(w->put((*s)->db().meta, store::view("event_seq"), store::be64(7)));
    auto head = store::meta_u64(*w, (*s)->db(), "head");
    REQUIRE_FALSE(head.ok());
    CHECK(head.error().code == MDB_CORRUPTED);
    CHECK(head.error().message.find("`head` is 3 bytes") != std::string::npos);
    CHECK(store::meta_u64(*w, (*s)->db(), "event_seq").value() == 7u);
    CHECK_FALSE(store::meta_u64(*w, (*s)->db(), "absent").value().has_value());
    w->abort();
  }
  std::filesystem::remove_all(dir);
}
