// Who sent a request (the router's guard), and the token endpoints (docs/api.md,
// "Authentication"): POST /v1/token gives a registered client a bearer token for its signed
// assertion (SMART Backend Services), POST /v1/token/revoke takes one back (RFC 7009).
#include "node/api/requests.hpp"
#include "node/api/server.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

std::string header_of(const HttpRequest& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string() : it->second;
}

}  // namespace

std::optional<HttpResponse> ApiServer::authenticate(HttpRequest& req, Access access) {
  if (access == Access::Open) return std::nullopt;  // its credentials are not even read
  auto principal = auth_->authenticate({req.method, req.target, &req.headers, req.body});
  if (!principal.ok()) {
    ++metrics_.auth_refused;
    return error_response(api_failure(principal.error()));
  }
  if (!principal->authenticated()) {
    if (!config_.require_auth) return std::nullopt;
    ++metrics_.auth_refused;
    return error_response(
        ApiCode::Unauthenticated,
        req.method + " " + req.target.substr(0, 64) +
            " needs credentials: sign the request with your key (HTTP Message Signatures, RFC "
            "9421: `assent` does) or send `Authorization: Bearer <token>` (POST /v1/token; "
            "`assent token --as NAME` prints one). docs/api.md, Authentication, says how");
  }
  const uint8_t needs = access == Access::Write ? auth::kScopeWrite : auth::kScopeRead;
  if ((principal->scopes & needs) == 0) {
    ++metrics_.auth_refused;
    return error_response(ApiCode::InsufficientScope,
                          std::string("the token's scope does not cover ") +
                              (access == Access::Write ? "submits: ask for " : "reads: ask for ") +
                              (access == Access::Write ? auth::kWriteScope : auth::kReadScope));
  }
  ++(principal->how == auth::AuthMethod::Token ? metrics_.token_requests
                                               : metrics_.signed_requests);
  req.principal = *principal;
  return std::nullopt;
}

std::vector<std::string> ApiServer::token_audiences() const {
  std::vector<std::string> out = {url() + "/v1/token"};
  for (const std::string& u : config_.public_urls)
    out.push_back((u.ends_with("/") ? u.substr(0, u.size() - 1) : u) + "/v1/token");
  return out;
}

ApiServer::Answer ApiServer::post_token(const HttpRequest& req) {
  auto grant = auth_->tokens().issue(header_of(req, "content-type"), req.body, token_audiences(),
                                     auth_->now());
  if (!grant.ok()) {
    ++metrics_.auth_refused;
    return fail(api_failure(grant.error()));
  }
  return json_response(200, {{"access_token", grant->access_token},
                             {"token_type", "bearer"},
                             {"expires_in", grant->expires_in},
                             {"scope", grant->scope}});
}

ApiServer::Answer ApiServer::revoke_token(const HttpRequest& req) {
  auto revoked =
      auth_->tokens().revoke(header_of(req, "content-type"), req.body, req.principal, auth_->now());
  if (!revoked.ok()) return fail(api_failure(revoked.error()));
  return json_response(200, {{"revoked", *revoked}});
}

}  // namespace assent::node
