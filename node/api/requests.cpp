#include "node/api/requests.hpp"

#include <algorithm>

#include "vm/hex.hpp"

namespace assent::node {

ApiResult<std::array<uint8_t, 32>> hex32(const std::string& text, ApiCode code,
                                         const std::string& what) {
  auto bytes = parse_hex(text);
  if (!bytes.ok() || bytes->size() != 32)
    return fail(ApiFailure{code, what + " must be 64 hex digits, not `" + text + "`"});
  std::array<uint8_t, 32> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

ApiResult<Json> json_object(const HttpRequest& req) {
  auto j = parse_json_body(req.body);
  if (!j.ok()) return fail(ApiFailure{ApiCode::BadJson, j.error()});
  if (!j->is_object()) return fail(ApiFailure{ApiCode::BadJson, "the body must be a JSON object"});
  return std::move(j).value();
}

ApiResult<uint64_t> number_param(const HttpRequest& req, const std::string& name, ApiCode code,
                                 uint64_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.param(name);
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() <= 19)
    return uint64_t{std::stoull(v)};
  return fail(ApiFailure{code, "`" + name + "` must be a non-negative integer"});
}

ApiResult<store::Txn> snapshot(Chain& chain) {
  auto read = chain.store().begin_read();
  if (!read.ok()) return fail(ApiFailure{ApiCode::Store, read.error().message});
  return std::move(read).value();
}

}  // namespace assent::node
