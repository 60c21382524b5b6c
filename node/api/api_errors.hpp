// Every error the API answers, {"error": {"code", "message"}}: its code, its one HTTP status
// and what it means, one row each. A transaction's refusals are the chain's table
// (ASSENT_TX_ERRORS, node/chain/errors.hpp), joined here, not restated; the rows below are
// the API's own. docs/api.md lists exactly these codes (tests/node/api/api_errors_test.cpp
// checks it both ways).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "node/api/auth/errors.hpp"
#include "node/chain/errors.hpp"

namespace assent::node {

#define ASSENT_API_ERRORS(X)                                                                      \
  X(BadJson, "bad_json", 400, "the body is not a JSON object, or exceeds the JSON limits")        \
  X(BadTx, "bad_tx", 400, "`tx` is not the signed transaction in hex")                            \
  X(BadWait, "bad_wait", 400, "`wait` is not true or false")                                      \
  X(BadTimeout, "bad_timeout", 400, "`timeout_ms` is not a number of milliseconds")               \
  X(BadHash, "bad_hash", 400, "a hash is not 64 hex digits")                                      \
  X(BadContract, "bad_contract", 400, "a contract's address is not 64 hex digits")                \
  X(BadIdentity, "bad_identity", 400, "an identity is not 64 hex digits")                         \
  X(BadCaller, "bad_caller", 400, "a view's `caller` is not 64 hex digits")                       \
  X(BadView, "bad_view", 400, "a view does not name `contract` and `method`")                     \
  X(BadBlock, "bad_block", 400, "a block is named by neither its height nor its hash")            \
  X(BadQuery, "bad_query", 400, "an events query does not name one of `contract`, `identity`")    \
  X(BadAfter, "bad_after", 400, "`after` is not a non-negative integer")                          \
  X(BadFrom, "bad_from", 400, "`from` is not a non-negative integer")                             \
  X(BadTo, "bad_to", 400, "`to` is not a non-negative integer")                                   \
  X(BadLimit, "bad_limit", 400, "`limit` is not 1 to 1000")                                       \
  X(UnknownTx, "unknown_tx", 404, "no committed transaction has the hash")                        \
  X(UnknownBlock, "unknown_block", 404, "no block has the height or the hash")                    \
  X(ViewFailed, "view_failed", 422, "the view ran and failed (a trap, a `require`, out of gas)")  \
  X(Corrupt, "corrupt", 500,                                                                      \
    "the store holds a record that does not decode, or lacks one that another names")             \
  X(NotFound, "not_found", 404, "no endpoint has the path")                                       \
  X(MethodNotAllowed, "method_not_allowed", 405, "the path is an endpoint of other methods")      \
  X(PathTooLong, "path_too_long", 414, "the path is longer than a path may be")                   \
  X(HeadersTooLarge, "headers_too_large", 431, "the request's headers exceed their limit")        \
  X(BadRequest, "bad_request", 400, "the request is not well-formed HTTP/1.1")                    \
  X(TooManyRequests, "too_many_requests", 429,                                                    \
    "as many views and reads from the client's address are queued or running as may be")          \
  X(TooManyConnections, "too_many_connections", 503, "as many connections are open as may be")    \
  X(TooManyWaiting, "too_many_waiting", 503, "as many submits wait for receipts as may")          \
  X(Busy, "busy", 503,                                                                            \
    "the node runs as many views, reads or forwards, or holds as many unread answers, as it may") \
  X(Internal, "internal", 500, "the node failed to answer (a bug: the message says where)")       \
  /* Authentication (node/api/auth/errors.hpp names the same codes, and maps onto these). */      \
  X(Unauthenticated, "unauthenticated", 401,                                                      \
    "the endpoint needs credentials: a signed request (RFC 9421) or a bearer token")              \
  X(BadCredentials, "bad_credentials", 401,                                                       \
    "the credentials do not parse, or do not cover what they must")                               \
  X(SignatureInvalid, "signature_invalid", 401,                                                   \
    "a request's, token's or assertion's signature does not verify with the key it names")        \
  X(DigestMismatch, "digest_mismatch", 401,                                                       \
    "the body is not the one the signed Content-Digest names")                                    \
  X(Expired, "expired", 401, "the signature, token or assertion is outside the time it is valid") \
  X(Replayed, "replayed", 401, "the signature or assertion was used before")                      \
  X(WrongAudience, "wrong_audience", 401,                                                         \
    "the token or assertion is for another node, or from another chain")                          \
  X(Revoked, "revoked", 401, "the token was revoked, or issued before its client's not-before")   \
  X(UnregisteredClient, "unregistered_client", 401, "the client is not registered with the node") \
  X(BadGrant, "bad_grant", 400,                                                                   \
    "a token request is not client_credentials with a JWT-bearer client assertion")               \
  X(BadScope, "bad_scope", 400, "a token request asks for a scope the node does not grant")       \
  X(InsufficientScope, "insufficient_scope", 403, "the token's scope does not cover the request") \
  X(WrongPrincipal, "wrong_principal", 403,                                                       \
    "the request acts for another identity than the one it authenticated as")

// The transaction's codes first, then the API's own.
enum class ApiCode {
#define ASSENT_API_CODE(code, name, status, meaning) code,
  ASSENT_TX_ERRORS(ASSENT_API_CODE) ASSENT_API_ERRORS(ASSENT_API_CODE)
#undef ASSENT_API_CODE
};

struct ApiErrorInfo {
  ApiCode code;
  const char* name;
  int status;
  const char* meaning;
};

inline constexpr ApiErrorInfo kApiErrors[] = {
#define ASSENT_API_ROW(code, name, status, meaning) {ApiCode::code, name, status, meaning},
    ASSENT_TX_ERRORS(ASSENT_API_ROW) ASSENT_API_ERRORS(ASSENT_API_ROW)
#undef ASSENT_API_ROW
};

// The row of `code`.
const ApiErrorInfo& api_error_info(ApiCode code);
// The code whose name is `name`, if any.
std::optional<ApiCode> api_code_named(std::string_view name);

// The API's code of each of the chain's errors: a transaction's refusal has its own row; a
// read is `store` or `corrupt`.
ApiCode api_code(TxError code);
ApiCode api_code(ReadError code);
ApiCode api_code(auth::AuthError code);

// An error to answer: its code (hence its status) and a message that says what and where.
struct ApiFailure {
  ApiCode code;
  std::string message;
  int status() const { return api_error_info(code).status; }
};
// A transaction's refusal as the API answers it: its code's row, or for one the proposer
// refused, the proposer's code when it is one of this table's (peer_refused when not).
ApiFailure api_failure(const TxRejection& rejection);
ApiFailure api_failure(const ReadFailure& failure);
ApiFailure api_failure(const auth::AuthFailure& failure);

}  // namespace assent::node
