#include "stdlib/abi_codec.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <cstring>

#include "vm/hex.hpp"

namespace assent::abi {

namespace {

using boost::multiprecision::uint256_t;
using vm::TypeTag;

enum class Decimal { Ok, NotDigits, TooBig };

// Decimal text as an integer at most `max`: one or more digits and nothing else (no sign,
// space or prefix; leading zeros are decimal), checked at each digit so that nothing wraps.
// Boost's string constructor is not used: it reads `010` as octal and `0x10` as hex, and
// wraps silently past its type's width (`2^512 + 5` into a uint512_t is 5).
Decimal parse_decimal(std::string_view text, const uint256_t& max, uint256_t& value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return Decimal::NotDigits;
  value = 0;
  for (const char c : text) {
    const unsigned digit = static_cast<unsigned>(c - '0');
    if (value > (max - digit) / 10) return Decimal::TooBig;  // value * 10 + digit > max
    value = value * 10 + digit;
  }
  return Decimal::Ok;
}

std::size_t fixed_size(TypeTag t) {
  switch (t) {
    case TypeTag::Bool:
    case TypeTag::U8:
      return 1;
    case TypeTag::U32:
      return 4;
    case TypeTag::U64:
    case TypeTag::I64:
    case TypeTag::Time:
    case TypeTag::Duration:
      return 8;
    case TypeTag::U256:
    case TypeTag::Identity:
      return 32;
    default:
      return 0;
  }
}

uint64_t load_le(const uint8_t* p, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;)
    v = (v << 8) | p[i];
  return v;
}

void store_le(Bytes& out, uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

struct Decoder {
  Decoder(const vm::Abi& a, std::span<const uint8_t> b) : abi(a), bytes(b) {}
  const vm::Abi& abi;
  std::span<const uint8_t> bytes;
  std::size_t pos = 0;
  std::string error;

  bool need(std::size_t n, const char* what) {
    if (bytes.size() - pos >= n) return true;
    error = std::string("truncated ") + what + " at byte " + std::to_string(pos);
    return false;
  }

  // Decodes one value; with json == nullptr it only checks and skips.
  bool value(const vm::Type& t, Json* json) {
    switch (t.tag) {
      case TypeTag::Unit:
        if (json) *json = nullptr;
        return true;
      case TypeTag::Bool:
      case TypeTag::U8:
      case TypeTag::U32:
      case TypeTag::U64:
      case TypeTag::I64:
      case TypeTag::Time:
      case TypeTag::Duration: {
        const std::size_t n = fixed_size(t.tag);
        if (!need(n, "integer")) return false;
        const uint64_t v = load_le(bytes.data() + pos, n);
        pos += n;
        if (t.tag == TypeTag::Bool) {
          if (v > 1) {
            error = "bool byte " + std::to_string(v) + " at byte " + std::to_string(pos - 1);
            return false;
          }
          if (json) *json = v == 1;
        } else if (json) {
          if (t.tag == TypeTag::I64)
            *json = static_cast<int64_t>(v);
          else
            *json = v;
        }
        return true;
      }
      case TypeTag::U256: {
        if (!need(32, "u256")) return false;
        if (json) {
          boost::multiprecision::uint256_t v;
          boost::multiprecision::import_bits(v, bytes.begin() + static_cast<long>(pos),
                                             bytes.begin() + static_cast<long>(pos) + 32, 8, false);
          *json = v.str();
        }
        pos += 32;
        return true;
      }
      case TypeTag::Identity:
        if (!need(32, "identity")) return false;
        if (json) *json = to_hex(bytes.subspan(pos, 32));
        pos += 32;
        return true;
      case TypeTag::Bytes:
      case TypeTag::String: {
        if (!need(4, "length")) return false;
        const std::size_t n = load_le(bytes.data() + pos, 4);
        pos += 4;
        if (!need(n, t.tag == TypeTag::String ? "string" : "bytes")) return false;
        if (json) {
          if (t.tag == TypeTag::String)
            *json = std::string(reinterpret_cast<const char*>(bytes.data() + pos), n);
          else
            *json = to_hex(bytes.subspan(pos, n));
        }
        pos += n;
        return true;
      }
      case TypeTag::List: {
        if (!need(4, "list count")) return false;
        const std::size_t n = load_le(bytes.data() + pos, 4);
        pos += 4;
        if (json) *json = Json::array();
        for (std::size_t i = 0; i < n; ++i) {
          Json element;
          if (!value(t.args.at(0), json ? &element : nullptr)) return false;
          if (json) json->push_back(std::move(element));
        }
        return true;
      }
      case TypeTag::Set: {
        if (!need(8, "set")) return false;
        const uint64_t bits = load_le(bytes.data() + pos, 8);
        const auto& variants = abi.types.at(t.args.at(0).index).variants;
        if (variants.size() < 64 && (bits >> variants.size()) != 0) {
          error = "set has members beyond its enum at byte " + std::to_string(pos);
          return false;
        }
        pos += 8;
        if (json) {
          *json = Json::array();
          for (std::size_t i = 0; i < variants.size(); ++i)
            if (bits >> i & 1) json->push_back(variants[i]);
        }
        return true;
      }
      case TypeTag::Optional: {
        if (!need(1, "optional tag")) return false;
        const uint8_t tag = bytes[pos++];
        if (tag > 1) {
          error = "optional tag " + std::to_string(tag) + " at byte " + std::to_string(pos - 1);
          return false;
        }
        if (tag == 0) {
          if (json) *json = nullptr;
          return true;
        }
        return value(t.args.at(0), json);
      }
      case TypeTag::Tuple: {
        if (json) *json = Json::array();
        for (const auto& m : t.args) {
          Json member;
          if (!value(m, json ? &member : nullptr)) return false;
          if (json) json->push_back(std::move(member));
        }
        return true;
      }
      case TypeTag::Named: {
        const vm::TypeDef& def = abi.types.at(t.index);
        if (def.kind == vm::TypeDefKind::Enum) {
          if (!need(1, "enum")) return false;
          const uint8_t v = bytes[pos++];
          if (v >= def.variants.size()) {
            error = "enum `" + def.name + "` has no variant " + std::to_string(v) + " (byte " +
                    std::to_string(pos - 1) + ")";
            return false;
          }
          if (json) *json = def.variants[v];
          return true;
        }
        if (json) *json = Json::object();
        for (const auto& f : def.fields) {
          Json member;
          if (!value(f.type, json ? &member : nullptr)) return false;
          if (json) (*json)[f.name] = std::move(member);
        }
        return true;
      }
    }
    error = "unknown type";
    return false;
  }
};

struct Encoder {
  const vm::Abi& abi;
  Bytes out;

  std::optional<std::string> value(const vm::Type& t, const Json& v, const std::string& where) {
    auto wrong = [&](const std::string& expected) {
      return where + ": expected " + expected + ", found " + v.dump();
    };
    auto integer = [&](uint64_t max, bool is_signed) -> std::optional<std::string> {
      uint64_t u = 0;
      int64_t s = 0;
      if (v.is_number_unsigned()) {
        u = v.get<uint64_t>();
        s = static_cast<int64_t>(u);
        if (is_signed && u > static_cast<uint64_t>(INT64_MAX))
          return where + ": " + v.dump() + " is out of range";
      } else if (v.is_number_integer()) {
        s = v.get<int64_t>();
        if (!is_signed && s < 0) return where + ": " + v.dump() + " is negative";
        u = static_cast<uint64_t>(s);
      } else if (v.is_string()) {
        // Decimal digits, and a minus sign for i64: not std::stoll's leading spaces, `+`
        // or wrap-around (its unsigned sibling takes "-1" as 2^64 - 1).
        std::string_view text = v.get_ref<const std::string&>();
        const bool negative = is_signed && !text.empty() && text[0] == '-';
        if (negative) text.remove_prefix(1);
        if (!is_signed && !text.empty() && text[0] == '-')
          return where + ": " + v.dump() + " is negative";
        const uint64_t most = !is_signed ? max
                              : negative ? uint64_t{1} << 63
                                         : static_cast<uint64_t>(INT64_MAX);
        uint256_t parsed;
        switch (parse_decimal(text, most, parsed)) {
          case Decimal::NotDigits:
            return wrong("an integer");
          case Decimal::TooBig:
            return where + ": " + v.dump() +
                   (is_signed ? " is out of range"
                              : " does not fit in " + std::string(vm::to_string(t.tag)));
          case Decimal::Ok:
            break;
        }
        u = static_cast<uint64_t>(parsed);
        if (negative) u = ~u + 1;  // two's complement of the magnitude (at most 2^63)
        s = static_cast<int64_t>(u);
      } else {
        return wrong("an integer");
      }
      if (!is_signed && u > max)
        return where + ": " + v.dump() + " does not fit in " + std::string(vm::to_string(t.tag));
      store_le(out, u, fixed_size(t.tag));
      return std::nullopt;
    };
    switch (t.tag) {
      case TypeTag::Unit:
        return std::nullopt;
      case TypeTag::Bool:
        if (!v.is_boolean()) return wrong("true or false");
        out.push_back(v.get<bool>() ? 1 : 0);
        return std::nullopt;
      case TypeTag::U8:
        return integer(0xff, false);
      case TypeTag::U32:
        return integer(0xffffffffu, false);
      case TypeTag::U64:
      case TypeTag::Time:
      case TypeTag::Duration:
        return integer(UINT64_MAX, false);
      case TypeTag::I64:
        return integer(0, true);
      case TypeTag::U256: {
        // Decimal text, or a JSON integer that is not negative (digits once dumped).
        const bool natural =
            v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
        const std::string text = v.is_string() ? v.get<std::string>() : natural ? v.dump() : "";
        uint256_t big;
        switch (parse_decimal(text, std::numeric_limits<uint256_t>::max(), big)) {
          case Decimal::NotDigits:
            return wrong("a u256 as a decimal string");
          case Decimal::TooBig:
            return where + ": " + text + " does not fit in u256 (at most 2^256 - 1, 78 digits)";
          case Decimal::Ok:
            break;
        }
        Bytes le;
        boost::multiprecision::export_bits(big, std::back_inserter(le), 8, false);
        le.resize(32, 0);
        out.insert(out.end(), le.begin(), le.end());
        return std::nullopt;
      }
      case TypeTag::Identity:
      case TypeTag::Bytes: {
        if (!v.is_string())
          return wrong(t.tag == TypeTag::Identity ? "an identity as 64 hex digits"
                                                  : "bytes as hex");
        auto raw = parse_hex(v.get<std::string>());
        if (!raw.ok()) return where + ": " + raw.error();
        if (t.tag == TypeTag::Identity) {
          if (raw->size() != 32)
            return where + ": an identity is 32 bytes (64 hex digits), this is " +
                   std::to_string(raw->size());
        } else {
          store_le(out, raw->size(), 4);
        }
        out.insert(out.end(), raw->begin(), raw->end());
        return std::nullopt;
      }
      case TypeTag::String: {
        if (!v.is_string()) return wrong("a string");
        const std::string s = v.get<std::string>();
        store_le(out, s.size(), 4);
        out.insert(out.end(), s.begin(), s.end());
        return std::nullopt;
      }
      case TypeTag::List: {
        if (!v.is_array()) return wrong("an array");
        store_le(out, v.size(), 4);
        for (std::size_t i = 0; i < v.size(); ++i)
          if (auto e = value(t.args.at(0), v[i], where + "[" + std::to_string(i) + "]")) return e;
        return std::nullopt;
      }
      case TypeTag::Set: {
        if (!v.is_array()) return wrong("an array of names");
        const auto& def = abi.types.at(t.args.at(0).index);
        uint64_t bits = 0;
        for (const auto& name : v) {
          if (!name.is_string()) return wrong("an array of names");
          bool found = false;
          for (std::size_t i = 0; i < def.variants.size(); ++i)
            if (def.variants[i] == name.get<std::string>()) {
              bits |= uint64_t{1} << i;
              found = true;
            }
          if (!found)
            return where + ": `" + name.get<std::string>() + "` is not a variant of `" + def.name +
                   "`";
        }
        store_le(out, bits, 8);
        return std::nullopt;
      }
      case TypeTag::Optional:
        if (v.is_null()) {
          out.push_back(0);
          return std::nullopt;
        }
        out.push_back(1);
        return value(t.args.at(0), v, where);
      case TypeTag::Tuple:
        if (!v.is_array() || v.size() != t.args.size())
          return wrong("an array of " + std::to_string(t.args.size()) + " values");
        for (std::size_t i = 0; i < t.args.size(); ++i)
          if (auto e = value(t.args[i], v[i], where + "[" + std::to_string(i) + "]")) return e;
        return std::nullopt;
      case TypeTag::Named: {
        const auto& def = abi.types.at(t.index);
        if (def.kind == vm::TypeDefKind::Enum) {
          if (!v.is_string()) return wrong("a variant of `" + def.name + "`");
          for (std::size_t i = 0; i < def.variants.size(); ++i)
            if (def.variants[i] == v.get<std::string>()) {
              out.push_back(static_cast<uint8_t>(i));
              return std::nullopt;
            }
          return where + ": `" + v.get<std::string>() + "` is not a variant of `" + def.name + "`";
        }
        if (!v.is_object()) return wrong("an object (record `" + def.name + "`)");
        for (const auto& f : def.fields) {
          if (!v.contains(f.name)) return where + ": missing field `" + f.name + "`";
          if (auto e = value(f.type, v[f.name], where + "." + f.name)) return e;
        }
        for (const auto& [key, _] : v.items()) {
          bool known = false;
          for (const auto& f : def.fields)
            known = known || f.name == key;
          if (!known) return where + ": record `" + def.name + "` has no field `" + key + "`";
        }
        return std::nullopt;
      }
    }
    return where + ": unknown type";
  }
};

}  // namespace

std::optional<std::size_t> measure(const vm::Type& type, const vm::Abi& abi,
                                   std::span<const uint8_t> bytes) {
  Decoder d{abi, bytes};
  if (!d.value(type, nullptr)) return std::nullopt;
  return d.pos;
}

Result<Json, std::string> to_json(const vm::Type& type, const vm::Abi& abi,
                                  std::span<const uint8_t> bytes, std::size_t& consumed) {
  Decoder d{abi, bytes};
  Json out;
  if (!d.value(type, &out)) return fail(d.error);
  consumed = d.pos;
  return out;
}

Result<Json, std::string> fields_to_json(const std::vector<vm::Field>& fields, const vm::Abi& abi,
                                         std::span<const uint8_t> bytes) {
  Decoder d{abi, bytes};
  Json out = Json::object();
  for (const auto& f : fields) {
    Json v;
    if (!d.value(f.type, &v)) return fail("field `" + f.name + "`: " + d.error);
    out[f.name] = std::move(v);
  }
  if (d.pos != bytes.size())
    return fail(std::to_string(bytes.size() - d.pos) + " bytes left after the last field");
  return out;
}

bool fields_valid(const std::vector<vm::Field>& fields, const vm::Abi& abi,
                  std::span<const uint8_t> bytes) {
  Decoder d{abi, bytes};
  for (const auto& f : fields)
    if (!d.value(f.type, nullptr)) return false;
  return d.pos == bytes.size();
}

Result<Bytes, std::string> from_json(const vm::Type& type, const vm::Abi& abi, const Json& value,
                                     const std::string& where) {
  Encoder e{abi, {}};
  if (auto error = e.value(type, value, where)) return fail(*error);
  return std::move(e.out);
}

Result<Bytes, std::string> fields_from_json(const std::vector<vm::Field>& fields,
                                            const vm::Abi& abi, const Json& args) {
  Encoder e{abi, {}};
  if (args.is_array()) {
    if (args.size() != fields.size())
      return fail("expected " + std::to_string(fields.size()) + " arguments, found " +
                  std::to_string(args.size()));
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (auto error = e.value(fields[i].type, args[i], "argument `" + fields[i].name + "`"))
        return fail(*error);
    return std::move(e.out);
  }
  if (!args.is_object() && !(args.is_null() && fields.empty()))
    return fail("arguments must be a JSON object (by name) or array (in order)");
  for (const auto& f : fields) {
    if (!args.contains(f.name)) return fail("missing argument `" + f.name + "`");
    if (auto error = e.value(f.type, args[f.name], "argument `" + f.name + "`"))
      return fail(*error);
  }
  if (args.is_object())
    for (const auto& [key, _] : args.items()) {
      bool known = false;
      for (const auto& f : fields)
        known = known || f.name == key;
      if (!known) return fail("unknown argument `" + key + "`");
    }
  return std::move(e.out);
}

std::optional<std::vector<std::array<uint8_t, 32>>> event_index_keys(const vm::Event& event,
                                                                     const vm::Abi& abi,
                                                                     std::span<const uint8_t> data) {
  std::vector<std::array<uint8_t, 32>> keys;
  Decoder d{abi, data};
  for (const auto& f : event.fields) {
    const std::size_t at = d.pos;
    if (!d.value(f.type, nullptr)) return std::nullopt;
    // The verifier allows `indexed` on identities only (32 bytes).
    if (f.indexed && d.pos - at == 32) {
      std::array<uint8_t, 32> id;
      std::memcpy(id.data(), data.data() + at, 32);
      keys.push_back(id);
    }
  }
  if (d.pos != data.size()) return std::nullopt;
  return keys;
}

}  // namespace assent::abi
