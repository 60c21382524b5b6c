#include "node/api/auth/tokens.hpp"

#include "node/api/auth/jwt.hpp"
#include "node/api/auth/message_signature.hpp"
#include "vm/hex.hpp"

namespace assent::node::auth {

namespace {

// "N s" for a time `then` before `now`, without overflow whatever `then` a client wrote
// (an exp of INT64_MIN once overflowed the subtraction).
std::string seconds_ago(int64_t now, int64_t then) {
  if (then < now - int64_t{1'000'000'000'000}) return "long";
  return std::to_string(now - then) + " s";
}

constexpr std::size_t kMaxJtiBytes = 256;
constexpr std::size_t kMaxFormFields = 16;

AuthFailure failure(AuthError code, std::string message) {
  return {code, std::move(message)};
}

int hex_value(char c) {
  return hex_digit_value(c);
}

std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// An application/x-www-form-urlencoded body: each field once (RFC 6749 3.2), at most a few.
Result<std::map<std::string, std::string>, AuthFailure> parse_form(std::string_view content_type,
                                                                   std::string_view body) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  std::string lowered(media);
  for (auto& c : lowered)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lowered.empty() && lowered.back() == ' ')
    lowered.pop_back();
  if (lowered != "application/x-www-form-urlencoded")
    return fail(
        failure(AuthError::BadGrant,
                "a token request is a form: Content-Type: application/x-www-form-urlencoded"));
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string name = form_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    if (fields.size() == kMaxFormFields)
      return fail(failure(AuthError::BadGrant, "the form has more fields than a token request"));
    if (!fields.emplace(std::move(name), std::move(value)).second)
      return fail(failure(AuthError::BadGrant, "a field of the form is given twice"));
  }
  return fields;
}

std::optional<stdlib::Identity> identity_of(const std::string& text) {
  auto bytes = parse_hex(text);
  if (text.size() != 64 || !bytes.ok() || bytes->size() != 32) return std::nullopt;
  stdlib::Identity id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

std::string scope_text(uint8_t scopes) {
  std::string out;
  if (scopes & kScopeRead) out = kReadScope;
  if (scopes & kScopeWrite) out += std::string(out.empty() ? "" : " ") + kWriteScope;
  return out;
}

// The scopes `text` asks for (space-separated), or why the node grants none of it.
Result<uint8_t, AuthFailure> scopes_of(const std::string& text) {
  uint8_t scopes = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::string one = text.substr(at, end - at);
    at = end + 1;
    if (one.empty()) continue;
    if (one == kReadScope)
      scopes |= kScopeRead;
    else if (one == kWriteScope)
      scopes |= kScopeWrite;
    else if (one == "system/*.*")
      scopes |= kScopeAll;
    else
      return fail(failure(AuthError::BadScope, "this node grants the scopes " +
                                                   std::string(kReadScope) + " and " + kWriteScope +
                                                   ", not `" + one.substr(0, 64) + "`"));
  }
  return scopes == 0 ? uint8_t{kScopeAll} : scopes;
}

}  // namespace

TokenIssuer::TokenIssuer(KeyPair key, std::string issuer, ClientRegistry clients,
                         TokenConfig config)
    : key_(std::move(key)),
      issuer_(std::move(issuer)),
      audience_(to_hex(key_.public_key())),
      clients_(std::move(clients)),
      config_(config),
      assertions_(config.replay_capacity) {}

TokenGrant TokenIssuer::grant(const stdlib::Identity& client, uint8_t scopes, int64_t now) const {
  const JwtJson claims = {{"iss", issuer_},
                          {"aud", audience_},
                          {"sub", to_hex(client)},
                          {"iat", now},
                          {"exp", now + config_.lifetime},
                          {"jti", new_nonce()},
                          {"scope", scope_text(scopes)}};
  return {sign_jwt(key_, claims), config_.lifetime, scope_text(scopes)};
}

Result<TokenGrant, AuthFailure> TokenIssuer::issue(std::string_view content_type,
                                                   std::string_view form,
                                                   const std::vector<std::string>& audiences,
                                                   int64_t now) {
  auto fields = parse_form(content_type, form);
  if (!fields.ok()) return fail(fields.error());
  auto field = [&](const char* name) {
    auto it = fields->find(name);
    return it == fields->end() ? std::string() : it->second;
  };
  if (field("grant_type") != "client_credentials")
    return fail(failure(AuthError::BadGrant, "grant_type must be client_credentials"));
  if (field("client_assertion_type") != kJwtBearer)
    return fail(
        failure(AuthError::BadGrant, std::string("client_assertion_type must be ") + kJwtBearer));
  const std::string assertion = field("client_assertion");
  if (assertion.empty())
    return fail(failure(AuthError::BadGrant,
                        "client_assertion must be a JWT the client signed (alg EdDSA)"));
  auto scopes = scopes_of(field("scope"));
  if (!scopes.ok()) return fail(scopes.error());

  auto jwt = parse_jwt(assertion);
  if (!jwt.ok()) return fail(jwt.error());
  const auto iss = claim_string(jwt->claims, "iss"), sub = claim_string(jwt->claims, "sub");
  const auto client = iss ? identity_of(*iss) : std::nullopt;
  if (!client || sub != iss)
    return fail(failure(AuthError::BadCredentials,
                        "the assertion's iss and sub are the client's id: its identity, 64 hex "
                        "digits"));
  if (!jwt_signed_by(*jwt, *client))
    return fail(
        failure(AuthError::SignatureInvalid,
                "the assertion's signature does not verify with the client's key (" + *iss + ")"));
  bool audience_ok = false;
  for (const auto& a : audiences)
    audience_ok = audience_ok || audience_names(jwt->claims, a);
  if (!audience_ok)
    return fail(failure(AuthError::WrongAudience,
                        "the assertion's aud is not this node's token endpoint: give " +
                            (audiences.empty() ? std::string("its URL") : audiences.front())));
  const auto exp = claim_time(jwt->claims, "exp");
  if (!exp)
    return fail(failure(AuthError::BadCredentials, "the assertion has no exp (unix seconds)"));
  if (*exp <= now)
    return fail(failure(AuthError::Expired, "the assertion expired " + seconds_ago(now, *exp) +
                                                " ago: make a new one for each request"));
  if (*exp > now + config_.max_assertion_lifetime)
    return fail(failure(AuthError::BadCredentials,
                        "the assertion's exp is more than " +
                            std::to_string(config_.max_assertion_lifetime) + " s ahead"));
  for (const char* early : {"nbf", "iat"})
    if (auto t = claim_time(jwt->claims, early); t && *t > now + config_.max_skew)
      return fail(failure(AuthError::Expired, std::string("the assertion's ") + early +
                                                  " is ahead of the node's clock: check the "
                                                  "client's clock"));
  const auto jti = claim_string(jwt->claims, "jti");
  if (!jti || jti->empty() || jti->size() > kMaxJtiBytes)
    return fail(failure(AuthError::BadCredentials,
                        "the assertion has no jti: a unique id, used once (at most 256 bytes)"));
  auto info = clients_ ? clients_(*client) : std::nullopt;
  if (!info)
    return fail(failure(AuthError::UnregisteredClient,
                        "the client " + *iss +
                            " is not registered with this node: its operator registers it "
                            "(`assent node --clients FILE`)"));
  const std::string seen = "assertion\n" + *iss + "\n" + *jti;
  switch (
      assertions_.use({reinterpret_cast<const uint8_t*>(seen.data()), seen.size()}, *exp, now)) {
    case ReplayCache::Use::Fresh:
      break;
    case ReplayCache::Use::Replayed:
      return fail(failure(AuthError::Replayed,
                          "the assertion's jti was used before: make a new assertion, with a "
                          "new jti, for each token request"));
    case ReplayCache::Use::TooOld:
      return fail(failure(AuthError::Expired,
                          "the node has seen so many assertions since this one was made that it "
                          "cannot tell whether it was used: make a new one"));
  }
  return grant(*client, *scopes, now);
}

Result<TokenIssuer::Verified, AuthFailure> TokenIssuer::check(std::string_view token,
                                                              int64_t now) const {
  auto jwt = parse_jwt(token);
  if (!jwt.ok()) return fail(jwt.error());
  if (!audience_names(jwt->claims, audience_))
    return fail(failure(AuthError::WrongAudience,
                        "the token is for another node (its aud is not this node's identity, " +
                            audience_ + "): ask this node's POST /v1/token for one"));
  if (claim_string(jwt->claims, "iss") != issuer_)
    return fail(failure(AuthError::WrongAudience,
                        "the token was issued for another chain than `" + issuer_ + "`"));
  if (!jwt_signed_by(*jwt, key_.public_key()))
    return fail(failure(AuthError::SignatureInvalid,
                        "the token's signature does not verify with this node's key: it was "
                        "altered, or not made here"));
  Verified v;
  const auto exp = claim_time(jwt->claims, "exp"), iat = claim_time(jwt->claims, "iat");
  const auto sub = claim_string(jwt->claims, "sub"), jti = claim_string(jwt->claims, "jti");
  const auto client = sub ? identity_of(*sub) : std::nullopt;
  if (!exp || !iat || !client || !jti)
    return fail(failure(AuthError::BadCredentials, "the token lacks exp, iat, sub or jti"));
  if (*exp <= now)
    return fail(failure(AuthError::Expired, "the token expired " + seconds_ago(now, *exp) +
                                                " ago: ask POST /v1/token for a new one"));
  auto scopes = scopes_of(claim_string(jwt->claims, "scope").value_or(""));
  v.principal = {*client, AuthMethod::Token, scopes.ok() ? *scopes : uint8_t{0}};
  v.issued = *iat;
  v.expires = *exp;
  v.jti = *jti;
  return v;
}

std::optional<AuthFailure> TokenIssuer::still_valid(const Verified& v, int64_t now) {
  if (v.expires <= now)
    return failure(AuthError::Expired, "the token expired " + std::to_string(now - v.expires) +
                                           " s ago: ask POST /v1/token for a new one");
  auto info = clients_ ? clients_(v.principal.identity) : std::nullopt;
  if (!info)
    return failure(AuthError::UnregisteredClient,
                   "the token's client is no longer registered with this node");
  if (v.issued < info->not_before)
    return failure(AuthError::Revoked,
                   "the token was issued before its client's not-before time: ask for a new one");
  std::lock_guard lock(mutex_);
  if (revoked_.count(v.jti) > 0) return failure(AuthError::Revoked, "the token was revoked");
  return std::nullopt;
}

Result<Principal, AuthFailure> TokenIssuer::verify(std::string_view token, int64_t now) {
  std::optional<Verified> known;
  {
    std::lock_guard lock(mutex_);
    if (auto it = verified_.find(std::string(token)); it != verified_.end()) known = it->second;
  }
  if (!known) {
    auto checked = check(token, now);
    if (!checked.ok()) return fail(checked.error());
    known = std::move(checked).value();
    std::lock_guard lock(mutex_);
    // Bounded: when full, forget them all (each costs one signature check to learn again).
    if (verified_.size() >= config_.verified_capacity) verified_.clear();
    verified_.emplace(std::string(token), *known);
  }
  if (auto refused = still_valid(*known, now)) return fail(std::move(*refused));
  return known->principal;
}

Result<bool, AuthFailure> TokenIssuer::revoke(std::string_view content_type, std::string_view form,
                                              const Principal& by, int64_t now) {
  auto fields = parse_form(content_type, form);
  if (!fields.ok()) return fail(fields.error());
  auto token = fields->find("token");
  if (token == fields->end() || token->second.empty())
    return fail(failure(AuthError::BadGrant, "a revocation names the token: token=<the token>"));
  auto checked = check(token->second, now);
  if (!checked.ok()) return false;  // not this node's, or expired: nothing to revoke
  if (checked->principal.identity != by.identity)
    return fail(failure(AuthError::WrongPrincipal,
                        "only the token's client may revoke it; this request is another's"));
  std::lock_guard lock(mutex_);
  for (auto it = revoked_.begin(); it != revoked_.end();)
    it = it->second <= now ? revoked_.erase(it) : std::next(it);
  if (revoked_.size() >= config_.max_revoked)
    return fail(failure(AuthError::Revoked,
                        "the node holds as many revoked tokens as it may; deregister the client "
                        "(or raise its not-before) instead"));
  revoked_.emplace(checked->jti, checked->expires);
  verified_.erase(token->second);
  return true;
}

}  // namespace assent::node::auth
