// What a governance transaction changes (consortium.hpp, plan_governance): its arguments
// decoded against the operation's parameters, checked against the consortium as it is, and
// turned into the records to write. Nothing is written here; the block does it.
#include <algorithm>

#include "node/chain/consortium.hpp"
#include "node/executor/executor.hpp"
#include "stdlib/gas_schedule.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

using Json = abi::Json;
using Writes = std::vector<std::pair<store::Bytes, std::optional<store::Bytes>>>;

GovernanceRefusal refused(std::string message) {
  return GovernanceRefusal{false, std::move(message)};
}
GovernanceRefusal from_read(const ReadFailure& f) {
  return GovernanceRefusal{f.code == ReadError::Store, f.message};
}

Identity identity_arg(const Json& args, const char* name) {
  Identity id{};
  auto bytes = parse_hex(args[name].get<std::string>());  // decoded from an identity: 32 bytes
  if (bytes.ok() && bytes->size() == id.size()) std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

RoleSet roles_arg(const Json& args) {
  RoleSet roles = 0;
  for (const auto& r : args["roles"])  // decoded from the enum: every name is a row's
    if (auto role = member_role_named(r.get<std::string>())) roles |= role_bit(*role);
  return roles;
}

// How many members hold the registrar role, `except` left out.
Result<std::size_t, ReadFailure> registrars_but(const store::Txn& txn, const store::Databases& db,
                                                const Identity& except) {
  auto all = consortium::members(txn, db);
  if (!all.ok()) return fail(all.error());
  return static_cast<std::size_t>(std::count_if(all->begin(), all->end(), [&](const Member& m) {
    return m.key != except && m.has(MemberRole::Registrar);
  }));
}

// A change to an existing member: its record, or why there is none.
Result<Member, GovernanceRefusal> existing(const store::Txn& txn, const store::Databases& db,
                                           const Identity& key) {
  auto m = consortium::member(txn, db, key);
  if (!m.ok()) return fail(from_read(m.error()));
  if (!*m)
    return fail(refused("no member has the key " + to_hex(key) + " (GET /v1/consortium lists "
                        "the members)"));
  return **m;
}

// A change that would leave no registrar cannot apply: nobody could govern after it.
std::optional<GovernanceRefusal> keeps_a_registrar(const store::Txn& txn,
                                                   const store::Databases& db,
                                                   const Member& before, bool stays) {
  if (!before.has(MemberRole::Registrar) || stays) return std::nullopt;
  auto others = registrars_but(txn, db, before.key);
  if (!others.ok()) return from_read(others.error());
  if (*others == 0)
    return refused("`" + before.name + "` is the consortium's last registrar; add another first");
  return std::nullopt;
}

Result<Writes, GovernanceRefusal> plan_member(const store::Txn& txn, const store::Databases& db,
                                              GovernanceOp op, const Json& args) {
  const Identity key = identity_arg(args, "member");
  if (op == GovernanceOp::AddMember) {
    auto m = consortium::member(txn, db, key);
    if (!m.ok()) return fail(from_read(m.error()));
    if (*m) return fail(refused("the key " + to_hex(key) + " is already the member `" +
                                (*m)->name + "`"));
    Member added{key, args["name"].get<std::string>(), roles_arg(args), args["deploy"].get<bool>()};
    if (added.name.empty() || added.name.size() > kMaxMemberNameBytes)
      return fail(refused("a member's name is 1 to " + std::to_string(kMaxMemberNameBytes) +
                          " bytes"));
    return Writes{{consortium::member_key(key), consortium::encode_member(added)}};
  }
  auto before = existing(txn, db, key);
  if (!before.ok()) return fail(before.error());
  Member after = *before;
  if (op == GovernanceOp::RemoveMember) {
    if (auto no = keeps_a_registrar(txn, db, *before, false)) return fail(*no);
    return Writes{{consortium::member_key(key), std::nullopt}};
  }
  if (op == GovernanceOp::SetRoles) after.roles = roles_arg(args);
  if (op == GovernanceOp::SetDeployer) after.may_deploy = args["deploy"].get<bool>();
  if (auto no = keeps_a_registrar(txn, db, *before, after.has(MemberRole::Registrar)))
    return fail(*no);
  return Writes{{consortium::member_key(key), consortium::encode_member(after)}};
}

Result<Writes, GovernanceRefusal> plan_registry(const store::Txn& txn, const store::Databases& db,
                                                GovernanceOp op, const Json& args) {
  const std::string name = args["name"].get<std::string>();
  if (auto problem = contract_name_problem(name)) return fail(refused(*problem));
  auto current = consortium::address_of(txn, db, name);
  if (!current.ok()) return fail(from_read(current.error()));
  if (op == GovernanceOp::Unregister) {
    if (!*current) return fail(refused("no contract is registered as `" + name + "`"));
    return Writes{{consortium::name_key(name), std::nullopt},
                  {consortium::address_key(**current), std::nullopt}};
  }
  const Identity address = identity_arg(args, "contract");
  if (*current)
    return fail(refused("`" + name + "` is registered already, as " + to_hex(**current) +
                        " (unregister it first)"));
  auto deployed = txn.get(db.contracts, address);
  if (!deployed.ok()) return fail(GovernanceRefusal{true, deployed.error().message});
  if (!*deployed) return fail(refused("no contract is deployed at " + to_hex(address)));
  auto taken = consortium::name_of(txn, db, address);
  if (!taken.ok()) return fail(from_read(taken.error()));
  if (*taken)
    return fail(refused("the contract " + to_hex(address) + " is registered already, as `" +
                        **taken + "`"));
  const store::Bytes address_bytes(address.begin(), address.end());
  return Writes{{consortium::name_key(name), address_bytes},
                {consortium::address_key(address), store::Bytes(name.begin(), name.end())}};
}

}  // namespace

Result<GovernanceChange, GovernanceRefusal> plan_governance(const store::Txn& txn,
                                                            const store::Databases& db,
                                                            std::string_view method,
                                                            std::span<const uint8_t> args) {
  const auto op = governance_op_named(method);
  if (!op)
    return fail(refused("no governance operation is named `" + std::string(method) +
                        "`; the operations: " + governance_signatures()));
  auto decoded = abi::fields_to_json(governance_params(*op), governance_abi(), args);
  if (!decoded.ok())
    return fail(refused("the arguments do not decode as `" + std::string(method) +
                        "`'s parameters: " + decoded.error()));
  const bool registry = *op == GovernanceOp::Register || *op == GovernanceOp::Unregister;
  auto writes = registry ? plan_registry(txn, db, *op, *decoded)
                         : plan_member(txn, db, *op, *decoded);
  if (!writes.ok()) return fail(writes.error());
  return GovernanceChange{std::move(writes).value()};
}

uint64_t governance_gas(const GovernanceChange& change) {
  uint64_t gas = 0;
  for (const auto& [key, value] : change.writes)
    gas += stdlib::gas::kStorageWrite +
           stdlib::gas::state_gas(key.size() + (value ? value->size() : 0));
  return gas;
}

namespace {

Receipt refusal_receipt(ExecOutcome outcome, std::string message) {
  Receipt r;
  r.status = outcome;
  r.message = std::move(message);
  return r;
}

}  // namespace

Receipt run_governance(BlockRun& run, const Identity& sender, std::string_view method,
                       std::span<const uint8_t> args, uint64_t gas) {
  const auto& db = run.executor().store().db();
  auto refusal = consortium::govern_refusal(run.txn(), db, sender);
  if (!refusal.ok()) {
    run.store_failed(store::LmdbError{MDB_PANIC, refusal.error().message});
    return refusal_receipt(ExecOutcome::StoreFailed, refusal.error().message);
  }
  if (*refusal) return refusal_receipt(ExecOutcome::NotPermitted, **refusal);
  auto plan = plan_governance(run.txn(), db, method, args);
  if (!plan.ok() && plan.error().store) {
    run.store_failed(store::LmdbError{MDB_PANIC, plan.error().message});
    return refusal_receipt(ExecOutcome::StoreFailed, plan.error().message);
  }
  if (!plan.ok()) return refusal_receipt(ExecOutcome::GovernanceRefused, plan.error().message);
  Receipt r;
  r.gas_used = governance_gas(*plan);
  if (r.gas_used > gas) {
    r.status = ExecOutcome::OutOfGas;
    r.gas_used = gas;
    r.message = "the change costs " + std::to_string(governance_gas(*plan)) + " gas";
    return r;
  }
  for (const auto& [key, value] : plan->writes) {
    std::optional<store::LmdbError> e;
    if (value) {
      e = run.txn().put(db.consortium, key, *value);
    } else if (auto deleted = run.txn().del(db.consortium, key); !deleted.ok()) {
      e = deleted.error();
    }
    if (e) {
      run.store_failed(*e);
      return refusal_receipt(ExecOutcome::StoreFailed, e->message);
    }
    run.changed_record(store::StateTag::Consortium, key);
  }
  return r;
}

Receipt run_deploy(BlockRun& run, const Identity& deployer, uint64_t nonce,
                   std::span<const uint8_t> module, std::span<const uint8_t> init_args,
                   uint64_t gas, const Identity& tx_hash) {
  auto refusal = consortium::deploy_refusal(run.txn(), run.executor().store().db(), deployer);
  if (!refusal.ok()) {
    run.store_failed(store::LmdbError{MDB_PANIC, refusal.error().message});
    return refusal_receipt(ExecOutcome::StoreFailed, refusal.error().message);
  }
  if (*refusal) return refusal_receipt(ExecOutcome::NotPermitted, **refusal);
  return run.deploy(deployer, nonce, module, init_args, gas, tx_hash);
}

}  // namespace assent::node
