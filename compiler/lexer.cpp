#include "compiler/lexer.hpp"

#include <unordered_map>

namespace assent::compiler {

std::string describe(Tok kind) {
  switch (kind) {
    case Tok::End:
      return "end of file";
    case Tok::Error:
      return "invalid token";
    case Tok::Ident:
      return "identifier";
    case Tok::Int:
      return "integer";
    case Tok::Duration:
      return "duration";
    case Tok::String:
      return "string";
    case Tok::HexBytes:
      return "bytes literal";
    case Tok::LParen:
      return "`(`";
    case Tok::RParen:
      return "`)`";
    case Tok::LBrace:
      return "`{`";
    case Tok::RBrace:
      return "`}`";
    case Tok::LBracket:
      return "`[`";
    case Tok::RBracket:
      return "`]`";
    case Tok::Comma:
      return "`,`";
    case Tok::Semi:
      return "`;`";
    case Tok::Colon:
      return "`:`";
    case Tok::Dot:
      return "`.`";
    case Tok::DotDot:
      return "`..`";
    case Tok::Arrow:
      return "`->`";
    case Tok::Plus:
      return "`+`";
    case Tok::Minus:
      return "`-`";
    case Tok::Star:
      return "`*`";
    case Tok::Slash:
      return "`/`";
    case Tok::Percent:
      return "`%`";
    case Tok::Amp:
      return "`&`";
    case Tok::Pipe:
      return "`|`";
    case Tok::Caret:
      return "`^`";
    case Tok::Shl:
      return "`<<`";
    case Tok::Shr:
      return "`>>`";
    case Tok::Bang:
      return "`!`";
    case Tok::AmpAmp:
      return "`&&`";
    case Tok::PipePipe:
      return "`||`";
    case Tok::Assign:
      return "`=`";
    case Tok::EqEq:
      return "`==`";
    case Tok::NotEq:
      return "`!=`";
    case Tok::Lt:
      return "`<`";
    case Tok::Le:
      return "`<=`";
    case Tok::Gt:
      return "`>`";
    case Tok::Ge:
      return "`>=`";
    case Tok::PlusEq:
      return "`+=`";
    case Tok::MinusEq:
      return "`-=`";
    case Tok::StarEq:
      return "`*=`";
    case Tok::SlashEq:
      return "`/=`";
    case Tok::PercentEq:
      return "`%=`";
#define ASSENT_KW_NAME(name, text) \
  case Tok::Kw##name:              \
    return "`" text "`";
      ASSENT_KEYWORDS(ASSENT_KW_NAME)
#undef ASSENT_KW_NAME
  }
  return "token";
}

namespace {

const std::unordered_map<std::string_view, Tok>& keywords() {
  static const std::unordered_map<std::string_view, Tok> table = {
#define ASSENT_KW_ENTRY(name, text) {text, Tok::Kw##name},
      ASSENT_KEYWORDS(ASSENT_KW_ENTRY)
#undef ASSENT_KW_ENTRY
  };
  return table;
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

class Lexer {
 public:
  Lexer(const SourceFile& file, Diagnostics& diags) : f_(file), src_(file.text), diags_(diags) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space();
      if (pos_ >= src_.size()) break;
      out.push_back(next());
    }
    out.push_back(
        Token{Tok::End,
              span(static_cast<uint32_t>(src_.size()), static_cast<uint32_t>(src_.size())),
              {},
              0});
    return out;
  }

 private:
  Span span(uint32_t b, uint32_t e) const { return Span{&f_, b, e}; }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  void skip_space() {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '/' && peek(1) == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n')
          ++pos_;
      } else if (c == '/' && peek(1) == '*') {
        const auto start = static_cast<uint32_t>(pos_);
        const std::size_t close = src_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) {
          diags_.error(span(start, start + 2), "unterminated block comment", "close it with `*/`");
          pos_ = src_.size();
        } else {
          pos_ = close + 2;
        }
      } else {
        break;
      }
    }
  }

  Token make(Tok kind, uint32_t start, std::string text = {}) {
    return Token{kind, span(start, static_cast<uint32_t>(pos_)), std::move(text), 0};
  }

  Token next() {
    const auto start = static_cast<uint32_t>(pos_);
    const char c = src_[pos_];
    if (is_alpha(c)) {
      while (is_alpha(peek()) || is_digit(peek()))
        ++pos_;
      std::string word(src_.substr(start, pos_ - start));
      if (word == "hex" && peek() == '"') return hex_bytes(start);
      auto kw = keywords().find(word);
      if (kw != keywords().end()) return make(kw->second, start);
      return make(Tok::Ident, start, std::move(word));
    }
    if (is_digit(c)) return number(start);
    if (c == '"') return string(start);
    ++pos_;
    auto two = [&](char second, Tok yes, Tok no) {
      if (peek() == second) {
        ++pos_;
        return make(yes, start);
      }
      return make(no, start);
    };
    switch (c) {
      case '(':
        return make(Tok::LParen, start);
      case ')':
        return make(Tok::RParen, start);
      case '{':
        return make(Tok::LBrace, start);
      case '}':
        return make(Tok::RBrace, start);
      case '[':
        return make(Tok::LBracket, start);
      case ']':
        return make(Tok::RBracket, start);
      case ',':
        return make(Tok::Comma, start);
      case ';':
        return make(Tok::Semi, start);
      case ':':
        return make(Tok::Colon, start);
      case '.':
        return two('.', Tok::DotDot, Tok::Dot);
      case '+':
        return two('=', Tok::PlusEq, Tok::Plus);
      case '-':
        if (peek() == '>') {
          ++pos_;
          return make(Tok::Arrow, start);
        }
        return two('=', Tok::MinusEq, Tok::Minus);
      case '*':
        return two('=', Tok::StarEq, Tok::Star);
      case '/':
        return two('=', Tok::SlashEq, Tok::Slash);
      case '%':
        return two('=', Tok::PercentEq, Tok::Percent);
      case '^':
        return make(Tok::Caret, start);
      case '&':
        return two('&', Tok::AmpAmp, Tok::Amp);
      case '|':
        return two('|', Tok::PipePipe, Tok::Pipe);
      case '!':
        return two('=', Tok::NotEq, Tok::Bang);
      case '=':
        return two('=', Tok::EqEq, Tok::Assign);
      case '<':
        if (peek() == '<') {
          ++pos_;
          return make(Tok::Shl, start);
        }
        return two('=', Tok::Le, Tok::Lt);
      case '>':
        if (peek() == '>') {
          ++pos_;
          return make(Tok::Shr, start);
        }
        return two('=', Tok::Ge, Tok::Gt);
      default:
        break;
    }
    std::string shown = (c >= 0x20 && c < 0x7f) ? std::string(1, c)
                                                : "\\x" + std::to_string(static_cast<uint8_t>(c));
    diags_.error(span(start, start + 1), "unexpected character `" + shown + "`");
    return make(Tok::Error, start);
  }

  Token number(uint32_t start) {
    std::string digits;
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      pos_ += 2;
      digits = "0x";
      while (is_hex(peek()) || peek() == '_')
        if (src_[pos_++] != '_') digits += src_[pos_ - 1];
      if (digits.size() == 2) {
        diags_.error(span(start, static_cast<uint32_t>(pos_)), "hex literal has no digits");
        return make(Tok::Error, start);
      }
    } else {
      while (is_digit(peek()) || peek() == '_')
        if (src_[pos_++] != '_') digits += src_[pos_ - 1];
    }
    if (is_alpha(peek())) {
      const std::size_t suffix_start = pos_;
      while (is_alpha(peek()) || is_digit(peek()))
        ++pos_;
      const std::string_view suffix = src_.substr(suffix_start, pos_ - suffix_start);
      uint64_t unit = 0;
      if (suffix == "s")
        unit = 1;
      else if (suffix == "m")
        unit = 60;
      else if (suffix == "h")
        unit = 3600;
      else if (suffix == "d")
        unit = 86400;
      else if (suffix == "w")
        unit = 604800;
      if (unit == 0 || digits.rfind("0x", 0) == 0) {
        diags_.error(span(start, static_cast<uint32_t>(pos_)),
                     "invalid suffix `" + std::string(suffix) + "` on a number",
                     "durations are written 30s, 5m, 2h, 7d or 1w");
        return make(Tok::Error, start);
      }
      uint64_t value = 0;
      bool overflow = false;
      for (char d : digits) {
        if (value > (UINT64_MAX - 9) / 10) overflow = true;
        value = value * 10 + static_cast<uint64_t>(d - '0');
      }
      if (overflow || value > UINT64_MAX / unit) {
        diags_.error(span(start, static_cast<uint32_t>(pos_)),
                     "duration is too large for 64 bits of seconds");
        return make(Tok::Error, start);
      }
      Token t = make(Tok::Duration, start, std::move(digits));
      t.seconds = value * unit;
      return t;
    }
    return make(Tok::Int, start, std::move(digits));
  }

  Token string(uint32_t start) {
    ++pos_;
    std::string value;
    for (;;) {
      if (pos_ >= src_.size() || src_[pos_] == '\n') {
        diags_.error(span(start, static_cast<uint32_t>(pos_)), "unterminated string",
                     "close it with `\"`");
        return make(Tok::Error, start);
      }
      char c = src_[pos_++];
      if (c == '"') break;
      if (c != '\\') {
        value += c;
        continue;
      }
      const auto esc_at = static_cast<uint32_t>(pos_ - 1);
      const char e = peek();
      ++pos_;
      switch (e) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '0':
          value += '\0';
          break;
        case '\\':
          value += '\\';
          break;
        case '"':
          value += '"';
          break;
        case 'x':
          if (is_hex(peek()) && is_hex(peek(1))) {
            value += static_cast<char>(hex_value(peek()) * 16 + hex_value(peek(1)));
            pos_ += 2;
            break;
          }
          [[fallthrough]];
        default:
          diags_.error(span(esc_at, static_cast<uint32_t>(pos_)), "invalid escape in string",
                       "use \\n, \\t, \\r, \\0, \\\\, \\\" or \\xNN");
      }
    }
    return make(Tok::String, start, std::move(value));
  }

  Token hex_bytes(uint32_t start) {
    ++pos_;  // the quote
    std::string value;
    const std::size_t close = src_.find('"', pos_);
    if (close == std::string_view::npos) {
      diags_.error(span(start, static_cast<uint32_t>(pos_)), "unterminated bytes literal");
      pos_ = src_.size();
      return make(Tok::Error, start);
    }
    std::string digits;
    for (std::size_t i = pos_; i < close; ++i)
      if (src_[i] != ' ' && src_[i] != '_') digits += src_[i];
    pos_ = close + 1;
    if (digits.size() % 2 != 0) {
      diags_.error(span(start, static_cast<uint32_t>(pos_)),
                   "bytes literal has an odd number of hex digits");
      return make(Tok::Error, start);
    }
    for (std::size_t i = 0; i < digits.size(); i += 2) {
      if (!is_hex(digits[i]) || !is_hex(digits[i + 1])) {
        diags_.error(span(start, static_cast<uint32_t>(pos_)),
                     "bytes literal has a character that is not a hex digit");
        return make(Tok::Error, start);
      }
      value += static_cast<char>(hex_value(digits[i]) * 16 + hex_value(digits[i + 1]));
    }
    return make(Tok::HexBytes, start, std::move(value));
  }

  const SourceFile& f_;
  std::string_view src_;
  Diagnostics& diags_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<Token> lex(const SourceFile& file, Diagnostics& diags) {
  return Lexer(file, diags).run();
}

}  // namespace assent::compiler
