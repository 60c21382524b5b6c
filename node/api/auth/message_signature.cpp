#include "node/api/auth/message_signature.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "node/api/auth/base64.hpp"
#include "stdlib/crypto.hpp"
#include "vm/hex.hpp"

namespace assent::node::auth {

namespace {

constexpr std::string_view kLabel = "sig";
constexpr std::string_view kRequired[] = {"@method", "@authority", "@path", "@query"};
constexpr std::size_t kMaxNonceBytes = 256;

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// At most 64 printable characters of what a client sent, for a message that names it.
std::string excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64))
    out += (c >= 0x20 && c < 0x7f && c != '`') ? c : '?';
  return text.size() > 64 ? out + "..." : out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
    v.remove_suffix(1);
  return v;
}

const std::string* header(const SignedMessage& m, const std::string& name) {
  if (m.headers == nullptr) return nullptr;
  auto it = m.headers->find(name);
  return it == m.headers->end() ? nullptr : &it->second;
}

AuthFailure bad(std::string message) {
  return {AuthError::BadCredentials, std::move(message)};
}

// Whether `name` may be a covered header field: a field name in lower case.
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

// The SHA-256 the Content-Digest header names, or what is wrong with it.
Result<std::vector<uint8_t>, AuthFailure> digest_named(const SignedMessage& m) {
  const std::string* value = header(m, "content-digest");
  if (value == nullptr)
    return fail(bad("a request with a body carries Content-Digest: sha-256=:<base64>: (RFC 9530)"));
  auto dict = parse_sf_dictionary(*value);
  if (!dict.ok())
    return fail(bad("Content-Digest is not a structured dictionary: " + dict.error()));
  for (const auto& [algorithm, member] : *dict) {
    if (algorithm != "sha-256") continue;
    const SfItem* item = std::get_if<SfItem>(&member);
    const SfBytes* bytes = item ? std::get_if<SfBytes>(&item->value) : nullptr;
    if (bytes == nullptr || bytes->bytes.size() != 32)
      return fail(bad("Content-Digest's sha-256 is not 32 bytes as :base64:"));
    return bytes->bytes;
  }
  return fail(bad("Content-Digest names no sha-256 digest: this node checks sha-256"));
}

// The covered components' names, checked: strings without parameters, each once, derived
// ones of this profile only, header fields in lower case.
Result<std::vector<std::string>, AuthFailure> covered_names(const SfInnerList& covered) {
  std::vector<std::string> names;
  for (const SfItem& item : covered.items) {
    const std::string* name = std::get_if<std::string>(&item.value);
    if (name == nullptr) return fail(bad("Signature-Input covers an item that is not a string"));
    if (!item.params.empty())
      return fail(bad("Signature-Input gives `" + excerpt(*name) +
                      "` parameters; this node takes components without them"));
    if (std::find(names.begin(), names.end(), *name) != names.end())
      return fail(bad("Signature-Input covers `" + excerpt(*name) + "` twice"));
    const bool derived = name->starts_with("@");
    if (derived &&
        std::find(std::begin(kRequired), std::end(kRequired), *name) == std::end(kRequired))
      return fail(bad("Signature-Input covers `" + excerpt(*name) +
                      "`; this node knows @method, @authority, @path and @query"));
    if (!derived && !is_field_name(*name))
      return fail(bad("Signature-Input covers `" + excerpt(*name) +
                      "`, which is no header field's name in lower case"));
    names.push_back(*name);
  }
  return names;
}

}  // namespace

Result<std::string, std::string> component_value(const SignedMessage& m,
                                                 std::string_view component) {
  const std::size_t q = m.target.find('?');
  if (component == "@method") return std::string(m.method);
  if (component == "@authority") {
    if (m.authority.empty()) return fail(std::string("the request has no Host header"));
    return lower(trim(m.authority));
  }
  if (component == "@path") {
    const std::string_view path = m.target.substr(0, q);
    return path.empty() ? std::string("/") : std::string(path);
  }
  if (component == "@query")
    return q == std::string_view::npos ? std::string("?") : std::string(m.target.substr(q));
  if (component.starts_with("@"))
    return fail("`" + excerpt(component) + "` is not a component this node derives");
  const std::string* value = header(m, std::string(component));
  if (value == nullptr) return fail("the request has no `" + excerpt(component) + "` header");
  return std::string(trim(*value));
}

Result<std::string, std::string> signature_base(const SignedMessage& m,
                                                const SfInnerList& covered) {
  std::string base;
  for (const SfItem& item : covered.items) {
    const std::string* name = std::get_if<std::string>(&item.value);
    if (name == nullptr) return fail(std::string("a covered component is not a string"));
    auto value = component_value(m, *name);
    if (!value.ok()) return fail(value.error());
    // A value holding a line break would let one component pose as two.
    if (value->find_first_of("\r\n") != std::string::npos)
      return fail("`" + excerpt(*name) + "` holds a line break");
    base += serialize_sf(item) + ": " + *value + "\n";
  }
  return base + "\"@signature-params\": " + serialize_sf(covered);
}

std::string content_digest(std::string_view body) {
  const stdlib::Hash h = stdlib::sha256(bytes_of(body));
  return "sha-256=:" + base64_encode(h) + ":";
}

std::vector<std::pair<std::string, std::string>> sign_request(
    const KeyPair& key, std::string_view method, std::string_view authority,
    std::string_view target, std::string_view body, int64_t created, const std::string& nonce) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::map<std::string, std::string> fields;
  SfInnerList covered;
  for (std::string_view name : kRequired)
    covered.items.push_back({std::string(name), {}});
  if (!body.empty()) {
    fields["content-digest"] = content_digest(body);
    headers.emplace_back("Content-Digest", fields["content-digest"]);
    covered.items.push_back({std::string("content-digest"), {}});
  }
  covered.params = {
      {"created", created}, {"keyid", to_hex(key.public_key())}, {"alg", std::string("ed25519")}};
  if (!nonce.empty()) covered.params.emplace_back("nonce", nonce);
  const SignedMessage m{method, authority, target, &fields};
  // Every component here has a value: the base cannot fail.
  const std::string base = signature_base(m, covered).value();
  const Signature sig = key.sign(bytes_of(base));
  headers.emplace_back("Signature-Input", std::string(kLabel) + "=" + serialize_sf(covered));
  headers.emplace_back("Signature", std::string(kLabel) + "=:" + base64_encode(sig) + ":");
  return headers;
}

std::string authority_of_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  const std::string_view scheme =
      scheme_end == std::string_view::npos ? "http" : url.substr(0, scheme_end);
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('/'));
  const std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    const std::string_view port = rest.substr(colon + 1);
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443"))
      rest = rest.substr(0, colon);
  }
  return lower(rest);
}

std::string new_nonce() {
  std::array<uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
  return to_hex(bytes);
}

Result<VerifiedSignature, AuthFailure> verify_request(const SignedMessage& m, std::string_view body,
                                                      int64_t now, int64_t max_skew) {
  const std::string* input_text = header(m, "signature-input");
  const std::string* signature_text = header(m, "signature");
  if (input_text == nullptr || signature_text == nullptr)
    return fail(bad(std::string("a signed request carries both Signature-Input and Signature "
                                "(RFC 9421); this one has only ") +
                    (input_text ? "Signature-Input" : "Signature")));
  auto inputs = parse_sf_dictionary(*input_text);
  if (!inputs.ok())
    return fail(bad("Signature-Input is not a structured dictionary: " + inputs.error()));
  auto signatures = parse_sf_dictionary(*signature_text);
  if (!signatures.ok())
    return fail(bad("Signature is not a structured dictionary: " + signatures.error()));
  if (inputs->size() != 1 || signatures->size() != 1)
    return fail(bad("Signature-Input and Signature hold " + std::to_string(inputs->size()) +
                    " and " + std::to_string(signatures->size()) +
                    " signatures; this node takes one, under one label in both"));
  const auto& [label, input_member] = inputs->front();
  const auto& [signature_label, signature_member] = signatures->front();
  if (label != signature_label)
    return fail(bad("Signature-Input's label `" + excerpt(label) + "` is not Signature's `" +
                    excerpt(signature_label) + "`"));
  const SfInnerList* covered = std::get_if<SfInnerList>(&input_member);
  if (covered == nullptr)
    return fail(
        bad("Signature-Input's `" + excerpt(label) + "` is not an inner list of components"));
  const SfItem* signature_item = std::get_if<SfItem>(&signature_member);
  const SfBytes* signature_bytes =
      signature_item ? std::get_if<SfBytes>(&signature_item->value) : nullptr;
  if (signature_bytes == nullptr || signature_bytes->bytes.size() != 64)
    return fail(bad("Signature's `" + excerpt(label) + "` is not 64 bytes as :base64:"));

  auto names = covered_names(*covered);
  if (!names.ok()) return fail(names.error());
  std::vector<std::string> missing;
  for (std::string_view required : kRequired)
    if (std::find(names->begin(), names->end(), required) == names->end())
      missing.emplace_back(required);
  const bool digest_covered =
      std::find(names->begin(), names->end(), "content-digest") != names->end();
  if (!body.empty() && !digest_covered) missing.emplace_back("content-digest");
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + name;
    return fail(bad("the signature does not cover " + list +
                    ": cover @method, @authority, @path, @query, and content-digest when the "
                    "request has a body"));
  }

  VerifiedSignature out;
  bool has_created = false, has_keyid = false;
  int64_t expires = 0;
  bool has_expires = false;
  for (const auto& [key, value] : covered->params) {
    const std::string* text = std::get_if<std::string>(&value);
    const int64_t* number = std::get_if<int64_t>(&value);
    if (key == "created" && number != nullptr) {
      out.created = *number;
      has_created = true;
    } else if (key == "expires" && number != nullptr) {
      expires = *number;
      has_expires = true;
    } else if (key == "keyid" && text != nullptr) {
      auto id = parse_hex(*text);
      if (!id.ok() || id->size() != 32 || text->size() != 64)
        return fail(bad("keyid `" + excerpt(*text) +
                        "` is not an identity: give the signer's public key, 64 hex digits"));
      std::copy(id->begin(), id->end(), out.key.begin());
      has_keyid = true;
    } else if (key == "alg" && text != nullptr) {
      if (*text != "ed25519")
        return fail(
            bad("alg `" + excerpt(*text) + "` is not ed25519, the only one this node takes"));
    } else if (key == "nonce" && text != nullptr) {
      if (text->size() > kMaxNonceBytes)
        return fail(bad("the nonce is longer than " + std::to_string(kMaxNonceBytes) + " bytes"));
    } else if (key == "tag" && text != nullptr) {
      // An application's label for the signature: nothing here depends on it.
    } else {
      return fail(bad("the signature parameter `" + excerpt(key) +
                      "` is not one this node knows, or not of its type (created and expires "
                      "are integers; keyid, alg, nonce and tag strings)"));
    }
  }
  if (!has_created || !has_keyid)
    return fail(bad(std::string("the signature names no ") + (has_created ? "keyid" : "created") +
                    ": give created (unix seconds) and keyid (the signer's identity in hex)"));
  if (out.created > now + std::min(max_skew, kMaxFutureSeconds))
    return fail(AuthFailure{AuthError::Expired,
                            "the signature was created " + std::to_string(out.created - now) +
                                " s ahead of the node's clock, more than " +
                                std::to_string(std::min(max_skew, kMaxFutureSeconds)) +
                                " s: check the client's clock"});
  if (out.created < now - max_skew)
    return fail(AuthFailure{AuthError::Expired,
                            "the signature was created " + std::to_string(now - out.created) +
                                " s ago; one is good for " + std::to_string(max_skew) +
                                " s: sign each request as it is sent"});
  if (has_expires && expires <= now)
    return fail(
        AuthFailure{AuthError::Expired, "the signature expired (its `expires` has passed)"});
  out.valid_until = out.created + max_skew + 1;
  if (has_expires) out.valid_until = std::min(out.valid_until, expires);

  if (digest_covered || !body.empty()) {
    auto named = digest_named(m);
    if (!named.ok()) return fail(named.error());
    const stdlib::Hash actual = stdlib::sha256(bytes_of(body));
    if (!std::equal(actual.begin(), actual.end(), named->begin(), named->end()))
      return fail(AuthFailure{AuthError::DigestMismatch,
                              "the body's SHA-256 is not the one Content-Digest names: the body "
                              "changed after it was signed, or the digest is of other bytes"});
  }

  auto base = signature_base(m, *covered);
  if (!base.ok()) return fail(bad("the signature covers what the request lacks: " + base.error()));
  std::copy(signature_bytes->bytes.begin(), signature_bytes->bytes.end(), out.signature.begin());
  if (!stdlib::ed25519_verify(out.key, bytes_of(*base), out.signature))
    return fail(AuthFailure{AuthError::SignatureInvalid,
                            "the request's signature does not verify with the key keyid names (" +
                                to_hex(out.key) +
                                "): sign the RFC 9421 signature base with that key"});
  return out;
}

}  // namespace assent::node::auth
