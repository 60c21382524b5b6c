// `assent devnet`, for now: a VM demo. It assembles a small consent-checking program, writes
// it as a module to the data directory, runs it and prints the result and the gas used.
#pragma once

#include <string>

namespace assent::node {

int run_vm_demo(const std::string& data_dir);

}  // namespace assent::node
