// A client of the node's API, for the CLI, the demo and the load generator.
#pragma once

#include <memory>
#include <string>

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

 private:
  std::string url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace assent::node
