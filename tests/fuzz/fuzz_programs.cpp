// Fuzz target: the input drives a generator of well-typed Assent programs (integer and bool
// arithmetic, loops with bounded counters, helper functions, records). Every generated
// program must compile, pass the verifier and run to a result or a trap, never a host fault.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "stdlib/host_syscalls.hpp"
#include "vm/machine.hpp"
#include "vm/verifier.hpp"

namespace {

class Generator {
 public:
  Generator(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  std::string program() {
    std::string out = "record Pair { a: u64, b: i64 }\n";
    out += "fn helper(x: u64, y: u64) -> u64 {\n    return " + u64_expr(2, {"x", "y"}) + ";\n}\n";
    out += "fn pair(x: u64) -> Pair {\n    return Pair { a: x, b: " + i64_expr(2, {}) + " };\n}\n";
    out += "fn main() -> u64 {\n";
    std::vector<std::string> vars;
    const int n = 1 + pick(6);
    for (int i = 0; i < n; ++i)
      out += stmt(vars, 1);
    out += "    return " + u64_expr(3, vars) + ";\n}\n";
    return out;
  }

 private:
  int pick(int n) {
    if (pos_ >= size_) return 0;
    return data_[pos_++] % n;
  }
  std::string literal() { return std::to_string(pick(4) == 0 ? pick(256) * 1000003 : pick(20)); }

  std::string u64_expr(int depth, const std::vector<std::string>& vars) {
    const int choice = depth <= 0 ? pick(2) : pick(10);
    switch (choice) {
      case 0:
        return literal();
      case 1:
        return vars.empty() ? literal()
                            : vars[static_cast<size_t>(pick(static_cast<int>(vars.size())))];
      case 2:
      case 3: {
        static const char* ops[] = {"+", "-", "*", "/", "%", "&", "|", "^"};
        return "(" + u64_expr(depth - 1, vars) + " " + ops[pick(8)] + " " +
               u64_expr(depth - 1, vars) + ")";
      }
      case 4:
        return "helper(" + u64_expr(depth - 1, vars) + ", " + u64_expr(depth - 1, vars) + ")";
      case 5:
        return "pair(" + u64_expr(depth - 1, vars) + ").a";
      case 6:
        return "u64(u8(" + u64_expr(depth - 1, vars) + " % 256))";
      case 7:
        return "(" + u64_expr(depth - 1, vars) + " << " + std::to_string(pick(64)) + ")";
      case 8:
        return "u64(" + i64_expr(depth - 1, vars) + ")";
      default:
        return "(" + u64_expr(depth - 1, vars) + " ^ " + literal() + ")";
    }
  }
  std::string i64_expr(int depth, const std::vector<std::string>& vars) {
    switch (depth <= 0 ? 0 : pick(4)) {
      case 0:
        return pick(2) ? "-" + std::to_string(pick(100)) : std::to_string(pick(100));
      case 1:
        return "i64(" + u64_expr(depth - 1, vars) + " % 1000)";
      case 2:
        return "(" + i64_expr(depth - 1, vars) + " * " + i64_expr(depth - 1, vars) + ")";
      default:
        return "(" + i64_expr(depth - 1, vars) + " - " + i64_expr(depth - 1, vars) + ")";
    }
  }
  std::string bool_expr(int depth, const std::vector<std::string>& vars) {
    static const char* cmp[] = {"<", "<=", ">", ">=", "==", "!="};
    switch (depth <= 0 ? 0 : pick(3)) {
      case 0:
        return "(" + u64_expr(0, vars) + " " + cmp[pick(6)] + " " + u64_expr(0, vars) + ")";
      case 1:
        return "(" + bool_expr(depth - 1, vars) + " || " + bool_expr(depth - 1, vars) + ")";
      default:
        return "!" + bool_expr(depth - 1, vars);
    }
  }
  std::string stmt(std::vector<std::string>& vars, int depth) {
    const std::string pad(static_cast<size_t>(4 * depth), ' ');
    switch (pick(depth > 2 ? 2 : 5)) {
      case 0: {
        const std::string name = "v" + std::to_string(counter_++);
        const std::string s = pad + "var " + name + ": u64 = " + u64_expr(2, vars) + ";\n";
        vars.push_back(name);
        return s;
      }
      case 1: {
        // Only `var` bindings (named v...) may be assigned; loop variables (i...) may not.
        std::vector<std::string> mutables;
        for (const auto& v : vars)
          if (v[0] == 'v') mutables.push_back(v);
        if (mutables.empty()) return pad + "require(true, \"x\");\n";
        return pad + mutables[static_cast<size_t>(pick(static_cast<int>(mutables.size())))] +
               " = " + u64_expr(2, vars) + ";\n";
      }
      case 2: {
        std::vector<std::string> inner = vars;
        return pad + "if " + bool_expr(2, vars) + " {\n" + stmt(inner, depth + 1) + pad + "}\n";
      }
      case 3: {
        std::vector<std::string> inner = vars;
        const std::string i = "i" + std::to_string(counter_++);
        inner.push_back(i);
        return pad + "for " + i + " in 0.." + std::to_string(pick(8)) + " {\n" +
               stmt(inner, depth + 1) + pad + "}\n";
      }
      default:
        return pad + "require(" + bool_expr(1, vars) + " || true, \"generated\");\n";
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  int counter_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string source = Generator(data, size).program();
  const auto compiled = assent::compiler::compile("generated.assent", source);
  if (!compiled.ok) {
    // A well-typed program the compiler refuses is a compiler bug.
    fprintf(stderr, "%s\n%s", source.c_str(), compiled.diagnostics.c_str());
    __builtin_trap();
  }
  auto program = assent::vm::verify(compiled.module, assent::stdlib::node_syscalls());
  if (!program.ok()) {
    fprintf(stderr, "%s\nverifier: %s\n", source.c_str(), program.error().describe().c_str());
    __builtin_trap();
  }
  assent::vm::Machine machine(assent::vm::MachineConfig{64 * 1024, 4096, 64});
  const auto* main_export = compiled.module.find_export("main");
  if (main_export == nullptr) __builtin_trap();
  (void)machine.run(*program, main_export->function, {}, 1'000'000);
  return 0;
}
