// Credentials for tests that send HTTP by hand (cpp-httplib, or raw bytes): the headers of an
// RFC 9421 signature by a key, as the node's own clients send them (node/api/client.cpp).
#pragma once

#include <httplib.h>

#include <string>

#include "node/api/auth/authenticator.hpp"

namespace assent::testing {

// The headers that sign `method target` with `body` to the node at `url` (Host included).
inline httplib::Headers signed_headers(const node::KeyPair& key, const std::string& url,
                                       const std::string& method, const std::string& target,
                                       const std::string& body = "") {
  const std::string authority = node::auth::authority_of_url(url);
  httplib::Headers headers;
  for (auto& [name, value] :
       node::auth::sign_request(key, method, authority, target, body, node::auth::system_seconds(),
                                node::auth::new_nonce()))
    headers.emplace(name, value);
  headers.emplace("Host", authority);
  return headers;
}

// The same as header lines ("Name: value\r\n" each), for a raw request to Host `host`.
inline std::string signed_header_lines(const node::KeyPair& key, const std::string& host,
                                       const std::string& method, const std::string& target,
                                       const std::string& body = "") {
  std::string lines;
  for (auto& [name, value] : node::auth::sign_request(
           key, method, host, target, body, node::auth::system_seconds(), node::auth::new_nonce()))
    lines += name + ": " + value + "\r\n";
  return lines;
}

}  // namespace assent::testing
