#include "node/api/auth/authenticator.hpp"

#include <chrono>

namespace assent::node::auth {

int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Authenticator::Authenticator(KeyPair node_key, std::string chain_id, ClientRegistry clients,
                             AuthConfig config, Clock clock)
    : config_(config),
      clock_(std::move(clock)),
      signatures_(config.replay_capacity),
      tokens_(std::move(node_key), std::move(chain_id), std::move(clients), config.tokens) {}

namespace {

const std::string* header(const AuthRequest& r, const char* name) {
  if (r.headers == nullptr) return nullptr;
  auto it = r.headers->find(name);
  return it == r.headers->end() ? nullptr : &it->second;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

Result<Principal, AuthFailure> Authenticator::authenticate(const AuthRequest& request) {
  const std::string* authorization = header(request, "authorization");
  const bool signed_request = header(request, "signature") || header(request, "signature-input");
  if (authorization && signed_request)
    return fail(AuthFailure{AuthError::BadCredentials,
                            "the request carries both a bearer token and a signature: send one"});
  if (authorization) return by_token(*authorization);
  if (signed_request) {
    const std::string* host = header(request, "host");
    return by_signature(request, host ? std::string_view(*host) : std::string_view());
  }
  return Principal{};
}

Result<Principal, AuthFailure> Authenticator::by_signature(const AuthRequest& request,
                                                           std::string_view host) {
  const SignedMessage message{request.method, host, request.target, request.headers};
  const int64_t now = clock_();
  auto verified = verify_request(message, request.body, now, config_.max_skew);
  if (!verified.ok()) return fail(verified.error());
  switch (signatures_.use(verified->signature, verified->valid_until, now)) {
    case ReplayCache::Use::Fresh:
      return Principal{verified->key, AuthMethod::Signature, kScopeAll};
    case ReplayCache::Use::Replayed:
      return fail(AuthFailure{AuthError::Replayed,
                              "the request's signature was used before: sign each request anew "
                              "(a new created, a new nonce)"});
    case ReplayCache::Use::TooOld:
      break;
  }
  return fail(AuthFailure{AuthError::Expired,
                          "the node has seen so many signed requests since this one was signed "
                          "that it cannot tell whether it is a replay: sign it again"});
}

Result<Principal, AuthFailure> Authenticator::by_token(std::string_view authorization) {
  if (!starts_with_ci(authorization, "bearer "))
    return fail(AuthFailure{AuthError::BadCredentials,
                            "Authorization is not `Bearer <token>`: this node takes bearer tokens "
                            "(POST /v1/token) or RFC 9421 signatures"});
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  return tokens_.verify(token, clock_());
}

}  // namespace assent::node::auth
