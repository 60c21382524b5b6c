#include "node/api/client.hpp"

#include <httplib.h>

namespace assent::node {

namespace {

Result<abi::Json, ApiError> answer(const httplib::Result& r, const std::string& url) {
  if (!r)
    return fail(ApiError{0, "unreachable",
                         "no answer from " + url + " (" + httplib::to_string(r.error()) +
                             "); is the node running? (`make devnet`)"});
  abi::Json body;
  try {
    body = abi::Json::parse(r->body);
  } catch (...) {
    body = abi::Json::object();
  }
  if (r->status >= 200 && r->status < 300) return body;
  ApiError e{r->status, "http_" + std::to_string(r->status), r->body};
  if (body.contains("error") && body["error"].is_object()) {
    e.code = body["error"].value("code", e.code);
    e.message = body["error"].value("message", e.message);
  }
  return fail(e);
}

}  // namespace

std::string ApiError::describe() const {
  return status == 0 ? message : std::to_string(status) + " " + code + ": " + message;
}

ApiClient::ApiClient(const std::string& url)
    : url_(url), client_(std::make_unique<httplib::Client>(url)) {
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(60, 0);
}

ApiClient::~ApiClient() = default;

Result<abi::Json, ApiError> ApiClient::get(const std::string& path) {
  return answer(client_->Get(path), url_);
}

Result<abi::Json, ApiError> ApiClient::post(const std::string& path, const abi::Json& body) {
  // Bytes that are not UTF-8 (an argument typed in another encoding) are sent as U+FFFD.
  return answer(client_->Post(path, body.dump(-1, ' ', false, abi::Json::error_handler_t::replace),
                              "application/json"),
                url_);
}

}  // namespace assent::node
