// A client of the node's API, for the CLI, the demo and the load generator.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "node/chain/keys.hpp"

#include "node/tls/tls.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/result.hpp"

namespace httplib {
class Client;
}

namespace assent::node {

// An answer that is not a success. `code` is the node's (node/api/api_errors.hpp), or the
// client's own: `unreachable` (no answer: status 0; over TLS, the handshake's reason),
// `not_json` (an answer that is not JSON, whatever its status), `http_<status>` (an error
// answer that names no code), and `bad_input` (status 0, nothing sent: the wallet's, for what
// it cannot build a transaction of; the client's, for TLS files it cannot use).
struct ApiError {
  int status = 0;  // 0: no answer (the node is not there)
  std::string code, message;
  std::string describe() const;
};

// Where a client's requests go and how: the URL, and for https:// whom it trusts and what it
// presents (node/tls/tls.hpp), to say why a request got no answer.
struct ApiEndpoint {
  std::string url;
  ClientTls tls;
  const httplib::Client* client = nullptr;
  std::optional<TlsFailure> bad_files;  // the TLS files cannot be used: nothing is sent
};

class ApiClient {
 public:
  // An https:// URL is verified against `tls.ca_file` (else the system's CAs), host name
  // included; `tls.cert_file` and `key_file` are presented when the node asks for a client
  // certificate. Files that cannot be used make every request fail with `bad_input`, unsent.
  explicit ApiClient(const std::string& url, const ClientTls& tls = {});
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
  const std::string& url() const { return url_.url; }

 private:
  // The headers that say who sends a request of `method` to `target` with `body`.
  std::vector<std::pair<std::string, std::string>> credentials(const std::string& method,
                                                               const std::string& target,
                                                               const std::string& body) const;

  ApiEndpoint url_;
  std::string authority_;  // what the client sends as Host, and signs as @authority
  std::optional<KeyPair> key_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

// A target (path and query) with every byte that cpp-httplib would percent-encode itself
// already encoded, so that what is signed is what is sent.
std::string sendable_target(const std::string& target);

}  // namespace assent::node
