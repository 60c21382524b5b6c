// The checker: name resolution, type checking, view purity and definite return. It
// annotates the Program in place (Expr::type, Expr::ref, locals, storage ids, ...) and reports
// every error it finds; code generation runs only on a Program without errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/types.hpp"

namespace assent::compiler {

// Built-in functions (docs/language.md "Built-in functions").
enum class Builtin : uint8_t {
  Sha256,
  Ed25519Verify,
  BlockHeight,
  TxHash,
  NewArray,
  WrappingAdd,
  WrappingSub,
  WrappingMul,
  RotateLeft,
  RotateRight,
  // Test built-ins (test files only; checker_test_files.cpp).
  SetCaller,
  AdvanceTime,
  AdvanceBlocks,
  ExpectRevert,
  ExpectEvent,
  Account,
};

// Maps the large integer literal `digits` (decimal or 0x-hex) to four 64-bit limbs, least
// significant first; false when it does not fit in 256 bits.
bool parse_u256(const std::string& digits, uint64_t (&limbs)[4]);

// "a tuple has 2 to 8 members", from the limits (checker_limits.cpp).
std::string tuple_size_message();

// The test built-in called `name`, if it is one.
std::optional<Builtin> test_builtin(const std::string& name);

class Checker {
 public:
  Checker(Program& program, Types& types, Diagnostics& diags)
      : p_(program), types_(types), diags_(diags) {}

  void run();

 private:
  // ---- declarations (checker_decls.cpp)
  void collect();
  void declare(const std::string& name, Span span, std::string_view what);
  const Type* resolve_type(const TypeExpr& t, bool allow_storage_types);
  void check_record_cycles();
  void check_signatures();
  void check_purity();
  bool abi_type_ok(const Type* t, Span span, std::string_view where);

  // ---- the module format's limits (checker_limits.cpp)
  void check_limits();
  void check_name_length(const std::string& name, Span span, std::string_view what);
  // `count` is the position of a declaration in its table, from 1.
  void check_table_size(std::size_t count, Span span, std::string_view what,
                        std::string_view table);
  // String and bytes literals are read-only data; distinct ones add up (a lower bound of the
  // module's read-only data, which also holds the compiler's own messages).
  void check_literal_size(const Expr& literal);

  // ---- statements (checker_stmts.cpp)
  void check_fn(FnDecl& f);
  void check_block(std::vector<StmtPtr>& stmts);
  void check_stmt(Stmt& s);
  void check_assign(Stmt& s);
  void check_for(Stmt& s);
  int add_local(const std::string& name, const Type* type, bool is_mutable, Span span);
  int find_local(const std::string& name) const;
  static bool always_returns(const std::vector<StmtPtr>& stmts);
  static bool diverges(const std::vector<StmtPtr>& stmts);

  // ---- expressions (checker_exprs.cpp)
  const Type* check(Expr& e, const Type* expected = nullptr);
  const Type* expect_type(Expr& e, const Type* want, std::string_view context);
  const Type* check_int_literal(Expr& e, const Type* expected);
  const Type* check_name(Expr& e);
  const Type* check_unary(Expr& e, const Type* expected);
  const Type* check_binary(Expr& e, const Type* expected);
  const Type* check_call(Expr& e, const Type* expected);
  const Type* check_method(Expr& e, Expr& member);
  const Type* check_member(Expr& e);
  const Type* check_index(Expr& e);
  const Type* check_record_literal(Expr& e);
  const Type* check_tuple(Expr& e, const Type* expected);
  const Type* check_set(Expr& e, const Type* expected);
  const Type* check_list(Expr& e, const Type* expected);
  const Type* check_conversion(Expr& e, const Type* target);
  const Type* check_builtin(Expr& e, Builtin b, const Type* expected);
  bool check_args(Expr& call, const std::vector<Param>& params, std::string_view callee);

  // ---- test files (checker_test_files.cpp)
  const Type* check_test_builtin(Expr& e, Builtin b);
  const Type* check_deploy(Expr& e, const InterfaceDecl& iface);
  void note_write(Span span, std::string what);
  std::string suggest(const std::string& name) const;

  Program& p_;
  Types& types_;
  Diagnostics& diags_;

  std::map<std::string, EnumDecl*> enums_;
  std::map<std::string, RecordDecl*> records_;
  std::map<std::string, InterfaceDecl*> interfaces_;
  std::map<std::string, FnDecl*> fns_;
  std::map<std::string, EventDecl*> events_;
  std::map<std::string, StorageField*> storage_;
  std::map<std::string, Span> declared_;  // every global name, for duplicates

  // The function being checked.
  FnDecl* fn_ = nullptr;
  std::vector<std::map<std::string, int>> scopes_;
  int loop_depth_ = 0;
  bool in_let_else_init_ = false;  // `m.get(k)` is allowed only as a let-else value
  bool negated_literal_ = false;   // the literal under a `-`: i64 reaches 2^63 there

  struct Site {
    Span span;
    std::string what;
  };
  std::set<std::string_view> literals_;  // distinct literal texts, pointing into the tree
  std::size_t literal_bytes_ = 0;
  bool literals_reported_ = false;
  std::map<const FnDecl*, std::vector<Site>> direct_writes_;
  std::map<const FnDecl*, std::vector<std::pair<const FnDecl*, Span>>> calls_;
};

}  // namespace assent::compiler
