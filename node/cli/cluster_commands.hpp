#pragma once

#include <CLI/CLI.hpp>

namespace assent::node {

void add_cluster_commands(CLI::App& app, int& exit_code);

}  // namespace assent::node
