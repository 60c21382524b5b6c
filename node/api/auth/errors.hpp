// Why a request's credentials were refused: one code per reason, each with what it means.
// Every code is also a code of the API's one error table (node/api/api_errors.hpp), under the
// same name, which gives it its HTTP status and its name on the wire: api_code(AuthError) is
// generated from this table and does not compile if a row is missing there.
#pragma once

#include <string>

namespace assent::node::auth {

#define ASSENT_AUTH_ERRORS(X)                                                                 \
  X(Unauthenticated, "the request carries no credentials, and the endpoint needs them")       \
  X(BadCredentials, "the credentials do not parse, or do not cover what they must")           \
  X(SignatureInvalid, "a signature does not verify with the key it names")                    \
  X(DigestMismatch, "the body is not the one the signed Content-Digest names")                \
  X(Expired, "the signature, token or assertion is outside the time it is valid")             \
  X(Replayed, "the signature or assertion was used before")                                   \
  X(WrongAudience, "the token or assertion is for another node, or from another chain")       \
  X(Revoked, "the token was revoked, or issued before its client's not-before time")          \
  X(UnregisteredClient, "the client is not registered with the node")                         \
  X(BadGrant, "a token request is not client_credentials with a JWT-bearer client assertion") \
  X(BadScope, "a token request asks for a scope the node does not grant")                     \
  X(InsufficientScope, "the token's scope does not cover the request")                        \
  X(WrongPrincipal, "the request acts for another identity than the one it authenticated as")

enum class AuthError {
#define ASSENT_AUTH_ERROR_CODE(code, meaning) code,
  ASSENT_AUTH_ERRORS(ASSENT_AUTH_ERROR_CODE)
#undef ASSENT_AUTH_ERROR_CODE
};

// A refusal: its code, and a message that says what is wrong and how to fix it (never echoing
// more of the request than a short, escaped excerpt).
struct AuthFailure {
  AuthError code;
  std::string message;
};

// What `code` means (its row above).
const char* auth_error_meaning(AuthError code);

}  // namespace assent::node::auth
