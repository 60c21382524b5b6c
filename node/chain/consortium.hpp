// The chain's consortium: its member organizations, the roles each may attest, who may
// deploy, and the registry of the consortium's contracts (name -> address). Its records are
// part of the state (the `consortium` database, state tag 'g'), written at genesis
// (genesis.hpp) and changed only by governance transactions (TxKind::Govern) that the
// chain's rule accepts: one signed by a member holding the registrar role
// (docs/security.md, "The consortium"). A chain with no members is open: anyone may deploy,
// and nobody governs it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "node/chain/errors.hpp"
#include "node/store/store.hpp"
#include "stdlib/abi_codec.hpp"
#include "stdlib/host.hpp"
#include "vm/module.hpp"

namespace assent::node {

using stdlib::Identity;

// The roles a member may attest, one row each: code, name (in genesis files, the API and
// governance arguments), what it lets the member do.
#define ASSENT_MEMBER_ROLES(X)                                                            \
  X(Registrar, "registrar", "governs the consortium: its members, deployers and registry") \
  X(Provider, "provider", "a provider organization: attests physicians and emergency staff") \
  X(Research, "research", "a research institution: attests researchers")                    \
  X(Auditor, "auditor", "an auditing body: attests auditors")

enum class MemberRole : uint8_t {
#define ASSENT_MEMBER_ROLE_CODE(code, name, meaning) code,
  ASSENT_MEMBER_ROLES(ASSENT_MEMBER_ROLE_CODE)
#undef ASSENT_MEMBER_ROLE_CODE
};

struct MemberRoleInfo {
  MemberRole code;
  const char* name;
  const char* meaning;
};

inline constexpr MemberRoleInfo kMemberRoles[] = {
#define ASSENT_MEMBER_ROLE_ROW(code, name, meaning) {MemberRole::code, name, meaning},
    ASSENT_MEMBER_ROLES(ASSENT_MEMBER_ROLE_ROW)
#undef ASSENT_MEMBER_ROLE_ROW
};

// A set of roles, one bit per row of the table (the bit of MemberRole r is 1 << r).
using RoleSet = uint8_t;
constexpr RoleSet role_bit(MemberRole r) {
  return static_cast<RoleSet>(1u << static_cast<unsigned>(r));
}
std::optional<MemberRole> member_role_named(std::string_view name);
std::vector<std::string> role_names(RoleSet roles);

inline constexpr std::size_t kMaxMemberNameBytes = 128;
inline constexpr std::size_t kMaxContractNameBytes = 64;

struct Member {
  Identity key{};  // the organization's Ed25519 key
  std::string name;
  RoleSet roles = 0;
  bool may_deploy = false;

  bool has(MemberRole r) const { return (roles & role_bit(r)) != 0; }
  friend bool operator==(const Member&, const Member&) = default;
};

// What a name of a registered contract may be: a letter, then letters, digits and `_`, at
// most kMaxContractNameBytes; what is wrong with `name`, or nothing.
std::optional<std::string> contract_name_problem(std::string_view name);

// Reads of the consortium's records, on any transaction.
namespace consortium {

Read<Member> member(const store::Txn& txn, const store::Databases& db,
                                   const Identity& key);
Result<std::vector<Member>, ReadFailure> members(const store::Txn& txn, const store::Databases& db);
// A chain with no members: anyone may deploy; nobody governs.
Result<bool, ReadFailure> is_open(const store::Txn& txn, const store::Databases& db);
Read<Identity> address_of(const store::Txn& txn, const store::Databases& db,
                                         std::string_view name);
Read<std::string> name_of(const store::Txn& txn, const store::Databases& db,
                                         const Identity& address);
// Every registered contract, by name.
Result<std::vector<std::pair<std::string, Identity>>, ReadFailure> registry(
    const store::Txn& txn, const store::Databases& db);

// Why `sender` may not deploy (not a member allowed to), or nothing.
Read<std::string> deploy_refusal(const store::Txn& txn, const store::Databases& db,
                                 const Identity& sender);
// Why `sender` may not govern (not a registrar, or an open chain), or nothing.
Read<std::string> govern_refusal(const store::Txn& txn, const store::Databases& db,
                                 const Identity& sender);

// The records' keys in the `consortium` database, and the member record's encoding.
store::Bytes member_key(const Identity& key);
store::Bytes name_key(std::string_view name);
store::Bytes address_key(const Identity& address);
store::Bytes encode_member(const Member& m);

}  // namespace consortium

// The governance operations, one row each: code, method name (a Govern transaction's
// `method`), what it does. Their parameters are in governance_params; their arguments are
// ABI-encoded like a call's, against governance_abi (whose one enum is MemberRole).
#define ASSENT_GOVERNANCE_OPS(X)                                                              \
  X(AddMember, "add_member", "adds a member organization: its key, name, roles, and whether " \
                             "it may deploy")                                                  \
  X(SetRoles, "set_roles", "replaces a member's roles")                                       \
  X(SetDeployer, "set_deployer", "allows a member to deploy contracts, or no longer")         \
  X(RemoveMember, "remove_member", "removes a member (never the last registrar)")             \
  X(Register, "register", "registers a deployed contract under a name")                       \
  X(Unregister, "unregister", "removes a name from the registry")

enum class GovernanceOp {
#define ASSENT_GOVERNANCE_OP_CODE(code, name, meaning) code,
  ASSENT_GOVERNANCE_OPS(ASSENT_GOVERNANCE_OP_CODE)
#undef ASSENT_GOVERNANCE_OP_CODE
};

struct GovernanceOpInfo {
  GovernanceOp code;
  const char* name;
  const char* meaning;
};

inline constexpr GovernanceOpInfo kGovernanceOps[] = {
#define ASSENT_GOVERNANCE_OP_ROW(code, name, meaning) {GovernanceOp::code, name, meaning},
    ASSENT_GOVERNANCE_OPS(ASSENT_GOVERNANCE_OP_ROW)
#undef ASSENT_GOVERNANCE_OP_ROW
};

std::optional<GovernanceOp> governance_op_named(std::string_view method);
// The ABI the operations' arguments are encoded against (its enum `MemberRole`).
const vm::Abi& governance_abi();
const std::vector<vm::Field>& governance_params(GovernanceOp op);
// "add_member(member: identity, name: string, ...), ...": for messages.
std::string governance_signatures();

// A governance transaction's effect, decoded and checked against the consortium as it is:
// what it writes (records to put or delete), or why it cannot apply.
struct GovernanceChange {
  std::vector<std::pair<store::Bytes, std::optional<store::Bytes>>> writes;
};
struct GovernanceRefusal {
  bool store = false;  // the store failed (the message is its error)
  std::string message;
};
// Gas for a governance change: a storage write's price per record it writes, and the
// state gas of its bytes (stdlib/gas_schedule.hpp), as a contract's `storage.set` pays.
uint64_t governance_gas(const GovernanceChange& change);

Result<GovernanceChange, GovernanceRefusal> plan_governance(const store::Txn& txn,
                                                            const store::Databases& db,
                                                            std::string_view method,
                                                            std::span<const uint8_t> args);

class BlockRun;
struct Receipt;
// Runs a governance transaction in a block: checks its sender and its change against the
// consortium as the block has it, writes the change and counts it in the state tree. The
// receipt says what happened (not-permitted, governance-refused, out-of-gas); a store
// failure stops the block (BlockRun::store_failed).
Receipt run_governance(BlockRun& run, const Identity& sender, std::string_view method,
                       std::span<const uint8_t> args, uint64_t gas);
// Runs a deploy in a block once the consortium, as the block has it, lets the sender deploy.
Receipt run_deploy(BlockRun& run, const Identity& deployer, uint64_t nonce,
                   std::span<const uint8_t> module, std::span<const uint8_t> init_args,
                   uint64_t gas, const Identity& tx_hash);

}  // namespace assent::node
