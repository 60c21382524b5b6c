// Running another program and reading what it printed: `assent` hands compilation to the
// `assentc` beside it (the node never links LLVM).
#pragma once

#include <string>
#include <vector>

namespace assent::node {

struct ProcessResult {
  int exit_code = -1;  // -1: it could not run, or a signal ended it
  std::string output;  // standard output and standard error, interleaved
};

// Runs `argv` (argv[0] a path) and waits for it.
ProcessResult run_process(const std::vector<std::string>& argv);

// The path of `name` in the directory of the running executable.
std::string sibling_program(const std::string& name, const char* argv0 = nullptr);

}  // namespace assent::node
