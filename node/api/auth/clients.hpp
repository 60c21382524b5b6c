// Registered clients: who may be issued bearer tokens (POST /v1/token) and use them. The
// node asks a ClientRegistry, a callback, so that what registers a client can change without
// touching the API: today a list given in a file (`assent node --clients FILE`) or in code
// (the devnet, tests); the chain's membership later. A registry is asked once per token
// request and once per request with a token: it must be cheap and thread-safe.
//
// Signed requests (RFC 9421) need no registration: the key is the identity, and what an
// identity may read or do is decided by its role, not by whether it can sign.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "stdlib/host.hpp"
#include "vm/result.hpp"

namespace assent::node::auth {

struct RegisteredClient {
  std::string name;        // for people (logs, messages); may be empty
  int64_t not_before = 0;  // tokens issued before this time (unix seconds) are refused
};

using ClientRegistry =
    std::function<std::optional<RegisteredClient>(const stdlib::Identity& client)>;

// A fixed list of clients.
class ClientList {
 public:
  void add(const stdlib::Identity& client, RegisteredClient info);
  std::size_t size() const { return clients_.size(); }
  // A registry over a copy of the list as it is now.
  ClientRegistry registry() const;

  // Reads a list from a JSON file:
  //   {"clients": [{"identity": "<64 hex>", "name": "ehr", "not_before": 1767225600}, ...]}
  // (`name` and `not_before` optional); what is wrong names the file and the entry.
  static Result<ClientList, std::string> load(const std::string& path);

 private:
  std::map<stdlib::Identity, RegisteredClient> clients_;
};

}  // namespace assent::node::auth
