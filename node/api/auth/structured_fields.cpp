#include "node/api/auth/structured_fields.hpp"

#include "node/api/auth/base64.hpp"

namespace assent::node::auth {

namespace {

bool is_lcalpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_alpha(char c) {
  return is_lcalpha(c) || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// RFC 9110's tchar.
bool is_tchar(char c) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return is_alpha(c) || is_digit(c) || kExtra.find(c) != std::string_view::npos;
}
bool is_base64_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '+' || c == '/' || c == '=';
}

// A strict reader over one header's value; every failure names what and where.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<SfDictionary, std::string> dictionary() {
    SfDictionary out;
    skip_sp();
    while (!done()) {
      auto key = this->key();
      if (!key.ok()) return fail(key.error());
      for (const auto& [seen, _] : out)
        if (seen == *key) return fail("the key `" + *key + "` appears twice");
      if (out.size() == kMaxSfMembers)
        return fail("more than " + std::to_string(kMaxSfMembers) + " members");
      if (peek() == '=') {
        ++at_;
        auto member = item_or_inner_list();
        if (!member.ok()) return fail(member.error());
        out.emplace_back(std::move(key).value(), std::move(member).value());
      } else {
        auto params = parameters();
        if (!params.ok()) return fail(params.error());
        out.emplace_back(std::move(key).value(), SfItem{true, std::move(params).value()});
      }
      skip_ows();
      if (done()) break;
      if (peek() != ',') return fail(where("a `,` between members"));
      ++at_;
      skip_ows();
      if (done()) return fail(std::string("a `,` ends the value"));
    }
    return out;
  }

 private:
  bool done() const { return at_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  void skip_sp() {
    while (peek() == ' ')
      ++at_;
  }
  void skip_ows() {
    while (peek() == ' ' || peek() == '\t')
      ++at_;
  }
  std::string where(const std::string& expected) const {
    return "expected " + expected + " at character " + std::to_string(at_ + 1);
  }

  Result<std::string, std::string> key() {
    if (!is_lcalpha(peek()) && peek() != '*') return fail(where("a key (lower case)"));
    std::string out;
    while (is_lcalpha(peek()) || is_digit(peek()) || peek() == '_' || peek() == '-' ||
           peek() == '.' || peek() == '*')
      out += text_[at_++];
    return out;
  }

  Result<SfMember, std::string> item_or_inner_list() {
    if (peek() == '(') {
      auto list = inner_list();
      if (!list.ok()) return fail(list.error());
      return SfMember(std::move(list).value());
    }
    auto item = this->item();
    if (!item.ok()) return fail(item.error());
    return SfMember(std::move(item).value());
  }

  Result<SfInnerList, std::string> inner_list() {
    ++at_;  // (
    SfInnerList out;
    while (true) {
      skip_sp();
      if (done()) return fail(std::string("an inner list is not closed with `)`"));
      if (peek() == ')') {
        ++at_;
        auto params = parameters();
        if (!params.ok()) return fail(params.error());
        out.params = std::move(params).value();
        return out;
      }
      if (out.items.size() == kMaxSfMembers)
        return fail("an inner list of more than " + std::to_string(kMaxSfMembers) + " items");
      auto item = this->item();
      if (!item.ok()) return fail(item.error());
      out.items.push_back(std::move(item).value());
      if (peek() != ' ' && peek() != ')') return fail(where("a space or `)` after an item"));
    }
  }

  Result<SfItem, std::string> item() {
    auto bare = bare_item();
    if (!bare.ok()) return fail(bare.error());
    auto params = parameters();
    if (!params.ok()) return fail(params.error());
    return SfItem{std::move(bare).value(), std::move(params).value()};
  }

  Result<SfParams, std::string> parameters() {
    SfParams out;
    while (peek() == ';') {
      ++at_;
      skip_sp();
      auto key = this->key();
      if (!key.ok()) return fail(key.error());
      for (const auto& [seen, _] : out)
        if (seen == *key) return fail("the parameter `" + *key + "` appears twice");
      if (out.size() == kMaxSfMembers)
        return fail("more than " + std::to_string(kMaxSfMembers) + " parameters");
      SfBareItem value = true;
      if (peek() == '=') {
        ++at_;
        auto bare = bare_item();
        if (!bare.ok()) return fail(bare.error());
        value = std::move(bare).value();
      }
      out.emplace_back(std::move(key).value(), std::move(value));
    }
    return out;
  }

  Result<SfBareItem, std::string> bare_item() {
    const char c = peek();
    if (c == '-' || is_digit(c)) return integer();
    if (c == '"') return string();
    if (c == ':') return bytes();
    if (c == '?') return boolean();
    if (is_alpha(c) || c == '*') return token();
    return fail(where("an item (an integer, a string, a token, :bytes: or ?1)"));
  }

  Result<SfBareItem, std::string> integer() {
    const std::size_t start = at_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++at_;
    }
    if (!is_digit(peek())) return fail(where("a digit"));
    int64_t value = 0;
    int digits = 0;
    while (is_digit(peek())) {
      if (++digits > 15)
        return fail("an integer of more than 15 digits at character " + std::to_string(start + 1));
      value = value * 10 + (text_[at_++] - '0');
    }
    if (peek() == '.')
      return fail("a decimal at character " + std::to_string(start + 1) +
                  " (no field here has one)");
    return SfBareItem(negative ? -value : value);
  }

  Result<SfBareItem, std::string> string() {
    ++at_;  // "
    std::string out;
    while (!done()) {
      const char c = text_[at_++];
      if (c == '\\') {
        if (peek() != '"' && peek() != '\\') return fail(where("`\\\"` or `\\\\` in a string"));
        out += text_[at_++];
      } else if (c == '"') {
        return SfBareItem(std::move(out));
      } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
        return fail("a string holds a character that is not printable ASCII at character " +
                    std::to_string(at_));
      } else {
        out += c;
      }
    }
    return fail(std::string("a string is not closed with `\"`"));
  }

  Result<SfBareItem, std::string> token() {
    std::string out;
    while (is_tchar(peek()) || peek() == ':' || peek() == '/')
      out += text_[at_++];
    return SfBareItem(SfToken{std::move(out)});
  }

  Result<SfBareItem, std::string> bytes() {
    const std::size_t start = ++at_;  // :
    while (!done() && is_base64_char(peek()))
      ++at_;
    if (peek() != ':') return fail(where("base64 and a closing `:`"));
    auto decoded = base64_decode(text_.substr(start, at_ - start));
    ++at_;
    if (!decoded)
      return fail("a byte sequence is not base64 at character " + std::to_string(start));
    return SfBareItem(SfBytes{std::move(*decoded)});
  }

  Result<SfBareItem, std::string> boolean() {
    ++at_;  // ?
    if (peek() != '0' && peek() != '1') return fail(where("`0` or `1` after `?`"));
    return SfBareItem(text_[at_++] == '1');
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

Result<SfDictionary, std::string> parse_sf_dictionary(std::string_view text) {
  // Trailing spaces are discarded, as RFC 8941 4.2 does before parsing.
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return Parser(text).dictionary();
}

std::string serialize_sf(const SfBareItem& item) {
  struct Visit {
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(const std::string& s) const {
      std::string out = "\"";
      for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    std::string operator()(const SfToken& t) const { return t.text; }
    std::string operator()(const SfBytes& b) const {
      std::string out(1, ':');
      out += base64_encode(b.bytes);
      out += ':';
      return out;
    }
    std::string operator()(bool b) const { return b ? "?1" : "?0"; }
  };
  return std::visit(Visit{}, item);
}

std::string serialize_sf(const SfParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += ';';
    out += key;
    if (const bool* b = std::get_if<bool>(&value); b == nullptr || !*b) {
      out += '=';
      out += serialize_sf(value);
    }
  }
  return out;
}

std::string serialize_sf(const SfItem& item) {
  std::string out = serialize_sf(item.value);
  out += serialize_sf(item.params);
  return out;
}

std::string serialize_sf(const SfInnerList& list) {
  // Appended a piece at a time: GCC 12's -Wrestrict misreads `"x" + std::string&&`
  // (vm/gcc_false_positives.hpp).
  std::string out(1, '(');
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (i) out += ' ';
    out += serialize_sf(list.items[i]);
  }
  out += ')';
  out += serialize_sf(list.params);
  return out;
}

const SfBareItem* sf_param(const SfParams& params, std::string_view key) {
  for (const auto& [k, v] : params)
    if (k == key) return &v;
  return nullptr;
}

}  // namespace assent::node::auth
