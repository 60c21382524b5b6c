// What the API's handlers see of HTTP: a request read whole and checked against the server's
// limits, and the answer they give. Independent of the server library (node/api/http_server
// reads them off the wire with Boost.Beast; tests and the fuzz target build them by hand).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "node/api/api_errors.hpp"
#include "node/api/auth/principal.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/result.hpp"

namespace assent::node {

using Json = abi::Json;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query, percent-encoded
  std::string path;    // decoded; may hold any byte (escape it before echoing it)
  std::multimap<std::string, std::string> params;  // the query, decoded
  std::map<std::string, std::string> headers;      // names in lower case
  std::string body;
  std::string remote;                // the client's address, e.g. "127.0.0.1"
  std::vector<std::string> matches;  // set by the router: the route's capture groups
  auth::Principal principal;         // set by the router: who sent it (anonymous on open routes)

  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  // The first value of `name`, or "".
  std::string param(const std::string& name) const;
  bool has_header(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  bool close = false;  // close the connection after this answer
};

// The answer to a request, given exactly once, from any thread: a handler may answer at once
// or later (a submit waiting for its receipt holds no thread while it waits).
using Respond = std::function<void(HttpResponse)>;
using Handler = std::function<void(const HttpRequest&, Respond)>;

// JSON as the API sends it: bytes that are not UTF-8 (in a path, a client's string, a stored
// event's field) become U+FFFD instead of throwing, so nothing a client sends can make an
// answer fail to serialize.
std::string json_text(const Json& j);
HttpResponse json_response(int status, const Json& body);
// {"error": {"code", "message"}}, with the code's one status (node/api/api_errors.hpp).
HttpResponse error_response(ApiCode code, const std::string& message);
HttpResponse error_response(const ApiFailure& failure);

// What a request's JSON body may hold. Depth: the ABI codec and nlohmann's dump recurse per
// level, and a view thread's stack must hold them (75,000 levels killed a node). Keys per
// object: the ordered objects the ABI keeps insert by a linear search, so 66,000 keys took
// 4.7 s of a thread to parse; no argument record has more than a few dozen fields.
inline constexpr std::size_t kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxJsonKeysPerObject = 256;

// Parses a request's body within those limits: the JSON, or what is wrong with it (for a
// 400 `bad_json`).
Result<Json, std::string> parse_json_body(std::string_view text);

// Percent-decoding of a path or query component; `plus_is_space` for queries. Malformed
// escapes (`%zz`, a lone `%`) are kept as they are.
std::string percent_decode(std::string_view text, bool plus_is_space);
// Splits a request target into its decoded path and query parameters.
void split_target(std::string_view target, std::string& path,
                  std::multimap<std::string, std::string>& params);

}  // namespace assent::node
