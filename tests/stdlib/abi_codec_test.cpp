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
