// The front end of a compilation: reading the main file and the standard-library modules it
// imports, parsing and checking them into one Program.
#include "compiler/frontend.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/checker.hpp"
#include "compiler/lexer.hpp"
#include "compiler/parser.hpp"

#ifndef ASSENT_STDLIB_DIR
#define ASSENT_STDLIB_DIR ""
#endif

namespace assent::compiler {

std::string default_stdlib_dir() {
  return ASSENT_STDLIB_DIR;
}

namespace {

// The directories of the standard library: `dirs` is a ':'-separated list.
std::vector<std::string> split_dirs(const std::string& dirs) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    if (end > start) out.push_back(dirs.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A contract imported by a test file: its enums, records, interfaces and plain functions join
// the program; the contract itself becomes an interface of its actions and views, with its
// `init`, so that the test can deploy and call it. Its storage and bodies stay behind.
void import_contract(Program& from, Program& into, const std::string& module) {
  into.imports.insert(into.imports.end(), from.imports.begin(), from.imports.end());
  for (auto& e : from.enums)
    into.enums.push_back(std::move(e));
  for (auto& r : from.records)
    into.records.push_back(std::move(r));
  // Contracts often declare the same interface (ConsentRegistry): the first one stands.
  for (auto& i : from.interfaces) {
    const bool seen = std::any_of(into.interfaces.begin(), into.interfaces.end(),
                                  [&](const auto& x) { return x->name == i->name; });
    if (!seen) into.interfaces.push_back(std::move(i));
  }
  auto iface = std::make_unique<InterfaceDecl>();
  for (auto& f : from.fns) {
    if (!f->in_contract) {
      into.fns.push_back(std::move(f));
      continue;
    }
    if (f->kind == FnKind::Fn) continue;
    InterfaceMethod m{f->kind, f->name, f->span, f->params, f->result, nullptr};
    if (f->kind == FnKind::Init)
      iface->init = std::move(m);
    else
      iface->methods.push_back(std::move(m));
  }
  if (!from.contract) return;
  iface->name = from.contract->name;
  iface->span = from.contract->span;
  iface->module = module;
  if (!iface->init)
    iface->init = InterfaceMethod{FnKind::Init, "init", iface->span, {}, {}, nullptr};
  into.interfaces.push_back(std::move(iface));
}

}  // namespace

bool Frontend::run(const std::string& file, const std::string& text,
                   const CompileOptions& options) {
  files.push_back(std::make_unique<SourceFile>(file, text));
  parse(lex(*files.back(), diags), program, diags);
  program.test = options.test;
  const std::string dir = options.stdlib_dir.empty() ? default_stdlib_dir() : options.stdlib_dir;
  std::string contracts_dir = options.contracts_dir;
  if (contracts_dir.empty()) contracts_dir = std::filesystem::path(file).parent_path().string();
  if (contracts_dir.empty()) contracts_dir = ".";
  std::set<std::string> loaded;
  // Imports may import others; each module is read once.
  for (std::size_t i = 0; i < program.imports.size(); ++i) {
    const Import imp = program.imports[i];
    if (!loaded.insert(imp.name).second) continue;
    if (options.test) {
      const std::string path = contracts_dir + "/" + imp.name + ".assent";
      std::ifstream contract(path);
      if (contract.is_open() && path != file) {
        std::stringstream ss;
        ss << contract.rdbuf();
        files.push_back(std::make_unique<SourceFile>(path, ss.str()));
        Program imported;
        parse(lex(*files.back(), diags), imported, diags);
        import_contract(imported, program, imp.name);
        continue;
      }
    }
    std::ifstream in;
    for (const auto& d : split_dirs(dir)) {
      in.open(d + "/" + imp.name + ".assent");
      if (in.is_open()) break;
      in.clear();
    }
    if (!in.is_open()) {
      std::set<std::string> names;
      std::error_code ec;
      for (const auto& d : split_dirs(dir))
        for (const auto& entry : std::filesystem::directory_iterator(d, ec))
          if (entry.path().extension() == ".assent") names.insert(entry.path().stem().string());
      std::string available;
      for (const auto& n : names)
        available += (available.empty() ? "" : ", ") + n;
      std::string hint = available.empty() ? "" : "the standard library has: " + available;
      if (!options.test && std::filesystem::exists(contracts_dir + "/" + imp.name + ".assent"))
        hint = "`" + imp.name +
               ".assent` beside this file is a contract: only test files "
               "(`assentc --test`, run by `assent test`) import contracts";
      diags.error(imp.span, "unknown module `" + imp.name + "`", hint);
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back(std::make_unique<SourceFile>("stdlib/" + imp.name + ".assent", ss.str()));
    parse(lex(*files.back(), diags), program, diags);
  }
  if (diags.has_errors()) return false;  // check only what parsed: fewer cascades
  Checker(program, types, diags).run();
  return !diags.has_errors();
}

void Frontend::report(Compilation& out) const {
  out.diagnostics = diags.render_all();
  for (const auto& d : diags.all()) {
    Problem p;
    p.message = d.message;
    if (d.span.file) {
      p.file = d.span.file->name;
      auto [line, col] = d.span.file->position(d.span.begin);
      p.line = line;
      p.column = col;
    }
    out.problems.push_back(std::move(p));
  }
}

Compilation check_only(const std::string& file, const std::string& text,
                       const CompileOptions& options) {
  Frontend fe;
  Compilation out;
  out.ok = fe.run(file, text, options);
  fe.report(out);
  return out;
}

}  // namespace assent::compiler
