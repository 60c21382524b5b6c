// The host of a call frame under `assent test` (Executor::test set): a ContractHost that
// also answers the test built-ins (stdlib::TestHost). Time and height move by the test's
// offsets in every frame; the built-ins act for the frame of the test function itself (the
// first), whose calls and deploys are made as the test's caller, remember their events, and
// may be expected to revert. A node's blocks never make one.
#pragma once

#include <optional>
#include <string>

#include "node/executor/contract_host.hpp"
#include "node/executor/test_state.hpp"

namespace assent::node {

class TestContractHost final : public ContractHost, public stdlib::TestHost {
 public:
  TestContractHost(Executor& exec, TestState& test, CallScope& scope, store::Txn& txn,
                   const Identity& caller, const Identity& self, bool read_only,
                   const vm::Module& module)
      : ContractHost(exec, scope, txn, caller, self, read_only, module), test_(test) {}

  stdlib::TestHost* test() override { return this; }
  uint64_t now() const override { return scope_.info.time + test_.time_offset; }
  uint64_t block_height() const override { return scope_.info.height + test_.height_offset; }
  stdlib::CallOutcome call(const Identity& contract, std::string_view method,
                           std::span<const uint8_t> args, bool view, uint64_t gas) override;

  // ---- stdlib::TestHost
  void set_caller(const Identity& who) override { test_.caller = who; }
  void advance_time(uint64_t seconds) override { test_.time_offset += seconds; }
  void advance_blocks(uint64_t blocks) override { test_.height_offset += blocks; }
  void at(uint64_t position) override;
  void expect_revert(std::string message) override { test_.expected_revert = std::move(message); }
  std::optional<std::string> expect_event(std::string_view name) override;
  stdlib::CallOutcome deploy(std::string_view module, std::span<const uint8_t> init_args,
                             uint64_t gas, Identity& address) override;

 private:
  // The frame of a test function itself: the one the test built-ins act for.
  bool test_frame() const { return scope_.stack.size() == 1; }
  Identity test_caller() const { return test_.caller.value_or(self_); }
  std::optional<std::string> take_expected_revert();
  // After a call by the test: its events are remembered, and an expected revert that came
  // makes it a success with no result, while one that did not fails the test.
  stdlib::CallOutcome test_outcome(Receipt r, const std::string& what,
                                   const std::optional<std::string>& expected);

  TestState& test_;
};

}  // namespace assent::node
