#include "node/executor/test_hooks.hpp"

#include <algorithm>
#include <utility>

namespace assent::node {

stdlib::CallOutcome TestContractHost::call(const Identity& contract, std::string_view method,
                                           std::span<const uint8_t> args, bool view, uint64_t gas) {
  // An expected revert covers the refusals of call_contract too.
  const std::optional<std::string> expected = take_expected_revert();
  const std::string what = '`' + std::string(method) + '`';
  Receipt r =
      call_contract(test_frame() ? test_caller() : self_, contract, method, args, view, gas);
  return test_outcome(std::move(r), what, expected);
}

void TestContractHost::at(uint64_t position) {
  test_.line = static_cast<uint32_t>(position >> 32);
  test_.column = static_cast<uint32_t>(position);
}

std::optional<std::string> TestContractHost::expect_event(std::string_view name) {
  const auto& seen = test_.last_events;
  if (std::find(seen.begin(), seen.end(), name) != seen.end()) return std::nullopt;
  std::string list;
  for (const auto& s : seen)
    list += (list.empty() ? "" : ", ") + s;
  return "expected the last call to emit `" + std::string(name) + "`, but it emitted " +
         (list.empty() ? "no event" : list);
}

stdlib::CallOutcome TestContractHost::deploy(std::string_view module,
                                             std::span<const uint8_t> init_args, uint64_t gas,
                                             Identity& address) {
  const std::optional<std::string> expected = take_expected_revert();
  const std::string what = "deploying `" + std::string(module) + "`";
  // Only the test itself deploys (a contract's init cannot: no deploys within deploys).
  if (!test_frame() || read_only_)
    return test_outcome(failure(ExecOutcome::DeployRefused, "only a test function deploys"), what,
                        expected);
  auto it = test_.modules.find(std::string(module));
  if (it == test_.modules.end())
    return test_outcome(
        failure(ExecOutcome::DeployRefused, "no contract `" + std::string(module) + "` here"), what,
        expected);
  const Identity deployer = test_caller();
  address = Executor::contract_address(deployer, ++test_.deploys);
  std::set<Bytes> callee_changes;
  Receipt r =
      exec_.deploy(txn_, scope_, deployer, address, it->second, init_args, gas, callee_changes);
  join(r, callee_changes);
  return test_outcome(std::move(r), what, expected);
}

std::optional<std::string> TestContractHost::take_expected_revert() {
  if (!test_frame()) return std::nullopt;
  return std::exchange(test_.expected_revert, std::nullopt);
}

stdlib::CallOutcome TestContractHost::test_outcome(Receipt r, const std::string& what,
                                                   const std::optional<std::string>& expected) {
  if (test_frame()) {
    test_.last_events.clear();
    for (const auto& e : r.events)
      test_.last_events.push_back(e.name);
  }
  if (!expected) {
    if (test_frame() && !r.ok() && r.line != 0)
      r.message +=
          " (line " + std::to_string(r.line) + ":" + std::to_string(r.column) + " of the contract)";
    return outcome(std::move(r));
  }
  failed_call.reset();
  if (r.ok())
    return {vm::Status::Aborted,
            r.gas_used,
            {},
            "expected " + what + " to revert with \"" + *expected + "\", but it succeeded"};
  if (r.message.find(*expected) == std::string::npos)
    return {vm::Status::Aborted,
            r.gas_used,
            {},
            "expected " + what + " to revert with \"" + *expected +
                "\", but it failed with: " + r.describe()};
  return {vm::Status::Ok, r.gas_used, {}, {}};
}

}  // namespace assent::node
