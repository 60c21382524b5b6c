// What the API's handlers read from a request, each as a value or the error to answer (an
// ApiFailure, whose code says the status): identities and hashes in hex, JSON bodies, number
// parameters, a snapshot of the store, records that must be there.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "node/api/http.hpp"
#include "node/chain/chain.hpp"

namespace assent::node {

template <class T>
using ApiResult = Result<T, ApiFailure>;

// 64 hex digits as 32 bytes; `code` (bad_hash, bad_contract, ...) when they are not, naming
// `what` in its message.
ApiResult<std::array<uint8_t, 32>> hex32(const std::string& text, ApiCode code,
                                         const std::string& what);

// The request's body as a JSON object (bad_json when it is not one).
ApiResult<Json> json_object(const HttpRequest& req);

// The query parameter `name` as a non-negative integer, `fallback` when absent; `code` when
// it is not one.
ApiResult<uint64_t> number_param(const HttpRequest& req, const std::string& name, ApiCode code,
                                 uint64_t fallback);

// A read transaction on the store's latest snapshot (store, 503, when the store cannot begin
// one).
ApiResult<store::Txn> snapshot(Chain& chain);

// A record read from the chain that must be there: `absent` when it is not, `store` or
// `corrupt` when it cannot be read.
template <class T>
ApiResult<T> present(Read<T> read, ApiFailure absent) {
  if (!read.ok()) return fail(api_failure(read.error()));
  if (!*read) return fail(std::move(absent));
  return std::move(**read);
}

}  // namespace assent::node
