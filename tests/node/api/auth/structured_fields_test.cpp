// The structured-field parser (RFC 8941) for what HTTP Message Signatures need: the
// dictionaries of Signature-Input, Signature and Content-Digest, parsed strictly and
// serialized back canonically.
#include <doctest/doctest.h>

#include "node/api/auth/base64.hpp"
#include "node/api/auth/structured_fields.hpp"

using namespace assent::node::auth;

TEST_CASE("structured fields: RFC 9421's Signature-Input parses and serializes back as sent") {
  const std::string text =
      R"(sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519")";
  auto d = parse_sf_dictionary(text);
  REQUIRE_MESSAGE(d.ok(), (d.ok() ? "" : d.error()));
  REQUIRE(d->size() == 1);
  CHECK(d->front().first == "sig-b26");
  const auto& list = std::get<SfInnerList>(d->front().second);
  REQUIRE(list.items.size() == 6);
  CHECK(std::get<std::string>(list.items[1].value) == "@method");
  CHECK(std::get<int64_t>(*sf_param(list.params, "created")) == 1618884473);
  CHECK(std::get<std::string>(*sf_param(list.params, "keyid")) == "test-key-ed25519");
  CHECK("sig-b26=" + serialize_sf(list) == text);
}

TEST_CASE("structured fields: items, byte sequences, tokens, booleans and parameters") {
  auto d =
      parse_sf_dictionary("a=1, b=\"x\\\"y\\\\z\" ,c=:AQID:;p=tok/en:1;q, d=?0, e, f=-42, g=*tok");
  REQUIRE_MESSAGE(d.ok(), (d.ok() ? "" : d.error()));
  REQUIRE(d->size() == 7);
  CHECK(std::get<int64_t>(std::get<SfItem>((*d)[0].second).value) == 1);
  CHECK(std::get<std::string>(std::get<SfItem>((*d)[1].second).value) == "x\"y\\z");
  const auto& c = std::get<SfItem>((*d)[2].second);
  CHECK(std::get<SfBytes>(c.value).bytes == std::vector<uint8_t>{1, 2, 3});
  CHECK(std::get<SfToken>(*sf_param(c.params, "p")).text == "tok/en:1");
  CHECK(std::get<bool>(*sf_param(c.params, "q")) == true);
  CHECK(std::get<bool>(std::get<SfItem>((*d)[3].second).value) == false);
  CHECK(std::get<bool>(std::get<SfItem>((*d)[4].second).value) == true);  // a bare key
  CHECK(std::get<int64_t>(std::get<SfItem>((*d)[5].second).value) == -42);
  CHECK(serialize_sf(c) == ":AQID:;p=tok/en:1;q");
  CHECK(serialize_sf(std::get<SfItem>((*d)[1].second)) == "\"x\\\"y\\\\z\"");
  // A byte sequence without its padding is read too (RFC 8941 4.2.7).
  auto unpadded = parse_sf_dictionary("a=:AQI:");
  REQUIRE(unpadded.ok());
  CHECK(std::get<SfBytes>(std::get<SfItem>(unpadded->front().second).value).bytes ==
        std::vector<uint8_t>{1, 2});
}

TEST_CASE("structured fields: what is not strictly well-formed is refused, saying where") {
  for (const char* text : {
           "a=1,",                // a trailing comma
           "a=1,,b=2",            // an empty member
           "A=1",                 // a key in upper case
           "a=1;x=1;x=2",         // a parameter twice
           "a=1, a=2",            // a key twice
           "a=1.5",               // a decimal
           "a=1234567890123456",  // 16 digits
           "a=\"open",            // an unterminated string
           "a=\"bad\\n\"",        // an escape other than \" and \\ .
           "a=\"tab\there\"",     // a control character
           "a=(\"x\"",            // an unterminated inner list
           "a=(\"x\"\"y\")",      // items not separated
           "a=:AQ*D:",            // not base64
           "a=:AQID",             // an unterminated byte sequence
           "a=?2",                // not a boolean
           "a=1 b=2",             // members not separated by a comma
           "a=@x",                // no item starts with @
       }) {
    auto d = parse_sf_dictionary(text);
    CHECK_MESSAGE(!d.ok(), "accepted: " << text);
  }
  CHECK(parse_sf_dictionary("")->empty());  // an empty field: no member (verify_request wants one)
  // Too many members: bounded whatever the header's size.
  std::string many;
  for (std::size_t i = 0; i <= kMaxSfMembers; ++i) {
    if (i) many += ',';
    many += 'k';
    many += std::to_string(i);
    many += "=1";
  }
  CHECK(!parse_sf_dictionary(many).ok());
  auto where = parse_sf_dictionary("a=1 b=2");
  REQUIRE(!where.ok());
  CHECK(where.error().find("character 5") != std::string::npos);
}

TEST_CASE("base64: both alphabets round-trip; what is not base64 is refused") {
  const std::vector<uint8_t> bytes = {0xfb, 0xff, 0x00, 0x10, 0x83};
  CHECK(base64_encode(bytes) == "+/8AEIM=");
  CHECK(base64url_encode(bytes) == "-_8AEIM");
  CHECK(base64_decode("+/8AEIM=") == bytes);
  CHECK(base64_decode("+/8AEIM") == bytes);
  CHECK(base64url_decode("-_8AEIM") == bytes);
  CHECK(!base64url_decode("-_8AEIM=").has_value());  // a JWS part is never padded
  CHECK(!base64_decode("-_8AEIM").has_value());      // the other alphabet
  CHECK(!base64_decode("+/8AEIM==").has_value());    // more padding than the length needs
  CHECK(!base64_decode("A").has_value());            // six bits make no byte
  CHECK(!base64_decode("AB=C").has_value());         // padding in the middle
  CHECK(base64_decode("")->empty());
}
