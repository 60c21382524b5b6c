#include "node/chain/genesis.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include "stdlib/crypto.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

using Json = abi::Json;

constexpr std::string_view kGenesisMeta = "genesis";

std::string known_roles() {
  std::string out;
  for (const auto& row : kMemberRoles) out += (out.empty() ? "" : ", ") + std::string(row.name);
  return out;
}

Result<Member, std::string> parse_member(const Json& j, const std::string& where) {
  if (!j.is_object()) return fail(where + " is not an object {name, key, roles, deploy}");
  for (const auto& [field, value] : j.items())
    if (field != "name" && field != "key" && field != "roles" && field != "deploy")
      return fail(where + " has the unknown field `" + field +
                  "` (a member has name, key, roles and deploy)");
  Member m;
  if (!j.contains("name") || !j["name"].is_string())
    return fail(where + ".name is missing or not a string");
  m.name = j["name"].get<std::string>();
  if (m.name.empty() || m.name.size() > kMaxMemberNameBytes)
    return fail(where + ".name is 1 to " + std::to_string(kMaxMemberNameBytes) + " bytes");
  if (!j.contains("key") || !j["key"].is_string())
    return fail(where + ".key is missing or not a string (the member's Ed25519 public key, "
                        "64 hex digits: `assent key show FILE`)");
  auto key = parse_hex(j["key"].get<std::string>());
  if (!key.ok() || key->size() != 32)
    return fail(where + ".key is not 64 hex digits (an Ed25519 public key)");
  std::copy(key->begin(), key->end(), m.key.begin());
  if (j.contains("roles")) {
    if (!j["roles"].is_array()) return fail(where + ".roles is not an array of role names");
    for (std::size_t i = 0; i < j["roles"].size(); ++i) {
      const Json& r = j["roles"][i];
      auto role = r.is_string() ? member_role_named(r.get<std::string>()) : std::nullopt;
      if (!role)
        return fail(where + ".roles[" + std::to_string(i) + "] is not a role (the roles: " +
                    known_roles() + ")");
      m.roles |= role_bit(*role);
    }
  }
  if (j.contains("deploy")) {
    if (!j["deploy"].is_boolean()) return fail(where + ".deploy is not true or false");
    m.may_deploy = j["deploy"].get<bool>();
  }
  return m;
}

}  // namespace

Result<Genesis, std::string> parse_genesis(const Json& json) {
  if (!json.is_object() || !json.contains("members") || !json["members"].is_array())
    return fail(std::string("a genesis is an object with `members`, an array of "
                            "{name, key, roles, deploy}"));
  for (const auto& [field, value] : json.items())
    if (field != "members")
      return fail("the genesis has the unknown field `" + field + "` (it has only `members`)");
  Genesis g;
  std::set<Identity> keys;
  bool registrar = false;
  for (std::size_t i = 0; i < json["members"].size(); ++i) {
    const std::string where = "members[" + std::to_string(i) + "]";
    auto m = parse_member(json["members"][i], where);
    if (!m.ok()) return fail(m.error());
    if (!keys.insert(m->key).second)
      return fail(where + ".key is another member's key too (one key, one member)");
    registrar = registrar || m->has(MemberRole::Registrar);
    g.members.push_back(std::move(m).value());
  }
  if (!g.members.empty() && !registrar)
    return fail(std::string("no member holds the registrar role, so nobody could govern the "
                            "chain: give one member \"roles\": [\"registrar\"]"));
  std::sort(g.members.begin(), g.members.end(),
            [](const Member& a, const Member& b) { return a.key < b.key; });
  return g;
}

Result<Genesis, std::string> read_genesis_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail("cannot read the genesis file `" + path + "`");
  Json json = Json::parse(in, nullptr, false);
  if (json.is_discarded()) return fail("the genesis file `" + path + "` is not JSON");
  auto g = parse_genesis(json);
  if (!g.ok()) return fail("the genesis file `" + path + "`: " + g.error());
  return g;
}

Json genesis_to_json(const Genesis& genesis) {
  Json members = Json::array();
  for (const Member& m : genesis.members)
    members.push_back(
        {{"name", m.name}, {"key", to_hex(m.key)}, {"roles", role_names(m.roles)}, {"deploy", m.may_deploy}});
  return Json{{"members", members}};
}

Hash genesis_hash(const Genesis& genesis) {
  store::Bytes all;
  for (const Member& m : genesis.members) {
    all.insert(all.end(), m.key.begin(), m.key.end());
    const store::Bytes record = consortium::encode_member(m);
    all.push_back(static_cast<uint8_t>(record.size()));
    all.insert(all.end(), record.begin(), record.end());
  }
  return stdlib::sha256(all);
}

Result<std::optional<Hash>, store::LmdbError> stored_genesis_hash(const store::Txn& txn,
                                                                 const store::Databases& db) {
  auto raw = txn.get(db.meta, store::view(kGenesisMeta));
  if (!raw.ok()) return fail(raw.error());
  if (!*raw || (*raw)->size() != 32) return std::optional<Hash>();
  Hash h{};
  std::copy((*raw)->begin(), (*raw)->end(), h.begin());
  return std::optional<Hash>(h);
}

std::optional<std::string> settle_genesis(store::Store& store, Executor& exec,
                                          const std::optional<Genesis>& genesis) {
  const auto& db = store.db();
  {
    auto read = store.begin_read();
    if (!read.ok()) return read.error().message;
    auto stored = stored_genesis_hash(*read, db);
    if (!stored.ok()) return stored.error().message;
    auto head = store::meta_u64(*read, db, "head");
    if (!head.ok()) return head.error().message;
    if (!genesis) return std::nullopt;  // the store's, or an open chain
    const Hash given = genesis_hash(*genesis);
    if (*stored && **stored == given) return std::nullopt;
    if (*stored)
      return "the store's chain was made with the genesis " + to_hex(**stored) +
             ", and this one is " + to_hex(given) + ": give the chain's own genesis file";
    if (head->value_or(0) > 0)
      return "the store's chain has " + std::to_string(**head) +
             " blocks and was made without a genesis; a genesis starts a new chain only (an "
             "empty data directory)";
  }
  auto run = exec.begin_block({0, 0});
  if (!run.ok()) return run.error().message;
  for (const Member& m : genesis->members) {
    const store::Bytes key = consortium::member_key(m.key);
    if (auto e = (*run)->txn().put(db.consortium, key, consortium::encode_member(m)))
      return e->message;
    (*run)->changed_record(store::StateTag::Consortium, key);
  }
  const Hash h = genesis_hash(*genesis);
  if (auto e = (*run)->txn().put(db.meta, store::view(kGenesisMeta), h)) return e->message;
  auto root = (*run)->finish();
  if (!root.ok()) return root.error().message;
  if (auto e = (*run)->commit()) return e->message;
  return std::nullopt;
}

}  // namespace assent::node
