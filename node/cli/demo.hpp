// `assent demo`: a short consent scenario played through a devnet's API (grant, access,
// research query, revocation, denied access, audit trail), printing what happened.
#pragma once

#include <string>

#include "node/tls/tls.hpp"

namespace assent::node {

int run_demo(const std::string& url, const ClientTls& tls, const std::string& devnet_dir);

}  // namespace assent::node
