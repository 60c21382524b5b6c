#include "node/api/client.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "node/api/api_errors.hpp"
#include "node/api/auth/authenticator.hpp"
#include "vm/hex.hpp"
#include "node/tls/http_client.hpp"

namespace assent::node {

namespace {

Result<abi::Json, ApiError> answer(const httplib::Result& r, const ApiEndpoint& to) {
  const std::string& url = to.url;
  if (!r) {
    const std::string why = describe_http_failure(*to.client, r.error(), url, to.tls);
    // A refused connection is a node not running; a TLS failure is a node running that this
    // client may not talk to, or not trust (the reason says which).
    const bool tls = why != httplib::to_string(r.error());
    return fail(ApiError{0, "unreachable",
                         "no answer from " + url + " (" + why + ")" +
                             (tls ? "" : "; is the node running? (`make devnet`)")});
  }
  abi::Json body;
  try {
    body = abi::Json::parse(r->body);
  } catch (const std::exception& e) {
    // Not the node's API (another server on its port, a proxy's page), or a node that broke
    // off: what it said is no answer to act on.
    const std::string start = r->body.substr(0, 200);
    return fail(ApiError{r->status, "not_json",
                         "the node at " + url + " answered something that is not JSON (HTTP " +
                             std::to_string(r->status) + ", " + e.what() + "): " + start +
                             (r->body.size() > start.size() ? "..." : "")});
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

namespace {

httplib::Headers headers_of(const std::vector<std::pair<std::string, std::string>>& list) {
  return httplib::Headers(list.begin(), list.end());
}

}  // namespace

std::string sendable_target(const std::string& target) {
  static constexpr std::string_view kKept = "-._~/?&=%:@!$()*";
  std::string out;
  for (unsigned char c : target) {
    if (std::isalnum(c) || kKept.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

ApiClient::ApiClient(const std::string& url, const ClientTls& tls)
    : url_{url, tls, nullptr, std::nullopt},
      authority_(auth::authority_of_url(url)),
      client_(make_http_client(url, tls)) {
  url_.client = client_.get();
  // Over plain HTTP the files are not used; over HTTPS a file that cannot be used is said
  // before anything is sent.
  if (url.starts_with("https://"))
    if (auto checked = check_client_tls(tls); !checked.ok()) url_.bad_files = checked.error();
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(60, 0);
}

ApiClient::~ApiClient() = default;

namespace {

// Refusals for load that change nothing on the node: asking again shortly is what the node
// asks for (Retry-After).
bool refused_for_load(const ApiError& e) {
  for (const ApiCode load : {ApiCode::TooManyRequests, ApiCode::Busy, ApiCode::TooManyConnections})
    if (e.status == api_error_info(load).status && e.code == api_error_info(load).name) return true;
  return false;
}

// `send` again while the node refuses it for load, up to eight times in about 5 s, each wait
// doubling up to a second, with some jitter so that many clients refused at once do not come
// back at once.
template <class Send>
Result<abi::Json, ApiError> with_retries(Send send) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  auto r = send();
  for (int attempt = 0; attempt < 8 && !r.ok() && refused_for_load(r.error()); ++attempt) {
    const int base = std::min(1000, 50 << attempt);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(base + static_cast<int>(jitter() % (base / 2 + 1))));
    r = send();
  }
  return r;
}

}  // namespace

void ApiClient::sign_with(KeyPair key) {
  key_ = std::move(key);
  token_.clear();
}

void ApiClient::use_token(std::string token) {
  token_ = std::move(token);
  key_.reset();
}

std::vector<std::pair<std::string, std::string>> ApiClient::credentials(
    const std::string& method, const std::string& target, const std::string& body) const {
  if (!token_.empty()) return {{"Authorization", "Bearer " + token_}};
  if (!key_) return {};
  // Signed when sent: each attempt of with_retries is a new signature (a replay is refused).
  auto headers = auth::sign_request(*key_, method, authority_, target, body, auth::system_seconds(),
                                    auth::new_nonce());
  headers.emplace_back("Host", authority_);
  return headers;
}

Result<abi::Json, ApiError> ApiClient::get(const std::string& path) {
  if (url_.bad_files) return fail(ApiError{0, "bad_input", url_.bad_files->message()});
  const std::string target = sendable_target(path);
  return with_retries([&] {
    return answer(client_->Get(target, headers_of(credentials("GET", target, ""))), url_);
  });
}

Result<abi::Json, ApiError> ApiClient::post(const std::string& path, const abi::Json& body) {
  if (url_.bad_files) return fail(ApiError{0, "bad_input", url_.bad_files->message()});
  // Bytes that are not UTF-8 (an argument typed in another encoding) are sent as U+FFFD.
  const std::string text = body.dump(-1, ' ', false, abi::Json::error_handler_t::replace);
  const std::string target = sendable_target(path);
  return with_retries([&] {
    return answer(client_->Post(target, headers_of(credentials("POST", target, text)), text,
                                "application/json"),
                  url_);
  });
}

Result<abi::Json, ApiError> ApiClient::post_form(const std::string& path, const std::string& form) {
  if (url_.bad_files) return fail(ApiError{0, "bad_input", url_.bad_files->message()});
  const std::string target = sendable_target(path);
  return with_retries([&] {
    return answer(client_->Post(target, headers_of(credentials("POST", target, form)), form,
                                "application/x-www-form-urlencoded"),
                  url_);
  });
}

}  // namespace assent::node
