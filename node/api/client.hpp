// A client of the node's API, for the CLI, the demo and the load generator.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "node/chain/keys.hpp"

#include "stdlib/abi_codec.hpp"
#include "vm/result.hpp"

namespace httplib {
class Client;
}

namespace assent::node {

// An answer that is not a success. `code` is the node's (node/api/api_errors.hpp), or the
// client's own: `unreachable` (no answer: status 0), `not_json` (an answer that is not
// JSON, whatever its status), `http_<status>` (an error answer that names no code), and the
// wallet's `bad_input` (what it cannot build a transaction of, before sending: status 0).
struct ApiError {
  int status = 0;  // 0: no answer (the node is not there)
  std::string code, message;
  std::string describe() const;
};

class ApiClient {
 public:
  explicit ApiClient(const std::string& url);
  ~ApiClient();
  Result<abi::Json, ApiError> get(const std::string& path);
  Result<abi::Json, ApiError> post(const std::string& path, const abi::Json& body);
  // A form (application/x-www-form-urlencoded), as POST /v1/token takes.
  Result<abi::Json, ApiError> post_form(const std::string& path, const std::string& form);

  // Who the requests are from (docs/api.md, "Authentication"): each is signed with `key`
  // (HTTP Message Signatures, RFC 9421), or carries `token` as a bearer token. Without
  // either they are anonymous, which a node answers for status and metrics only.
  void sign_with(KeyPair key);
  void use_token(std::string token);
  const std::string& url() const { return url_; }

 private:
  // The headers that say who sends a request of `method` to `target` with `body`.
  std::vector<std::pair<std::string, std::string>> credentials(const std::string& method,
                                                               const std::string& target,
                                                               const std::string& body) const;

  std::string url_;
  std::string authority_;  // what the client sends as Host, and signs as @authority
  std::optional<KeyPair> key_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

// A target (path and query) with every byte that cpp-httplib would percent-encode itself
// already encoded, so that what is signed is what is sent.
std::string sendable_target(const std::string& target);

}  // namespace assent::node
