// Fuzz target: any bytes as the headers of a signed request. The first line is parsed as a
// structured-field dictionary (RFC 8941): whatever parses must serialize to text that parses
// and serializes to the same text again. Then the lines are taken as Signature-Input,
// Signature, Content-Digest and the body of a request, which verify_request checks: it must
// answer (good or refused), never crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "node/api/auth/message_signature.hpp"

namespace {

using namespace assent::node::auth;

std::string serialize(const SfDictionary& d) {
  std::string out;
  for (const auto& [key, member] : d) {
    out += (out.empty() ? "" : ", ") + key + "=";
    if (const auto* item = std::get_if<SfItem>(&member))
      out += serialize_sf(*item);
    else
      out += serialize_sf(std::get<SfInnerList>(member));
  }
  return out;
}

std::string_view line(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  const std::string_view out = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view first = line(rest);
  if (auto d = parse_sf_dictionary(first); d.ok()) {
    const std::string once = serialize(*d);
    auto again = parse_sf_dictionary(once);
    if (!again.ok() || serialize(*again) != once) __builtin_trap();
  }
  std::map<std::string, std::string> headers;
  headers["signature-input"] = std::string(first);
  headers["signature"] = std::string(line(rest));
  const std::string_view digest = line(rest);
  if (!digest.empty()) headers["content-digest"] = std::string(digest);
  const SignedMessage message{"POST", "127.0.0.1:8645", "/v1/view?x=1", &headers};
  auto verified = verify_request(message, rest, 1'800'000'000);
  if (!verified.ok() && verified.error().message.empty()) __builtin_trap();
  return 0;
}
