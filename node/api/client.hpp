// A client of the node's API, for the CLI, the demo and the load generator.
#pragma once

#include <memory>
#include <optional>
#include <string>

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

 private:
  ApiEndpoint url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace assent::node
