// `assent test [PATH]`: compiles the contracts and the `*_test.assent` files under PATH (with
// the `assentc` beside `assent`) and runs every `test_*` function, each on a fresh LMDB store
// in a temporary directory, printing a line per test with its gas and a summary.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

namespace assent::node {

struct TestOptions {
  std::string path = "contracts";
  std::string filter;            // run only the tests whose name contains it
  std::string assentc;           // the compiler; empty: the one beside this program
  uint64_t gas = 1'000'000'000;  // per test
};

// Runs the tests; 0 when all passed, 1 when any failed or did not compile, 2 for bad input.
int run_tests(const TestOptions& options, std::ostream& out);

void add_test_command(CLI::App& app, int& exit_code);

}  // namespace assent::node
