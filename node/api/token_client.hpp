// A client's side of POST /v1/token (SMART Backend Services): an assertion signed with the
// client's key, exchanged for a bearer token (docs/api.md, "Authentication"). For
// `assent token`, which prints one for curl, and for clients that prefer tokens to signing
// each request.
#pragma once

#include <string>

#include "node/api/client.hpp"

namespace assent::node {

// A bearer token for `client` from the node `api` talks to, with `scope` (empty: the node's
// default, reads and submits); or the node's refusal.
Result<std::string, ApiError> request_token(ApiClient& api, const KeyPair& client,
                                            const std::string& scope = "");

}  // namespace assent::node
