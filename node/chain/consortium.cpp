#include "node/chain/consortium.hpp"

#include <algorithm>

#include "vm/hex.hpp"
#include "vm/table_rows.hpp"

namespace assent::node {

namespace {

// The records' key prefixes in the `consortium` database.
constexpr uint8_t kMemberPrefix = 'M';   // 'M' | key -> member record
constexpr uint8_t kNamePrefix = 'N';     // 'N' | name -> contract address
constexpr uint8_t kAddressPrefix = 'A';  // 'A' | address -> name

// Sized once, then filled: GCC 12 warns (-Warray-bounds, a false positive) on a one-byte
// vector grown by insert.
store::Bytes prefixed(uint8_t prefix, store::View rest) {
  store::Bytes out(1 + rest.size());
  out[0] = prefix;
  std::copy(rest.begin(), rest.end(), out.begin() + 1);
  return out;
}

ReadFailure store_failure(const store::LmdbError& e) {
  return ReadFailure{ReadError::Store, "the store failed reading the consortium: " + e.message};
}
ReadFailure corrupt(std::string what) {
  return ReadFailure{ReadError::Corrupt, "the consortium's record " + what + " does not decode"};
}

// roles | may_deploy | name length | name
std::optional<Member> decode_member(const Identity& key, store::View v) {
  if (v.size() < 3 || v.size() != 3u + v[2]) return std::nullopt;
  Member m;
  m.key = key;
  m.roles = v[0];
  m.may_deploy = v[1] != 0;
  m.name.assign(v.begin() + 3, v.end());
  return m;
}

Identity identity_of(store::View bytes) {
  Identity id{};
  std::copy_n(bytes.begin(), std::min(bytes.size(), id.size()), id.begin());
  return id;
}

std::string name_of_member(const Member& m) {
  return "`" + m.name + "` (" + to_hex(m.key) + ")";
}

}  // namespace

static_assert(rows_in_enum_order(kMemberRoles), "kMemberRoles is indexed by MemberRole");
static_assert(rows_in_enum_order(kGovernanceOps), "kGovernanceOps is indexed by GovernanceOp");

std::optional<MemberRole> member_role_named(std::string_view name) {
  return code_named(kMemberRoles, name);
}

std::vector<std::string> role_names(RoleSet roles) {
  std::vector<std::string> out;
  for (const auto& row : kMemberRoles)
    if (roles & role_bit(row.code)) out.emplace_back(row.name);
  return out;
}

std::optional<std::string> contract_name_problem(std::string_view name) {
  if (name.empty()) return "a contract's name is empty";
  if (name.size() > kMaxContractNameBytes)
    return "a contract's name is at most " + std::to_string(kMaxContractNameBytes) + " bytes";
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!letter(name[0])) return "a contract's name starts with a letter";
  for (char c : name)
    if (!letter(c) && !digit(c) && c != '_')
      return "a contract's name holds only letters, digits and `_`";
  return std::nullopt;
}

namespace consortium {

store::Bytes member_key(const Identity& key) {
  return prefixed(kMemberPrefix, key);
}
store::Bytes name_key(std::string_view name) {
  return prefixed(kNamePrefix, store::view(name));
}
store::Bytes address_key(const Identity& address) {
  return prefixed(kAddressPrefix, address);
}

store::Bytes encode_member(const Member& m) {
  store::Bytes out(3 + m.name.size());
  out[0] = m.roles;
  out[1] = m.may_deploy ? 1 : 0;
  out[2] = static_cast<uint8_t>(m.name.size());
  std::copy(m.name.begin(), m.name.end(), out.begin() + 3);
  return out;
}

Read<Member> member(const store::Txn& txn, const store::Databases& db, const Identity& key) {
  auto raw = txn.get(db.consortium, member_key(key));
  if (!raw.ok()) return fail(store_failure(raw.error()));
  if (!*raw) return std::optional<Member>();
  auto m = decode_member(key, **raw);
  if (!m) return fail(corrupt("of member " + to_hex(key)));
  return m;
}

Result<std::vector<Member>, ReadFailure> members(const store::Txn& txn,
                                                 const store::Databases& db) {
  std::vector<Member> out;
  bool bad = false;
  const store::Bytes from{kMemberPrefix};
  auto e = txn.scan(db.consortium, from, [&](store::View k, store::View v) {
    if (k.empty() || k[0] != kMemberPrefix) return false;
    if (k.size() != 33) return !(bad = true);
    auto m = decode_member(identity_of(k.subspan(1)), v);
    if (!m) return !(bad = true);
    out.push_back(std::move(*m));
    return true;
  });
  if (e) return fail(store_failure(*e));
  if (bad) return fail(corrupt("of a member"));
  return out;
}

Result<bool, ReadFailure> is_open(const store::Txn& txn, const store::Databases& db) {
  auto first = txn.seek(db.consortium, store::Bytes{kMemberPrefix});
  if (!first.ok()) return fail(store_failure(first.error()));
  return !*first || (*first)->first.empty() || (*first)->first[0] != kMemberPrefix;
}

Read<Identity> address_of(const store::Txn& txn, const store::Databases& db,
                          std::string_view name) {
  auto raw = txn.get(db.consortium, name_key(name));
  if (!raw.ok()) return fail(store_failure(raw.error()));
  if (!*raw) return std::optional<Identity>();
  if ((*raw)->size() != 32) return fail(corrupt("of the name `" + std::string(name) + "`"));
  return std::optional<Identity>(identity_of(**raw));
}

Read<std::string> name_of(const store::Txn& txn, const store::Databases& db,
                          const Identity& address) {
  auto raw = txn.get(db.consortium, address_key(address));
  if (!raw.ok()) return fail(store_failure(raw.error()));
  if (!*raw) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*raw)->begin(), (*raw)->end()));
}

Result<std::vector<std::pair<std::string, Identity>>, ReadFailure> registry(
    const store::Txn& txn, const store::Databases& db) {
  std::vector<std::pair<std::string, Identity>> out;
  bool bad = false;
  auto e = txn.scan(db.consortium, store::Bytes{kNamePrefix}, [&](store::View k, store::View v) {
    if (k.empty() || k[0] != kNamePrefix) return false;
    if (v.size() != 32) return !(bad = true);
    out.emplace_back(std::string(k.begin() + 1, k.end()), identity_of(v));
    return true;
  });
  if (e) return fail(store_failure(*e));
  if (bad) return fail(corrupt("of a registered name"));
  return out;
}

Read<std::string> deploy_refusal(const store::Txn& txn, const store::Databases& db,
                                 const Identity& sender) {
  auto open = is_open(txn, db);
  if (!open.ok()) return fail(open.error());
  if (*open) return std::optional<std::string>();
  auto m = member(txn, db, sender);
  if (!m.ok()) return fail(m.error());
  if (!*m)
    return std::optional<std::string>(
        "the sender " + to_hex(sender) +
        " is not a member of the chain's consortium, and only members allowed to deploy may "
        "(GET /v1/consortium lists them; a registrar adds one with `set_deployer`)");
  if (!(*m)->may_deploy)
    return std::optional<std::string>("the member " + name_of_member(**m) +
                                      " may not deploy contracts (a registrar allows it with "
                                      "`set_deployer`)");
  return std::optional<std::string>();
}

Read<std::string> govern_refusal(const store::Txn& txn, const store::Databases& db,
                                 const Identity& sender) {
  auto open = is_open(txn, db);
  if (!open.ok()) return fail(open.error());
  if (*open)
    return std::optional<std::string>(
        "this chain has no consortium (it was made without a genesis), so nobody governs it");
  auto m = member(txn, db, sender);
  if (!m.ok()) return fail(m.error());
  if (!*m || !(*m)->has(MemberRole::Registrar))
    return std::optional<std::string>(
        "governance transactions are signed by a member holding the registrar role; the "
        "sender " +
        (*m ? name_of_member(**m) : to_hex(sender) + " (not a member)") + " holds none");
  return std::optional<std::string>();
}

}  // namespace consortium

std::optional<GovernanceOp> governance_op_named(std::string_view method) {
  return code_named(kGovernanceOps, method);
}

namespace {

vm::Type scalar(vm::TypeTag tag) {
  return vm::Type{tag, 0, {}};
}

vm::Type roles_type() {
  return vm::Type{vm::TypeTag::Set, 0, {vm::Type{vm::TypeTag::Named, 0, {}}}};
}

}  // namespace

const vm::Abi& governance_abi() {
  static const vm::Abi abi = [] {
    vm::Abi a;
    vm::TypeDef roles{vm::TypeDefKind::Enum, "MemberRole", {}, {}};
    for (const auto& row : kMemberRoles) roles.variants.emplace_back(row.name);
    a.types.push_back(std::move(roles));
    return a;
  }();
  return abi;
}

const std::vector<vm::Field>& governance_params(GovernanceOp op) {
  using vm::TypeTag;
  static const std::vector<vm::Field> add{{"member", scalar(TypeTag::Identity)},
                                          {"name", scalar(TypeTag::String)},
                                          {"roles", roles_type()},
                                          {"deploy", scalar(TypeTag::Bool)}};
  static const std::vector<vm::Field> set_roles{{"member", scalar(TypeTag::Identity)},
                                                {"roles", roles_type()}};
  static const std::vector<vm::Field> set_deployer{{"member", scalar(TypeTag::Identity)},
                                                   {"deploy", scalar(TypeTag::Bool)}};
  static const std::vector<vm::Field> remove{{"member", scalar(TypeTag::Identity)}};
  static const std::vector<vm::Field> reg{{"name", scalar(TypeTag::String)},
                                          {"contract", scalar(TypeTag::Identity)}};
  static const std::vector<vm::Field> unreg{{"name", scalar(TypeTag::String)}};
  switch (op) {
    case GovernanceOp::AddMember: return add;
    case GovernanceOp::SetRoles: return set_roles;
    case GovernanceOp::SetDeployer: return set_deployer;
    case GovernanceOp::RemoveMember: return remove;
    case GovernanceOp::Register: return reg;
    case GovernanceOp::Unregister: return unreg;
  }
  return remove;  // not reached: every operation has its parameters
}

std::string governance_signatures() {
  std::string out;
  for (const auto& row : kGovernanceOps) {
    out += (out.empty() ? "" : ", ") + std::string(row.name) + "(";
    const auto& params = governance_params(row.code);
    for (std::size_t i = 0; i < params.size(); ++i)
      out += (i ? ", " : "") + params[i].name;
    out += ")";
  }
  return out;
}

}  // namespace assent::node
