// Who sent a request, as the node established it: an identity (an Ed25519 public key, the
// same identity contracts see as `caller`) and how it was proved, or no one.
#pragma once

#include <cstdint>

#include "stdlib/host.hpp"

namespace assent::node::auth {

enum class AuthMethod {
  Anonymous,  // no credentials
  Signature,  // an RFC 9421 signature by the identity's key
  Token,      // a bearer token this node issued to the identity
};

// What a principal may do with the API: read (views, the chain's records, events) and write
// (submit transactions). A signature may do both; a token what its scope grants.
enum Scope : uint8_t { kScopeRead = 1, kScopeWrite = 2, kScopeAll = 3 };

struct Principal {
  stdlib::Identity identity{};  // zero when anonymous
  AuthMethod how = AuthMethod::Anonymous;
  uint8_t scopes = 0;
  bool authenticated() const { return how != AuthMethod::Anonymous; }
};

}  // namespace assent::node::auth
