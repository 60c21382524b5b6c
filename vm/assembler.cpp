#include "vm/assembler.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "vm/isa.hpp"
#include "vm/memory.hpp"

namespace assent::vm {

std::string AsmError::describe(std::string_view file) const {
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column) +
         ": error: " + message;
}

namespace {

enum class TokenKind { Word, Register, Number, Memory, Offset, String, Comma, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;     // Word, String (unescaped), Register/Memory base
  int64_t number = 0;   // Number, Offset, Memory displacement
  uint8_t reg = 0;      // Register, Memory base
  uint32_t column = 0;  // 1-based
};

struct Fixup {
  std::size_t pc;
  std::string target;  // a label (jumps) or a function (calls)
  bool call;
  bool long_jump;
  uint32_t line, column;
};

class Assembler {
 public:
  Result<Module, AsmError> run(std::string_view source);

 private:
  bool error(uint32_t column, std::string message) {
    if (!err_) err_ = AsmError{line_, column, std::move(message)};
    return false;
  }
  bool tokenize(std::string_view text, std::vector<Token>& out);
  bool directive(const std::vector<Token>& t);
  bool instruction(const std::vector<Token>& t);
  bool emit(Op op, uint8_t dst, uint8_t src, int64_t off, int64_t imm, uint32_t column);
  bool immediate32(const Token& t, int64_t& out);

  Module m_;
  std::map<std::string, std::size_t, std::less<>> labels_;
  std::map<std::string, std::size_t, std::less<>> rodata_symbols_;
  std::vector<Fixup> fixups_;
  struct PendingExport {
    Export exported;
    std::string function;
    uint32_t line, column;
  };
  std::vector<PendingExport> exports_;
  std::vector<RawInstruction> code_;
  std::optional<AsmError> err_;
  uint32_t line_ = 0;
};

bool is_word_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && ((c >= '0' && c <= '9') || c == '.'));
}

std::optional<int64_t> parse_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  if (negative) {
    if (v > (uint64_t{1} << 63)) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  return static_cast<int64_t>(v);  // values above INT64_MAX wrap: lddw takes any 64-bit pattern
}

std::optional<uint8_t> parse_register(std::string_view s) {
  if (s.size() < 2 || s.size() > 3 || s[0] != 'r') return std::nullopt;
  auto v = parse_int(s.substr(1));
  if (!v || *v < 0 || *v > 10 || s[1] == '+' || s[1] == '-') return std::nullopt;
  return static_cast<uint8_t>(*v);
}

bool Assembler::tokenize(std::string_view text, std::vector<Token>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const auto column = static_cast<uint32_t>(i + 1);
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == ';') {
      break;
    } else if (c == ',') {
      out.push_back({TokenKind::Comma, ",", 0, 0, column});
      ++i;
    } else if (c == '"') {
      std::string value;
      ++i;
      while (i < text.size() && text[i] != '"') {
        char ch = text[i++];
        if (ch == '\\' && i < text.size()) {
          const char e = text[i++];
          ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == '0' ? '\0' : e;
        }
        value += ch;
      }
      if (i >= text.size()) return error(column, "unterminated string");
      ++i;
      out.push_back({TokenKind::String, value, 0, 0, column});
    } else if (c == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return error(column, "missing `]` in memory operand");
      std::string_view inner = text.substr(i + 1, close - i - 1);
      std::size_t sign = inner.find_first_of("+-");
      std::string_view base = inner.substr(0, sign);
      while (!base.empty() && base.back() == ' ')
        base.remove_suffix(1);
      while (!base.empty() && base.front() == ' ')
        base.remove_prefix(1);
      auto r = parse_register(base);
      if (!r) return error(column + 1, "expected a register inside `[...]`, e.g. [r10-8]");
      int64_t disp = 0;
      if (sign != std::string_view::npos) {
        std::string digits;
        for (char ch : inner.substr(sign))
          if (ch != ' ') digits += ch;
        auto v = parse_int(digits);
        if (!v) return error(column, "bad displacement in memory operand");
        disp = *v;
      }
      if (disp < INT16_MIN || disp > INT16_MAX)
        return error(column, "displacement " + std::to_string(disp) + " does not fit in 16 bits");
      out.push_back({TokenKind::Memory, std::string(base), disp, *r, column});
      i = close + 1;
    } else {
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != ',' &&
             text[j] != ';' && text[j] != '\r')
        ++j;
      const std::string word(text.substr(i, j - i));
      i = j;
      if (auto r = parse_register(word)) {
        out.push_back({TokenKind::Register, word, 0, *r, column});
      } else if (word[0] == '+' || word[0] == '-') {
        auto v = parse_int(word);
        if (!v) return error(column, "bad offset `" + word + "`");
        // A leading '-' number is both an immediate and an offset; instructions decide.
        out.push_back({TokenKind::Offset, word, *v, 0, column});
      } else if (word[0] >= '0' && word[0] <= '9') {
        auto v = parse_int(word);
        if (!v) return error(column, "bad number `" + word + "`");
        out.push_back({TokenKind::Number, word, *v, 0, column});
      } else {
        for (std::size_t k = 0; k < word.size(); ++k)
          if (!is_word_char(word[k], k == 0) && !(k + 1 == word.size() && word[k] == ':') &&
              !(k == 0 && word[k] == '.'))
            return error(column, "unexpected character `" + std::string(1, word[k]) + "`");
        out.push_back({TokenKind::Word, word, 0, 0, column});
      }
    }
  }
  return true;
}

std::optional<ExportKind> export_kind(std::string_view s) {
  if (s == "action") return ExportKind::Action;
  if (s == "view") return ExportKind::View;
  if (s == "init") return ExportKind::Init;
  if (s == "function") return ExportKind::Function;
  return std::nullopt;
}

bool Assembler::directive(const std::vector<Token>& t) {
  const std::string& d = t[0].text;
  auto want_word = [&](std::size_t i, std::string_view what) {
    if (i < t.size() && t[i].kind == TokenKind::Word) return true;
    return error(i < t.size() ? t[i].column : t.back().column + 1,
                 std::string(d) + " expects " + std::string(what));
  };
  if (d == ".func") {
    if (!want_word(1, "a function name")) return false;
    if (t.size() > 3) return error(t[3].column, "unexpected operand after .func");
    for (const auto& f : m_.functions)
      if (f.name == t[1].text)
        return error(t[1].column, "function `" + t[1].text + "` is defined twice");
    if (!m_.functions.empty() && m_.functions.back().entry == code_.size())
      return error(t[0].column, "function `" + m_.functions.back().name + "` has no instructions");
    if (m_.functions.empty() && !code_.empty())
      return error(t[0].column, "instructions before the first .func belong to no function");
    m_.functions.push_back({t[1].text, static_cast<uint32_t>(code_.size())});
    if (t.size() == 3) {
      auto kind = t[2].kind == TokenKind::Word ? export_kind(t[2].text) : std::nullopt;
      if (!kind) return error(t[2].column, "export kind must be action, view, init or function");
      exports_.push_back({Export{t[1].text, *kind, 0, {}, {}}, t[1].text, line_, t[1].column});
    }
    return true;
  }
  if (d == ".export") {
    if (!want_word(1, "a name") || !want_word(2, "a kind") || !want_word(3, "a function"))
      return false;
    auto kind = export_kind(t[2].text);
    if (!kind) return error(t[2].column, "export kind must be action, view, init or function");
    exports_.push_back({Export{t[1].text, *kind, 0, {}, {}}, t[3].text, line_, t[3].column});
    return true;
  }
  if (d == ".import") {
    if (!want_word(1, "a syscall name")) return false;
    for (const auto& name : m_.imports)
      if (name == t[1].text) return true;
    m_.imports.push_back(t[1].text);
    return true;
  }
  if (d == ".rodata") {
    if (!want_word(1, "a symbol name")) return false;
    const bool hex = t.size() == 4 && t[2].kind == TokenKind::Word && t[2].text == "hex";
    if (t.size() != (hex ? 4u : 3u) || t.back().kind != TokenKind::String)
      return error(t[1].column, ".rodata expects a name and a \"string\" (or hex \"0a0b\")");
    const Token& value = t.back();
    if (rodata_symbols_.count(t[1].text)) return error(t[1].column, "symbol defined twice");
    rodata_symbols_[t[1].text] = m_.rodata.size();
    if (!hex) {
      m_.rodata.insert(m_.rodata.end(), value.text.begin(), value.text.end());
      return true;
    }
    if (value.text.size() % 2)
      return error(value.column, "hex data needs an even number of digits");
    for (std::size_t i = 0; i < value.text.size(); i += 2) {
      auto byte = parse_int("0x" + value.text.substr(i, 2));
      if (!byte) return error(value.column, "bad hex digit in `" + value.text + "`");
      m_.rodata.push_back(static_cast<uint8_t>(*byte));
    }
    return true;
  }
  if (d == ".raw") {
    if (t.size() != 2 || t[1].kind != TokenKind::String || t[1].text.size() != 16)
      return error(t[0].column, ".raw expects one instruction as 16 hex digits in quotes");
    uint8_t bytes[8];
    for (int i = 0; i < 8; ++i) {
      auto byte = parse_int("0x" + t[1].text.substr(i * 2, 2));
      if (!byte) return error(t[1].column, "bad hex digit in .raw");
      bytes[i] = static_cast<uint8_t>(*byte);
    }
    code_.push_back(decode_raw(bytes));
    return true;
  }
  return error(t[0].column, "unknown directive `" + d + "`");
}

bool Assembler::immediate32(const Token& t, int64_t& out) {
  if (t.kind != TokenKind::Number && t.kind != TokenKind::Offset)
    return error(t.column, "expected a number");
  if (t.number < INT32_MIN || t.number > UINT32_MAX)
    return error(t.column, "immediate " + t.text + " does not fit in 32 bits");
  out = static_cast<int32_t>(static_cast<uint32_t>(t.number));
  return true;
}

bool Assembler::emit(Op op, uint8_t dst, uint8_t src, int64_t off, int64_t imm, uint32_t column) {
  const OpInfo& oi = info(op);
  RawInstruction insn{oi.opcode, dst, src, static_cast<int16_t>(off), static_cast<int32_t>(imm)};
  // The selector field of shared opcodes comes from the table, not from the source.
  switch (oi.format) {
    case Format::AluImm:
    case Format::AluReg:
      insn.off = static_cast<int16_t>(oi.selector);
      break;
    case Format::Endian:
      insn.imm = oi.selector;
      break;
    case Format::CallHelper:
    case Format::CallLocal:
      insn.src = static_cast<uint8_t>(oi.selector);
      break;
    default:
      break;
  }
  (void)column;
  code_.push_back(insn);
  return true;
}

bool Assembler::instruction(const std::vector<Token>& t) {
  const std::string& mnemonic = t[0].text;
  // Operands without commas, each with its position.
  std::vector<Token> ops;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i].kind == TokenKind::Comma) {
      if (i == 1 || i + 1 == t.size() || t[i + 1].kind == TokenKind::Comma)
        return error(t[i].column, "misplaced comma");
      continue;
    }
    if (i > 1 && t[i - 1].kind != TokenKind::Comma)
      return error(t[i].column, "expected a comma before this operand");
    ops.push_back(t[i]);
  }

  bool known = false;
  std::string expected;
  for (std::size_t k = 0; k < kOpCount; ++k) {
    const Op op = static_cast<Op>(k);
    const OpInfo& oi = info(op);
    if (oi.mnemonic != mnemonic) continue;
    known = true;
    auto is = [&](std::size_t i, TokenKind kind) { return i < ops.size() && ops[i].kind == kind; };
    auto is_imm = [&](std::size_t i) {
      return is(i, TokenKind::Number) || is(i, TokenKind::Offset);
    };
    auto is_target = [&](std::size_t i) {
      return is(i, TokenKind::Offset) || is(i, TokenKind::Word);
    };
    const std::size_t pc = code_.size();
    auto target = [&](std::size_t i, bool call, bool long_jump, int64_t& off) {
      if (ops[i].kind == TokenKind::Offset) {
        off = ops[i].number;
        const int64_t limit = long_jump ? INT32_MAX : INT16_MAX;
        if (off < -limit - 1 || off > limit)
          return error(ops[i].column, "offset " + ops[i].text + " does not fit in " +
                                          (long_jump ? "32" : "16") + " bits");
        return true;
      }
      fixups_.push_back({pc, ops[i].text, call, long_jump, line_, ops[i].column});
      off = 0;
      return true;
    };
    int64_t imm = 0, off = 0;
    switch (oi.format) {
      case Format::AluImm:
        if (ops.size() == 2 && is(0, TokenKind::Register) && is_imm(1))
          return immediate32(ops[1], imm) && emit(op, ops[0].reg, 0, 0, imm, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD, IMM";
        break;
      case Format::AluReg:
        if (ops.size() == 2 && is(0, TokenKind::Register) && is(1, TokenKind::Register))
          return emit(op, ops[0].reg, ops[1].reg, 0, 0, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD, rS";
        break;
      case Format::Unary:
      case Format::Endian:
        if (ops.size() == 1 && is(0, TokenKind::Register))
          return emit(op, ops[0].reg, 0, 0, 0, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD";
        break;
      case Format::Load:
        if (ops.size() == 2 && is(0, TokenKind::Register) && is(1, TokenKind::Memory))
          return emit(op, ops[0].reg, ops[1].reg, ops[1].number, 0, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD, [rS+OFF]";
        break;
      case Format::StoreImm:
        if (ops.size() == 2 && is(0, TokenKind::Memory) && is_imm(1))
          return immediate32(ops[1], imm) &&
                 emit(op, ops[0].reg, 0, ops[0].number, imm, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " [rD+OFF], IMM";
        break;
      case Format::StoreReg:
        if (ops.size() == 2 && is(0, TokenKind::Memory) && is(1, TokenKind::Register))
          return emit(op, ops[0].reg, ops[1].reg, ops[0].number, 0, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " [rD+OFF], rS";
        break;
      case Format::LoadImm64:
        if (ops.size() == 2 && is(0, TokenKind::Register) &&
            (is_imm(1) || is(1, TokenKind::Word))) {
          uint64_t value = static_cast<uint64_t>(ops[1].number);
          if (ops[1].kind == TokenKind::Word) {
            auto it = rodata_symbols_.find(ops[1].text);
            if (it == rodata_symbols_.end())
              return error(ops[1].column, "unknown .rodata symbol `" + ops[1].text + "`");
            value = region_base(RegionId::Rodata) + it->second;
          }
          emit(op, ops[0].reg, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(value)),
               ops[0].column);
          code_.push_back({0, 0, 0, 0, static_cast<int32_t>(static_cast<uint32_t>(value >> 32))});
          return true;
        }
        expected += "\n  lddw rD, IMM64 (or a .rodata symbol)";
        break;
      case Format::Jump:
        if (ops.size() == 1 && is_target(0))
          return target(0, false, false, off) && emit(op, 0, 0, off, 0, ops[0].column);
        expected += "\n  ja LABEL";
        break;
      case Format::JumpLong:
        if (ops.size() == 1 && is_target(0))
          return target(0, false, true, imm) && emit(op, 0, 0, 0, imm, ops[0].column);
        expected += "\n  gotol LABEL";
        break;
      case Format::JumpImm:
        if (ops.size() == 3 && is(0, TokenKind::Register) && is_imm(1) && is_target(2))
          return immediate32(ops[1], imm) && target(2, false, false, off) &&
                 emit(op, ops[0].reg, 0, off, imm, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD, IMM, LABEL";
        break;
      case Format::JumpReg:
        if (ops.size() == 3 && is(0, TokenKind::Register) && is(1, TokenKind::Register) &&
            is_target(2))
          return target(2, false, false, off) &&
                 emit(op, ops[0].reg, ops[1].reg, off, 0, ops[0].column);
        expected += "\n  " + std::string(mnemonic) + " rD, rS, LABEL";
        break;
      case Format::CallHelper: {
        if (ops.size() != 1 || !is(0, TokenKind::Word)) {
          expected += "\n  syscall NAME";
          break;
        }
        std::size_t index = 0;
        while (index < m_.imports.size() && m_.imports[index] != ops[0].text)
          ++index;
        if (index == m_.imports.size()) m_.imports.push_back(ops[0].text);
        return emit(op, 0, 0, 0, static_cast<int64_t>(index), ops[0].column);
      }
      case Format::CallLocal:
        if (ops.size() == 1 && is_target(0))
          return target(0, true, true, imm) && emit(op, 0, 0, 0, imm, ops[0].column);
        expected += "\n  call FUNCTION";
        break;
      case Format::Exit:
        if (ops.empty()) return emit(op, 0, 0, 0, 0, t[0].column);
        expected += "\n  exit";
        break;
    }
  }
  if (!known) return error(t[0].column, "unknown instruction `" + mnemonic + "`");
  return error(t[0].column, "bad operands for `" + mnemonic + "`; expected" + expected);
}

Result<Module, AsmError> Assembler::run(std::string_view source) {
  std::size_t start = 0;
  while (start <= source.size() && !err_) {
    std::size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    ++line_;
    std::vector<Token> tokens;
    if (tokenize(source.substr(start, end - start), tokens) && !tokens.empty()) {
      Token& first = tokens[0];
      if (first.kind == TokenKind::Word && first.text.back() == ':') {
        const std::string label = first.text.substr(0, first.text.size() - 1);
        if (!labels_.emplace(label, code_.size()).second)
          error(first.column, "label `" + label + "` is defined twice");
        tokens.erase(tokens.begin());
      }
      if (!tokens.empty() && !err_) {
        if (tokens[0].kind != TokenKind::Word)
          error(tokens[0].column, "expected an instruction or a directive");
        else if (tokens[0].text[0] == '.')
          directive(tokens);
        else
          instruction(tokens);
      }
    }
    start = end + 1;
  }
  if (err_) return fail(*err_);

  if (m_.functions.empty()) {
    m_.functions.push_back({"main", 0});
    if (exports_.empty())
      exports_.push_back({Export{"main", ExportKind::Function, 0, {}, {}}, "main", 1, 1});
  }
  if (m_.functions.back().entry >= code_.size())
    return fail(
        AsmError{line_, 1, "function `" + m_.functions.back().name + "` has no instructions"});
  for (const auto& fx : fixups_) {
    int64_t target = -1;
    if (fx.call) {
      for (const auto& f : m_.functions)
        if (f.name == fx.target) target = f.entry;
      if (target < 0)
        return fail(AsmError{fx.line, fx.column, "unknown function `" + fx.target + "`"});
    } else {
      auto it = labels_.find(fx.target);
      if (it == labels_.end())
        return fail(AsmError{fx.line, fx.column, "unknown label `" + fx.target + "`"});
      target = static_cast<int64_t>(it->second);
    }
    const int64_t delta = target - static_cast<int64_t>(fx.pc) - 1;
    RawInstruction& insn = code_[fx.pc];
    if (fx.long_jump) {
      insn.imm = static_cast<int32_t>(delta);
    } else {
      if (delta < INT16_MIN || delta > INT16_MAX)
        return fail(AsmError{fx.line, fx.column,
                             "jump to `" + fx.target + "` is " + std::to_string(delta) +
                                 " slots away; use gotol for more than 32767"});
      insn.off = static_cast<int16_t>(delta);
    }
  }
  for (auto& pending : exports_) {
    Export& e = pending.exported;
    bool found = false;
    for (std::size_t i = 0; i < m_.functions.size(); ++i)
      if (m_.functions[i].name == pending.function) {
        e.function = static_cast<uint32_t>(i);
        found = true;
      }
    if (!found)
      return fail(AsmError{pending.line, pending.column,
                           "export names unknown function `" + pending.function + "`"});
    for (const auto& other : m_.exports)
      if (other.name == e.name)
        return fail(
            AsmError{pending.line, pending.column, "export `" + e.name + "` is defined twice"});
    m_.exports.push_back(e);
  }
  m_.code.resize(code_.size() * kInstructionSize);
  for (std::size_t i = 0; i < code_.size(); ++i)
    encode_raw(code_[i], m_.code.data() + i * kInstructionSize);
  return std::move(m_);
}

}  // namespace

Result<Module, AsmError> assemble(std::string_view source) {
  return Assembler().run(source);
}

}  // namespace assent::vm
