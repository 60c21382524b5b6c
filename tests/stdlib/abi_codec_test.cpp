// The ABI codec: JSON to the canonical encoding and back, for every type, and clear errors
// for values that do not fit.
#include <doctest/doctest.h>

#include "stdlib/abi_codec.hpp"
#include "vm/hex.hpp"

using namespace assent;
using abi::Json;
using vm::Type;
using vm::TypeTag;

namespace {

Type t(TypeTag tag) {
  return Type{tag, 0, {}};
}
Type named(uint32_t i) {
  return Type{TypeTag::Named, i, {}};
}

vm::Abi sample_abi() {
  vm::Abi a;
  a.types.push_back({vm::TypeDefKind::Enum, "Purpose", {}, {"Treatment", "Research"}});
  a.types.push_back({vm::TypeDefKind::Record,
                     "Grant",
                     {{"who", t(TypeTag::Identity), false},
                      {"purposes", Type{TypeTag::Set, 0, {named(0)}}, false},
                      {"note", t(TypeTag::String), false}},
                     {}});
  return a;
}

// Encodes `value` as `type`, checks the hex, and that decoding gives the value back.
void round_trip(const Type& type, const Json& value, const std::string& hex,
                const vm::Abi& a = sample_abi()) {
  CAPTURE(value.dump());
  auto bytes = abi::from_json(type, a, value, "value");
  REQUIRE_MESSAGE(bytes.ok(), bytes.error());
  CHECK(to_hex(*bytes) == hex);
  std::size_t used = 0;
  auto back = abi::to_json(type, a, *bytes, used);
  REQUIRE_MESSAGE(back.ok(), back.error());
  CHECK(*back == value);
  CHECK(used == bytes->size());
  CHECK(abi::measure(type, a, *bytes) == bytes->size());
}

}  // namespace

TEST_CASE("abi: every type round-trips through JSON") {
  round_trip(t(TypeTag::Bool), true, "01");
  round_trip(t(TypeTag::U8), 200, "c8");
  round_trip(t(TypeTag::U32), 70000, "70110100");
  round_trip(t(TypeTag::U64), 1, "0100000000000000");
  round_trip(t(TypeTag::I64), -2, "feffffffffffffff");
  round_trip(t(TypeTag::Time), 1700000000, "00f1536500000000");
  round_trip(t(TypeTag::Duration), 60, "3c00000000000000");
  round_trip(t(TypeTag::U256), "256",
             "0001000000000000000000000000000000000000000000000000000000000000");
  round_trip(t(TypeTag::Identity), std::string(64, 'a'), std::string(64, 'a'));
  round_trip(t(TypeTag::Bytes), "cafe", "02000000cafe");
  round_trip(t(TypeTag::String), "hi", "020000006869");
  round_trip(Type{TypeTag::List, 0, {t(TypeTag::U8)}}, Json::array({1, 2}), "020000000102");
  round_trip(Type{TypeTag::Set, 0, {named(0)}}, Json::array({"Research"}), "0200000000000000");
  round_trip(Type{TypeTag::Optional, 0, {t(TypeTag::U8)}}, nullptr, "00");
  round_trip(Type{TypeTag::Optional, 0, {t(TypeTag::U8)}}, 7, "0107");
  round_trip(Type{TypeTag::Tuple, 0, {t(TypeTag::U8), t(TypeTag::Bool)}}, Json::array({3, false}),
             "0300");
  round_trip(named(0), "Research", "01");
  round_trip(
      named(1),
      Json{{"who", std::string(64, '0')}, {"purposes", Json::array({"Treatment"})}, {"note", ""}},
      std::string(64, '0') + "0100000000000000" + "00000000");
}

TEST_CASE("abi: integers are accepted as decimal strings too") {
  auto bytes = abi::from_json(t(TypeTag::U64), {}, "18446744073709551615", "x");
  REQUIRE(bytes.ok());
  CHECK(to_hex(*bytes) == "ffffffffffffffff");
}

TEST_CASE("abi: values that do not fit are refused with what and where") {
  const vm::Abi a = sample_abi();
  auto error = [&](const Type& type, const Json& v) {
    auto r = abi::from_json(type, a, v, "argument `x`");
    REQUIRE(!r.ok());
    return r.error();
  };
  CHECK(error(t(TypeTag::U8), 256) == "argument `x`: 256 does not fit in u8");
  CHECK(error(t(TypeTag::U64), -1) == "argument `x`: -1 is negative");
  CHECK(error(t(TypeTag::Bool), 1) == "argument `x`: expected true or false, found 1");
  CHECK(error(t(TypeTag::Identity), "abcd") ==
        "argument `x`: an identity is 32 bytes (64 hex digits), this is 2");
  CHECK(error(t(TypeTag::Bytes), "zz").find("bad hex digit") != std::string::npos);
  CHECK(error(named(0), "Payment") == "argument `x`: `Payment` is not a variant of `Purpose`");
  CHECK(error(named(1), Json::object()) == "argument `x`: missing field `who`");
  CHECK(error(t(TypeTag::U256), "-5") ==
        "argument `x`: expected a u256 as a decimal string, found \"-5\"");
  CHECK(error(Type{TypeTag::Tuple, 0, {t(TypeTag::U8), t(TypeTag::U8)}}, Json::array({1})) ==
        "argument `x`: expected an array of 2 values, found [1]");
}

// A u256 is decimal text (or a JSON number) below 2^256: anything else is refused, never
// wrapped or read in another base, since a client signs what the codec makes of the text.
TEST_CASE("abi: u256 text is decimal below 2^256, checked before it can wrap") {
  const std::string max =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  const std::string two_256 =
      "115792089237316195423570985008687907853269984665640564039457584007913129639936";
  // 2^512 + 5, which a uint512_t wraps to 5.
  const std::string wraps =
      "13407807929942597099574024998205846127479365820592393377723561443721764030073546976801874298"
      "1"
      "66903427690031858186486050853753882811946569946433649006084101";
  const std::string googol = '1' + std::string(100, '0');
  auto encode = [](const Json& v) {
    return abi::from_json(t(TypeTag::U256), {}, v, "argument `amount`");
  };
  auto hex_of = [&](const Json& v) {
    auto r = encode(v);
    REQUIRE_MESSAGE(r.ok(), r.error());
    return to_hex(*r);
  };
  CHECK(max.size() == 78);
  CHECK(hex_of(max) == std::string(64, 'f'));
  CHECK(hex_of("0") == std::string(64, '0'));
  CHECK(hex_of(5) == "05" + std::string(62, '0'));
  // Leading zeros are decimal: boost reads "010" as octal 8.
  CHECK(hex_of("010") == "0a" + std::string(62, '0'));
  CHECK(hex_of(std::string(100, '0') + "7") == "07" + std::string(62, '0'));
  const std::string too_big = " does not fit in u256 (at most 2^256 - 1, 78 digits)";
  CHECK(encode(two_256).error() == "argument `amount`: " + two_256 + too_big);
  CHECK(encode(wraps).error() == "argument `amount`: " + wraps + too_big);
  CHECK(encode(googol).error() == "argument `amount`: " + googol + too_big);
  for (const char* bad : {"-1", "", " 5", "5 ", "5x", "+5", "0x10", "1e3", "5.0"}) {
    CAPTURE(bad);
    auto r = encode(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() ==
          std::string("argument `amount`: expected a u256 as a decimal string, found ") +
              Json(bad).dump());
  }
  // JSON numbers: negative and fractional ones are not u256s.
  CHECK_FALSE(encode(-1).ok());
  CHECK_FALSE(encode(1.5).ok());
  CHECK_FALSE(encode(1e100).ok());
}

TEST_CASE("abi: smaller integers as text: decimal digits only, checked against their width") {
  auto encode = [](TypeTag tag, const Json& v) {
    return abi::from_json(t(tag), {}, v, "argument `n`");
  };
  CHECK(to_hex(*encode(TypeTag::U8, "255")) == "ff");
  CHECK(to_hex(*encode(TypeTag::U8, "007")) == "07");
  CHECK(encode(TypeTag::U8, "256").error() == "argument `n`: \"256\" does not fit in u8");
  CHECK(encode(TypeTag::U64, "18446744073709551616").error() ==
        "argument `n`: \"18446744073709551616\" does not fit in u64");
  CHECK(encode(TypeTag::U64, "-1").error() == "argument `n`: \"-1\" is negative");
  CHECK(to_hex(*encode(TypeTag::I64, "-9223372036854775808")) == "0000000000000080");
  CHECK(to_hex(*encode(TypeTag::I64, "9223372036854775807")) == "ffffffffffffff7f");
  CHECK(to_hex(*encode(TypeTag::I64, "-0")) == "0000000000000000");
  CHECK(encode(TypeTag::I64, "9223372036854775808").error() ==
        "argument `n`: \"9223372036854775808\" is out of range");
  CHECK(encode(TypeTag::I64, "-9223372036854775809").error() ==
        "argument `n`: \"-9223372036854775809\" is out of range");
  for (const char* bad : {"", " 5", "5 ", "+5", "5x", "0x10"})
    for (const TypeTag tag : {TypeTag::U64, TypeTag::I64}) {
      CAPTURE(bad);
      CHECK(encode(tag, bad).error() ==
            std::string("argument `n`: expected an integer, found ") + Json(bad).dump());
    }
  for (const char* bad : {"-", "--1", "- 1"}) {
    CAPTURE(bad);
    CHECK(encode(TypeTag::I64, bad).error() ==
          std::string("argument `n`: expected an integer, found ") + Json(bad).dump());
  }
}

TEST_CASE("abi: argument lists by name or in order; unknown and missing names refused") {
  const std::vector<vm::Field> params = {{"a", t(TypeTag::U8), false},
                                         {"b", t(TypeTag::Bool), false}};
  auto by_name = abi::fields_from_json(params, {}, Json{{"b", true}, {"a", 5}});
  REQUIRE(by_name.ok());
  CHECK(to_hex(*by_name) == "0501");
  auto in_order = abi::fields_from_json(params, {}, Json::array({5, true}));
  REQUIRE(in_order.ok());
  CHECK(*in_order == *by_name);
  CHECK(abi::fields_from_json(params, {}, Json{{"a", 5}}).error() == "missing argument `b`");
  CHECK(abi::fields_from_json(params, {}, Json{{"a", 5}, {"b", true}, {"c", 1}}).error() ==
        "unknown argument `c`");
  CHECK(abi::fields_from_json(params, {}, 5).error() ==
        "arguments must be a JSON object (by name) or array (in order)");
}

TEST_CASE("abi: malformed encodings are refused, not misread") {
  const vm::Abi a = sample_abi();
  CHECK_FALSE(abi::measure(t(TypeTag::Bool), a, std::vector<uint8_t>{2}).has_value());
  CHECK_FALSE(abi::measure(named(0), a, std::vector<uint8_t>{5}).has_value());
  CHECK_FALSE(
      abi::measure(t(TypeTag::String), a, std::vector<uint8_t>{9, 0, 0, 0, 'a'}).has_value());
  CHECK_FALSE(abi::measure(Type{TypeTag::Set, 0, {named(0)}}, a,
                           std::vector<uint8_t>{4, 0, 0, 0, 0, 0, 0, 0})
                  .has_value());
  auto r = abi::fields_to_json({{"a", t(TypeTag::U8), false}}, a, std::vector<uint8_t>{1, 2});
  REQUIRE(!r.ok());
  CHECK(r.error() == "1 bytes left after the last field");
}

TEST_CASE("abi: an event is checked and its indexed identities found in one pass") {
  vm::Event ev;
  ev.name = "Granted";
  ev.fields = {{"patient", t(TypeTag::Identity), true},
               {"note", t(TypeTag::String), false},
               {"actor", t(TypeTag::Identity), true}};
  std::vector<uint8_t> data(32, 0xaa);
  for (uint8_t b : {uint8_t{2}, uint8_t{0}, uint8_t{0}, uint8_t{0}, uint8_t{'h'}, uint8_t{'i'}})
    data.push_back(b);
  data.insert(data.end(), 32, 0xbb);
  auto keys = abi::event_index_keys(ev, {}, data);
  REQUIRE(keys.has_value());
  REQUIRE(keys->size() == 2);
  std::array<uint8_t, 32> patient, actor;
  patient.fill(0xaa);
  actor.fill(0xbb);
  CHECK((*keys)[0] == patient);
  CHECK((*keys)[1] == actor);
  CHECK(abi::fields_valid(ev.fields, {}, data));
  // What fields_valid refuses, so does it: trailing bytes, a value cut short.
  std::vector<uint8_t> longer = data;
  longer.push_back(0);
  CHECK_FALSE(abi::event_index_keys(ev, {}, longer).has_value());
  CHECK_FALSE(abi::event_index_keys(ev, {}, std::span(data).first(data.size() - 1)).has_value());
  CHECK_FALSE(abi::event_index_keys(ev, {}, std::span(data).first(40)).has_value());
}
