// The front end of a compilation: reading the main file and the standard-library modules it
// imports, parsing and checking them into one Program.
#include "compiler/frontend.hpp"

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

bool Frontend::run(const std::string& file, const std::string& text,
                   const std::string& stdlib_dir) {
  files.push_back(std::make_unique<SourceFile>(file, text));
  parse(lex(*files.back(), diags), program, diags);
  const std::string dir = stdlib_dir.empty() ? default_stdlib_dir() : stdlib_dir;
  std::set<std::string> loaded;
  // Imports may import others; each module is read once.
  for (std::size_t i = 0; i < program.imports.size(); ++i) {
    const Import imp = program.imports[i];
    if (!loaded.insert(imp.name).second) continue;
    const std::string path = dir + "/" + imp.name + ".assent";
    std::ifstream in(path);
    if (!in) {
      std::string available;
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".assent")
          available += (available.empty() ? "" : ", ") + entry.path().stem().string();
      diags.error(imp.span, "unknown module `" + imp.name + "`",
                  available.empty() ? "" : "the standard library has: " + available);
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
  out.ok = fe.run(file, text, options.stdlib_dir);
  fe.report(out);
  return out;
}

}  // namespace assent::compiler
