// What `assent test` keeps for one test while it runs: the contracts it may deploy and the
// effects of the test built-ins (stdlib::TestHost), which the executor applies to every call
// frame of the test.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stdlib/host.hpp"

namespace assent::node {

struct TestState {
  std::map<std::string, stdlib::Bytes> modules;  // contract file name -> compiled module
  std::optional<stdlib::Identity> caller;        // set_caller
  uint64_t time_offset = 0;                      // advance_time
  uint64_t height_offset = 0;                    // advance_blocks
  std::optional<std::string> expected_revert;    // expect_revert, for the next call
  std::vector<std::string> last_events;          // the events of the last call, by name
  uint64_t deploys = 0;
  uint32_t line = 0, column = 0;  // where the test is (test.at)
};

}  // namespace assent::node
