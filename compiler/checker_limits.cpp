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

// Nodes of an expression tree (the parser bounded its depth).
std::size_t nodes(const Expr* e) {
  if (e == nullptr) return 0;
  std::size_t n = 1 + nodes(e->lhs.get()) + nodes(e->rhs.get());
  for (const auto& a : e->args)
    n += nodes(a.get());
  for (const auto& f : e->fields)
    n += nodes(f.value.get());
  return n;
}

// The code's size (compiler/limits.hpp, kMaxFunctionNodes): counts the nodes of each function
// in source order and reports the statement at which a function, or the program, crosses its
// limit, once each.
class CodeSize {
 public:
  explicit CodeSize(Diagnostics& diags) : diags_(diags) {}

  void function(const FnDecl& f) {
    name_ = &f.name;
    in_function_ = 0;
    function_reported_ = false;
    add(kNodesPerFunction + f.params.size(), f.span);
    block(f.body);
  }

 private:
  void block(const std::vector<StmtPtr>& stmts) {
    for (const auto& s : stmts) {
      std::size_t n = 1 + nodes(s->target.get()) + nodes(s->value.get()) + nodes(s->cond.get()) +
                      nodes(s->range_end.get()) + nodes(s->message.get());
      for (const auto& a : s->args)
        n += nodes(a.get());
      if (s->kind == StmtKind::While || s->kind == StmtKind::For) n += kNodesPerLoop;
      add(n, s->span);
      block(s->body);
      block(s->else_body);
    }
  }

  void add(std::size_t n, Span span) {
    in_function_ += n;
    in_all_ += n;
    if (!function_reported_ && in_function_ > kMaxFunctionNodes) {
      function_reported_ = true;
      diags_.error(span,
                   "the code of `" + *name_ + "` passes the limit of " +
                       std::to_string(kMaxFunctionNodes) + " nodes per function here",
                   "each statement and expression is a node, each loop " +
                       std::to_string(kNodesPerLoop) +
                       " more; the optimiser's time grows with the square of a function's "
                       "size: split `" +
                       *name_ + "` into several functions");
    }
    // A function past its own limit is one error, not also the program's.
    if (!program_reported_ && !function_reported_ && in_all_ > kMaxProgramNodes) {
      program_reported_ = true;
      diags_.error(span,
                   "the program's code passes the limit of " + std::to_string(kMaxProgramNodes) +
                       " nodes here",
                   "each statement and expression is a node, each function " +
                       std::to_string(kNodesPerFunction) + " more and each loop " +
                       std::to_string(kNodesPerLoop) + " more; split the contract into several");
    }
  }

  Diagnostics& diags_;
  const std::string* name_ = nullptr;
  std::size_t in_function_ = 0, in_all_ = 0;
  bool function_reported_ = false, program_reported_ = false;
};

}  // namespace

std::string tuple_size_message() {
  return "a tuple has " + std::to_string(kMinTupleMembers) + " to " +
         std::to_string(kMaxTupleMembers) + " members";
}

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
  // Past the function table, the code is too large anyway: one error says so.
  if (functions <= kMaxDeclarations) {
    CodeSize code(diags_);
    for (const auto& f : p_.fns)
      code.function(*f);
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
