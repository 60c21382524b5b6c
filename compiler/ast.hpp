// The syntax tree. The parser builds it; the checker annotates it in place (types,
// resolved names, local slots); code generation reads the annotated tree.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/source.hpp"
#include "compiler/token.hpp"

namespace assent::compiler {

struct Type;
struct FnDecl;
struct EnumDecl;
struct RecordDecl;
struct InterfaceDecl;
struct EventDecl;
struct StorageField;

// A type as written: `u64`, `map<identity, u64>`, `(identity, u64)`.
struct TypeExpr {
  Span span;
  std::string name;  // empty for a tuple
  std::vector<TypeExpr> args;
};

enum class ExprKind : uint8_t {
  IntLit,
  DurationLit,
  StringLit,
  BytesLit,
  BoolLit,
  Caller,
  Now,
  This,
  Name,       // text
  Unary,      // op lhs
  Binary,     // lhs op rhs
  Call,       // lhs(args): a function, a conversion, an interface, or a method (lhs is Member)
  Member,     // lhs.text
  Index,      // lhs[rhs]
  RecordLit,  // text { fields }
  TupleLit,   // (args)
  SetLit,     // {args}
  ListLit,    // [args]
};

// What a name, member or call turned out to be; set by the checker.
enum class Ref : uint8_t {
  None,
  Local,            // a let/var/parameter: `local`
  StorageField,     // `storage_field`
  EnumVariant,      // `enum_decl`, `index`
  TypeName,         // a type used as a value prefix (`Purpose` in `Purpose.Research`)
  Function,         // a call of `fn`
  Conversion,       // u64(x), time(x), identity(b), ...
  Builtin,          // sha256(b), ed25519_verify(...), block_height(), ...
  InterfaceCall,    // Iface(addr).method(args): `interface_decl`, `index` = method
  InterfaceBind,    // Iface(addr) on its own (only as the lhs of an interface call)
  InterfaceDeploy,  // Contract.deploy(args), in tests: `interface_decl`
  Method,           // a built-in method of a value: `text` names it (len, get, has, push, ...)
  Field,            // a record field or tuple member: `index`
};

struct FieldInit {
  std::string name;
  Span span;
  std::unique_ptr<struct Expr> value;
};

struct Expr {
  ExprKind kind;
  Span span;
  std::string text;
  uint64_t seconds = 0;
  bool bool_value = false;
  Tok op = Tok::End;
  std::unique_ptr<Expr> lhs, rhs;
  std::vector<std::unique_ptr<Expr>> args;
  std::vector<FieldInit> fields;
  // Set by the parser: the depth of the tree from this node down, this node included. The
  // parser refuses trees deeper than kMaxNesting (compiler/limits.hpp).
  uint32_t height = 1;

  // Set by the checker.
  const Type* type = nullptr;
  Ref ref = Ref::None;
  int local = -1;
  uint32_t index = 0;
  const FnDecl* fn = nullptr;
  const EnumDecl* enum_decl = nullptr;
  const InterfaceDecl* interface_decl = nullptr;
  const StorageField* storage_field = nullptr;
  const Type* target_type = nullptr;  // Conversion: the type converted to
};
using ExprPtr = std::unique_ptr<Expr>;

enum class StmtKind : uint8_t {
  Let,
  Var,
  Assign,
  If,
  While,
  For,
  Return,
  Break,
  Continue,
  Require,
  Emit,
  ExprStmt,
};

struct Stmt {
  StmtKind kind;
  Span span;
  std::string name;  // Let/Var/For: the bound name; Emit: the event
  Span name_span;
  std::optional<TypeExpr> declared;  // Let/Var
  Tok op = Tok::Assign;              // Assign: =, +=, -=, ...
  ExprPtr target;                    // Assign
  ExprPtr value;                     // Let/Var/Assign/Return/ExprStmt; For: iterable or range start
  ExprPtr cond;                      // If/While/Require
  ExprPtr range_end;                 // For over a range
  ExprPtr message;                   // Require
  std::vector<ExprPtr> args;         // Emit
  std::vector<std::unique_ptr<Stmt>> body;       // If then-block, While/For body, let-else block
  std::vector<std::unique_ptr<Stmt>> else_body;  // If
  bool has_else = false;                         // If with else; Let with else (let-else)

  // Set by the checker.
  int local = -1;  // Let/Var/For: the slot of the bound name
  const EventDecl* event = nullptr;
};
using StmtPtr = std::unique_ptr<Stmt>;

struct Param {
  std::string name;
  Span span;
  TypeExpr type;
  bool indexed = false;  // event fields
  const Type* resolved = nullptr;
};

struct EnumDecl {
  std::string name;
  Span span;
  std::vector<std::pair<std::string, Span>> variants;
  const Type* type = nullptr;
};

struct RecordDecl {
  std::string name;
  Span span;
  std::vector<Param> fields;
  const Type* type = nullptr;
};

enum class FnKind : uint8_t { Fn, Action, View, Init };

struct Local {
  std::string name;
  const Type* type;
  bool mutable_;
  Span span;
};

struct FnDecl {
  FnKind kind = FnKind::Fn;
  std::string name;
  Span span;
  std::vector<Param> params;
  std::optional<TypeExpr> result;
  std::vector<StmtPtr> body;
  bool in_contract = false;

  // Set by the checker.
  const Type* result_type = nullptr;
  std::vector<Local> locals;  // parameters first, in order
  bool writes = false;        // writes storage or emits, directly or through what it calls
  std::vector<const FnDecl*> callees;
};

struct InterfaceMethod {
  FnKind kind;  // Action or View
  std::string name;
  Span span;
  std::vector<Param> params;
  std::optional<TypeExpr> result;
  const Type* result_type = nullptr;
};

struct InterfaceDecl {
  std::string name;
  Span span;
  std::vector<InterfaceMethod> methods;
  // A contract imported by a test file is seen as an interface that tests can also deploy:
  // `module` names its source file (without .assent), `init` its initialiser's parameters.
  std::string module;
  std::optional<InterfaceMethod> init;
};

struct StorageField {
  std::string name;
  Span span;
  TypeExpr type;
  const Type* resolved = nullptr;
  uint8_t id = 0;  // the first byte of its keys
};

struct EventDecl {
  std::string name;
  Span span;
  std::vector<Param> params;
  uint32_t index = 0;  // in the module's ABI
};

struct ContractDecl {
  std::string name;
  Span span;
  std::vector<std::unique_ptr<StorageField>> storage;
  std::vector<std::unique_ptr<EventDecl>> events;
};

struct Import {
  std::string name;
  Span span;
};

// Everything one compilation sees: the main file and the standard-library modules it
// imports. Declarations share one namespace.
struct Program {
  bool test = false;  // a test file: test built-ins and contract imports are allowed
  std::vector<Import> imports;
  std::vector<std::unique_ptr<EnumDecl>> enums;
  std::vector<std::unique_ptr<RecordDecl>> records;
  std::vector<std::unique_ptr<InterfaceDecl>> interfaces;
  std::vector<std::unique_ptr<FnDecl>> fns;
  std::unique_ptr<ContractDecl> contract;  // at most one
};

}  // namespace assent::compiler
