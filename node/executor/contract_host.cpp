// GCC 12 reports comparisons of std::set<Bytes>'s keys (vector<uint8_t>'s <=>) inside
// libstdc++'s out-of-line code, which only a pragma ahead of every include reaches
// (vm/gcc_false_positives.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include "node/executor/contract_host.hpp"

#include <algorithm>

#include "stdlib/abi_codec.hpp"
#include "vm/hex.hpp"

namespace assent::node {

Result<std::optional<Bytes>, std::string> ContractHost::get(std::span<const uint8_t> key) {
  Timed host(host_counter());
  const Bytes full = concat(self_, key);
  auto v = txn_.get(exec_.store().db().state, full);
  if (!v.ok()) return fail(store_failed(v.error()));
  if (!*v) return std::optional<Bytes>();
  return std::optional<Bytes>(Bytes((*v)->begin(), (*v)->end()));
}

Result<bool, std::string> ContractHost::has(std::span<const uint8_t> key) {
  Timed host(host_counter());
  const Bytes full = concat(self_, key);
  auto v = txn_.get(exec_.store().db().state, full);
  if (!v.ok()) return fail(store_failed(v.error()));
  return v->has_value();
}

Result<std::optional<Bytes>, std::string> ContractHost::next_key(std::span<const uint8_t> prefix,
                                                                 std::span<const uint8_t> after) {
  const Bytes full_prefix = concat(self_, prefix);
  // The smallest key greater than X is at or after X followed by a zero byte.
  Bytes from = after.empty() ? full_prefix : concat(self_, after);
  if (!after.empty()) from.push_back(0);
  auto found = txn_.seek(exec_.store().db().state, from);
  if (!found.ok()) return fail(store_failed(found.error()));
  const auto& entry = *found;
  if (!entry || entry->first.size() < full_prefix.size() ||
      !std::equal(full_prefix.begin(), full_prefix.end(), entry->first.begin()))
    return std::optional<Bytes>();
  return std::optional<Bytes>(Bytes(entry->first.begin() + 32, entry->first.end()));
}

std::optional<std::string> ContractHost::set(std::span<const uint8_t> key,
                                             std::span<const uint8_t> value) {
  Timed host(host_counter());
  if (read_only_) return "a view cannot write state";
  const Bytes full = concat(self_, key);
  if (auto e = txn_.put(exec_.store().db().state, full, value)) return store_failed(*e);
  changes.insert(store::tagged_key(store::StateTag::State, self_, key));
  return std::nullopt;
}

std::optional<std::string> ContractHost::remove(std::span<const uint8_t> key, bool& existed) {
  if (read_only_) return "a view cannot write state";
  auto r = txn_.del(exec_.store().db().state, concat(self_, key));
  if (!r.ok()) return store_failed(r.error());
  existed = *r;
  // Removing a key that is not there changes nothing: the state tree is not touched.
  if (existed) changes.insert(store::tagged_key(store::StateTag::State, self_, key));
  return std::nullopt;
}

std::optional<std::string> ContractHost::emit(uint32_t index, std::span<const uint8_t> data) {
  Timed host(host_counter());
  if (read_only_) return "a view cannot emit events";
  if (index >= module_.abi.events.size())
    return "event.emit: the module declares no event #" + std::to_string(index);
  const vm::Event& ev = module_.abi.events[index];
  auto keys = abi::event_index_keys(ev, module_.abi, data);
  if (!keys) return "event.emit: the data of `" + ev.name + "` does not match its fields";
  // Per transaction, nested calls included (views never get here: they cannot emit).
  if (scope_.block != nullptr) {
    if (auto error = scope_.block->count_event(data.size())) return error;
  }
  events.push_back({self_, index, ev.name, Bytes(data.begin(), data.end()), std::move(*keys)});
  return std::nullopt;
}

stdlib::CallOutcome ContractHost::call(const Identity& contract, std::string_view method,
                                       std::span<const uint8_t> args, bool view, uint64_t gas) {
  return outcome(call_contract(self_, contract, method, args, view, gas));
}

Receipt ContractHost::call_contract(const Identity& as, const Identity& contract,
                                    std::string_view method, std::span<const uint8_t> args,
                                    bool view, uint64_t gas) {
  const uint32_t depth = exec_.config().max_call_depth;
  if (scope_.stack.size() >= depth)
    return failure(ExecOutcome::CallDepthLimit,
                   "call depth limit of " + std::to_string(depth) + " reached");
  if (!view && read_only_)
    return failure(ExecOutcome::ViewCallsAction, "a view cannot call an action");
  if (!view && std::find(scope_.stack.begin(), scope_.stack.end(), contract) != scope_.stack.end())
    return failure(ExecOutcome::ReentrantCall,
                   "re-entrant call into contract " + to_hex(contract) + " refused");
  std::set<Bytes> callee_changes;
  Receipt r = exec_.run(scope_, {.txn = txn_,
                                 .caller = as,
                                 .contract = contract,
                                 .method = method,
                                 .args = args,
                                 .gas = gas,
                                 .read_only = read_only_ || view,
                                 .changes = &callee_changes});
  join(r, callee_changes);
  return r;
}

void ContractHost::join(const Receipt& r, const std::set<Bytes>& callee_changes) {
  if (!r.ok()) return;
  changes.insert(callee_changes.begin(), callee_changes.end());
  events.insert(events.end(), r.events.begin(), r.events.end());
}

stdlib::CallOutcome ContractHost::outcome(Receipt r) {
  failed_call.reset();
  if (!r.ok() && !is_vm_status(r.status)) failed_call = r.status;
  return {vm_status_of(r.status), r.gas_used, std::move(r.return_data), std::move(r.message)};
}

std::string ContractHost::store_failed(const store::LmdbError& e) {
  if (!scope_.store_error) scope_.store_error = e;
  return "the store failed: " + e.message;
}

}  // namespace assent::node
