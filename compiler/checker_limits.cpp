// The module format's limits that declarations can cross (compiler/limits.hpp): names too long
// for the module, and tables too long. Each is reported at the declaration that crosses it,
// before anything is generated, so that a program the module format would refuse fails at
// once and says where.
#include "compiler/checker.hpp"
#include "compiler/limits.hpp"

namespace assent::compiler {

namespace {

std::string ordinal(std::size_t n) {
  const std::size_t tens = n % 100, ones = n % 10;
  const char* suffix = tens >= 11 && tens <= 13 ? "th"
                       : ones == 1              ? "st"
                       : ones == 2              ? "nd"
                       : ones == 3              ? "rd"
                                                : "th";
  return std::to_string(n) + suffix;
}

}  // namespace

void Checker::check_name_length(const std::string& name, Span span, std::string_view what) {
  if (name.size() <= kMaxNameBytes) return;
  diags_.error(span,
               std::string(what) + " name `" + name.substr(0, 16) + "...` is " +
                   std::to_string(name.size()) + " bytes long; the limit is " +
                   std::to_string(kMaxNameBytes),
               "the module stores names of at most " + std::to_string(kMaxNameBytes) +
                   " bytes; choose a shorter one");
}

void Checker::check_table_size(std::size_t count, Span span, std::string_view what,
                               std::string_view table) {
  if (count != kMaxDeclarations + 1) return;  // report the first one past the limit only
  diags_.error(span,
               "this is the " + ordinal(count) + " " + std::string(what) + "; the limit is " +
                   std::to_string(kMaxDeclarations),
               "the module's " + std::string(table) + " table holds at most " +
                   std::to_string(kMaxDeclarations) + " entries");
}

void Checker::check_literal_size(const Expr& literal) {
  if (literals_reported_ || !literals_.insert(literal.text).second) return;
  literal_bytes_ += literal.text.size();
  if (literal_bytes_ <= kMaxRodataBytes) return;
  literals_reported_ = true;
  diags_.error(literal.span,
               "string and bytes literals pass the limit of " + std::to_string(kMaxRodataBytes) +
                   " bytes of read-only data here",
               "the module holds at most " + std::to_string(kMaxRodataBytes >> 20) +
                   " MiB of constants; keep large data in storage");
}

void Checker::check_limits() {
  auto params = [&](const std::vector<Param>& list, std::string_view what, std::string_view table) {
    std::size_t n = 0;
    for (const auto& p : list) {
      check_name_length(p.name, p.span, what);
      check_table_size(++n, p.span, what, table);
    }
  };
  std::size_t types = 0;
  for (const auto& e : p_.enums) {
    check_name_length(e->name, e->span, "enum");
    check_table_size(++types, e->span, "record or enum", "type");
    for (const auto& [name, span] : e->variants)
      check_name_length(name, span, "variant");
  }
  for (const auto& r : p_.records) {
    check_name_length(r->name, r->span, "record");
    check_table_size(++types, r->span, "record or enum", "type");
    params(r->fields, "field", "record's field");
  }
  for (const auto& i : p_.interfaces) {
    check_name_length(i->name, i->span, "interface");
    for (const auto& m : i->methods) {
      check_name_length(m.name, m.span, "method");
      params(m.params, "parameter", "export's parameter");
    }
  }
  std::size_t functions = 0;
  for (const auto& f : p_.fns) {
    check_name_length(f->name, f->span, "function");
    check_table_size(++functions, f->span, "function (fn, action, view or init)", "function");
    params(f->params, "parameter", "export's parameter");
  }
  if (p_.contract) {
    check_name_length(p_.contract->name, p_.contract->span, "contract");
    for (const auto& s : p_.contract->storage)
      check_name_length(s->name, s->span, "storage field");
    std::size_t events = 0;
    for (const auto& e : p_.contract->events) {
      check_name_length(e->name, e->span, "event");
      check_table_size(++events, e->span, "event", "event");
      params(e->params, "event field", "event's field");
    }
  }
}

}  // namespace assent::compiler
