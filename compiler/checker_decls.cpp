// Declarations: collecting names, resolving types, signatures, view purity.
#include <algorithm>
#include <functional>
#include <set>

#include "compiler/checker.hpp"
#include "compiler/limits.hpp"

namespace assent::compiler {

bool parse_u256(const std::string& digits, uint64_t (&limbs)[4]) {
  for (auto& l : limbs)
    l = 0;
  const bool hex = digits.rfind("0x", 0) == 0;
  const uint64_t base = hex ? 16 : 10;
  for (std::size_t i = hex ? 2 : 0; i < digits.size(); ++i) {
    const char c = digits[i];
    const uint64_t d =
        c <= '9' ? static_cast<uint64_t>(c - '0') : static_cast<uint64_t>((c | 0x20) - 'a' + 10);
    unsigned __int128 carry = d;
    for (auto& l : limbs) {
      const unsigned __int128 v = static_cast<unsigned __int128>(l) * base + carry;
      l = static_cast<uint64_t>(v);
      carry = v >> 64;
    }
    if (carry != 0) return false;
  }
  return true;
}

void Checker::run() {
  check_limits();
  collect();
  for (auto& r : p_.records)
    for (auto& f : r->fields)
      f.resolved = resolve_type(f.type, false);
  check_record_cycles();
  check_signatures();
  for (auto& f : p_.fns)
    check_fn(*f);
  check_purity();
}

void Checker::declare(const std::string& name, Span span, std::string_view what) {
  if (name.find("__") != std::string::npos)
    diags_.error(span, "`" + name + "`: names containing `__` are reserved for the compiler");
  auto [it, inserted] = declared_.emplace(name, span);
  if (!inserted)
    diags_.error(span, std::string(what) + " `" + name + "` is declared twice",
                 "the first declaration is at line " + std::to_string(it->second.line()));
}

void Checker::collect() {
  for (auto& e : p_.enums) {
    declare(e->name, e->span, "enum");
    enums_[e->name] = e.get();
    e->type = types_.enum_type(e.get());
    std::set<std::string> seen;
    if (e->variants.empty()) diags_.error(e->span, "enum `" + e->name + "` has no variants");
    if (e->variants.size() > kMaxEnumVariants)
      diags_.error(e->span,
                   "enum `" + e->name + "` has " + std::to_string(e->variants.size()) +
                       " variants; the limit is " + std::to_string(kMaxEnumVariants),
                   "a set<Enum> is one 64-bit word");
    for (auto& [name, span] : e->variants)
      if (!seen.insert(name).second)
        diags_.error(span, "enum `" + e->name + "` has two variants named `" + name + "`");
  }
  for (auto& r : p_.records) {
    declare(r->name, r->span, "record");
    records_[r->name] = r.get();
    r->type = types_.record_type(r.get());
    std::set<std::string> seen;
    for (auto& f : r->fields)
      if (!seen.insert(f.name).second)
        diags_.error(f.span, "record `" + r->name + "` has two fields named `" + f.name + "`");
  }
  for (auto& i : p_.interfaces) {
    declare(i->name, i->span, "interface");
    interfaces_[i->name] = i.get();
  }
  for (auto& f : p_.fns) {
    if (f->kind == FnKind::Init) {
      if (fns_.count("init"))
        diags_.error(f->span, "a contract has one `init`; this is the second");
      fns_["init"] = f.get();
      continue;
    }
    declare(f->name, f->span, "function");
    fns_[f->name] = f.get();
  }
  if (p_.contract) {
    auto& c = *p_.contract;
    if (c.storage.size() > kMaxStorageFields)
      diags_.error(c.span, "a contract has at most " + std::to_string(kMaxStorageFields) +
                               " storage fields");
    uint8_t id = 1;
    for (auto& s : c.storage) {
      if (storage_.count(s->name)) {
        diags_.error(s->span, "storage field `" + s->name + "` is declared twice");
        continue;
      }
      storage_[s->name] = s.get();
      s->id = id++;
    }
    uint32_t index = 0;
    for (auto& e : c.events) {
      if (events_.count(e->name)) {
        diags_.error(e->span, "event `" + e->name + "` is declared twice");
        continue;
      }
      events_[e->name] = e.get();
      e->index = index++;
    }
  }
}

const Type* Checker::resolve_type(const TypeExpr& t, bool allow_storage_types) {
  auto arity = [&](std::size_t n) {
    if (t.args.size() == n) return true;
    diags_.error(t.span, "`" + t.name + "` takes " + std::to_string(n) + " type argument" +
                             (n == 1 ? "" : "s") + ", not " + std::to_string(t.args.size()));
    return false;
  };
  if (t.name.empty()) {  // tuple
    if (t.args.size() < kMinTupleMembers || t.args.size() > kMaxTupleMembers) {
      diags_.error(t.span, tuple_size_message());
      return types_.error();
    }
    std::vector<const Type*> members;
    for (const auto& a : t.args) {
      const Type* m = resolve_type(a, false);
      if (m->is_error()) return m;
      if (!m->is_value()) {
        diags_.error(a.span, "`" + to_string(m) + "` cannot be a tuple member");
        return types_.error();
      }
      members.push_back(m);
    }
    return types_.tuple(std::move(members));
  }
  if (const auto basic = basic_kind_named(t.name)) {
    if (!t.args.empty()) {
      diags_.error(t.span, "`" + t.name + "` takes no type arguments");
      return types_.error();
    }
    return types_.get(*basic);
  }
  if (t.name == "set") {
    if (!arity(1)) return types_.error();
    const Type* e = resolve_type(t.args[0], false);
    if (e->is_error()) return e;
    if (!e->is(Kind::Enum)) {
      diags_.error(t.args[0].span, "a set holds an enum, not `" + to_string(e) + "`",
                   "declare `enum Name { ... }` and use set<Name>");
      return types_.error();
    }
    return types_.set(e);
  }
  if (t.name == "list") {
    if (!arity(1)) return types_.error();
    const Type* e = resolve_type(t.args[0], false);
    if (e->is_error()) return e;
    if (!e->is_value()) {
      diags_.error(t.args[0].span, "a list cannot hold `" + to_string(e) + "`");
      return types_.error();
    }
    return types_.list(e);
  }
  if (t.name == "array") {
    if (!arity(1)) return types_.error();
    const Type* e = resolve_type(t.args[0], false);
    if (e->is_error()) return e;
    if (!e->is_scalar()) {
      diags_.error(t.args[0].span,
                   "an array holds scalars (integers, bools, time, enums, sets), not `" +
                       to_string(e) + "`");
      return types_.error();
    }
    return types_.array(e);
  }
  if (t.name == "map") {
    if (!arity(2)) return types_.error();
    if (!allow_storage_types) {
      diags_.error(t.span, "a map can only be a storage field", "declare it in `storage { ... }`");
      return types_.error();
    }
    const Type* k = resolve_type(t.args[0], false);
    const Type* v = resolve_type(t.args[1], false);
    if (k->is_error() || v->is_error()) return types_.error();
    if (!k->is_key()) {
      diags_.error(t.args[0].span, "`" + to_string(k) + "` cannot be a map key",
                   "keys are bool, integers, time, duration, enums, sets, identity, or tuples "
                   "of these");
      return types_.error();
    }
    if (!v->is_value()) {
      diags_.error(t.args[1].span, "`" + to_string(v) + "` cannot be a map value");
      return types_.error();
    }
    return types_.map(k, v);
  }
  if (auto it = enums_.find(t.name); it != enums_.end()) return it->second->type;
  if (auto it = records_.find(t.name); it != records_.end()) return it->second->type;
  std::string hint = suggest(t.name);
  diags_.error(t.span, "unknown type `" + t.name + "`", hint);
  return types_.error();
}

void Checker::check_record_cycles() {
  // A record that contains itself, directly or through others, would have infinite size.
  // The field that closes a cycle gets the error type, so that nothing later (sizes, ABI
  // depth) recurses forever.
  std::map<const RecordDecl*, int> state;  // 0 new, 1 on the path, 2 done
  std::function<bool(RecordDecl*)> visit = [&](RecordDecl* r) {
    if (state[r] == 1) return false;
    if (state[r] == 2) return true;
    state[r] = 1;
    std::function<bool(const Type*)> walk = [&](const Type* t) {
      if (t == nullptr) return true;
      if (t->is(Kind::Record)) return visit(const_cast<RecordDecl*>(t->record));
      for (const Type* a : t->args)
        if (!walk(a)) return false;
      return true;
    };
    bool reported = false;
    for (auto& f : r->fields)
      if (!walk(f.resolved)) {
        f.resolved = types_.error();
        if (!reported)
          diags_.error(r->span, "record `" + r->name + "` contains itself",
                       "a record cannot hold itself, directly or through other records");
        reported = true;
      }
    state[r] = 2;
    return true;
  };
  for (auto& r : p_.records)
    visit(r.get());
  for (auto& r : p_.records)
    for (auto& f : r->fields)
      if (f.resolved && !f.resolved->is_error() && !f.resolved->is_value()) {
        diags_.error(f.type.span, '`' + to_string(f.resolved) + "` cannot be a record field");
        f.resolved = types_.error();
      }
}

bool Checker::abi_type_ok(const Type* t, Span span, std::string_view where) {
  // Depth, counted no further than the limit.
  std::function<int(const Type*, int)> depth = [&](const Type* x, int level) -> int {
    if (level > static_cast<int>(kMaxTypeDepth)) return level;
    int d = level;
    for (const Type* a : x->args)
      d = std::max(d, depth(a, level + 1));
    if (x->is(Kind::Record))
      for (const auto& f : x->record->fields)
        if (f.resolved) d = std::max(d, depth(f.resolved, level + 1));
    return d;
  };
  if (depth(t, 1) > static_cast<int>(kMaxTypeDepth)) {
    diags_.error(span, "the type of " + std::string(where) + " nests deeper than " +
                           std::to_string(kMaxTypeDepth) + " levels");
    return false;
  }
  return true;
}

void Checker::check_signatures() {
  if (p_.contract) {
    for (auto& s : p_.contract->storage)
      s->resolved = resolve_type(s->type, true);
    for (auto& e : p_.contract->events) {
      std::set<std::string> seen;
      std::size_t indexed = 0;
      for (auto& param : e->params) {
        param.resolved = resolve_type(param.type, false);
        if (!seen.insert(param.name).second)
          diags_.error(param.span,
                       "event `" + e->name + "` has two fields named `" + param.name + "`");
        if (param.resolved->is_error()) continue;
        if (!param.resolved->is_value())
          diags_.error(param.type.span,
                       "an event field cannot be `" + to_string(param.resolved) + "`");
        if (param.indexed && !param.resolved->is(Kind::Identity))
          diags_.error(param.span, "indexed event field `" + param.name + "` must be an identity",
                       "events are indexed by the identities they are about");
        if (param.indexed && ++indexed == kMaxIndexedFields + 1)
          diags_.error(param.span,
                       "an event indexes at most " + std::to_string(kMaxIndexedFields) + " fields");
      }
    }
  }
  for (auto& i : p_.interfaces) {
    std::set<std::string> seen;
    for (auto& m : i->methods) {
      if (!seen.insert(m.name).second)
        diags_.error(m.span, "interface `" + i->name + "` has two methods named `" + m.name + "`");
      for (auto& param : m.params)
        param.resolved = resolve_type(param.type, false);
      m.result_type = m.result ? resolve_type(*m.result, false) : types_.get(Kind::Unit);
    }
    if (i->init)
      for (auto& param : i->init->params)
        param.resolved = resolve_type(param.type, false);
  }
  for (auto& f : p_.fns) {
    const bool exported = f->kind != FnKind::Fn || !p_.contract;
    for (auto& param : f->params) {
      param.resolved = resolve_type(param.type, false);
      const Type* t = param.resolved;
      if (t->is_error()) continue;
      if (t->is(Kind::Array) && exported)
        diags_.error(param.type.span, "an array cannot be a parameter of an export",
                     "take a list<T> and copy it into an array");
      else if (t->is(Kind::List) && !t->args[0]->is_fixed_size())
        diags_.error(param.type.span, "a list parameter holds fixed-size values, not `" +
                                          to_string(t->args[0]) + "`");
      else if (exported)
        abi_type_ok(t, param.type.span, "parameter `" + param.name + "`");
    }
    if (f->result) {
      f->result_type = resolve_type(*f->result, false);
      if (f->result_type->is(Kind::Array) && !exported) {
        // internal functions may return arrays
      } else if (!f->result_type->is_error() && !f->result_type->is_value())
        diags_.error(f->result->span,
                     "a function cannot return `" + to_string(f->result_type) + "`");
      if (f->kind == FnKind::Init)
        diags_.error(f->result->span, "`init` returns nothing");
      else if (exported && f->result_type->is_value())
        abi_type_ok(f->result_type, f->result->span, "the result");
    } else {
      f->result_type = types_.get(Kind::Unit);
    }
  }
}

void Checker::note_write(Span span, std::string what) {
  if (fn_ != nullptr) direct_writes_[fn_].push_back({span, std::move(what)});
}

void Checker::check_purity() {
  for (auto& f : p_.fns)
    f->writes = !direct_writes_[f.get()].empty();
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& f : p_.fns) {
      if (f->writes) continue;
      for (const auto& [callee, span] : calls_[f.get()])
        if (callee->writes) {
          f->writes = true;
          changed = true;
          break;
        }
    }
  }
  for (auto& f : p_.fns) {
    if (f->kind != FnKind::View) continue;
    for (const auto& site : direct_writes_[f.get()])
      diags_.error(site.span, "view `" + f->name + "` cannot " + site.what,
                   "views only read; make it an action");
    for (const auto& [callee, span] : calls_[f.get()])
      if (callee->writes)
        diags_.error(span,
                     "view `" + f->name + "` calls `" + callee->name + "`, which writes state",
                     "views only read; make it an action");
  }
}

std::string Checker::suggest(const std::string& name) const {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
      row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t prev = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cur = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
        prev = cur;
      }
    }
    return row[b.size()];
  };
  std::vector<std::string> candidates;
  for (const Kind k : named_basic_kinds())
    candidates.push_back(to_string(types_.get(k)));
  for (const auto& [n, _] : declared_)
    candidates.push_back(n);
  for (const auto& [n, _] : storage_)
    candidates.push_back(n);
  for (const auto& scope : scopes_)
    for (const auto& [n, _] : scope)
      candidates.push_back(n);
  std::string best;
  std::size_t best_distance = name.size() <= 3 ? 1 : 2;
  for (const auto& c : candidates) {
    const std::size_t d = distance(name, c);
    if (d <= best_distance && c != name) {
      if (d < best_distance || best.empty()) best = c;
      best_distance = d;
    }
  }
  return best.empty() ? "" : "did you mean `" + best + "`?";
}

}  // namespace assent::compiler
