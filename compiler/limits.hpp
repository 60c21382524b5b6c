// The compiler's limits (docs/language.md, "Limits"). Any source, however large or deep,
// either compiles or gets a diagnostic at the place that crosses a limit: the compiler never
// runs out of stack and never spends minutes on a program the module format would refuse.
// Limits the module format has too are the VM's constants, not copies of their numbers.
#pragma once

#include <cstddef>

#include "vm/module.hpp"

namespace assent::compiler {

// Nesting of expressions, statements and types. The parser refuses anything deeper, so every
// later pass that walks the tree recursively (checker, code generation, the tree's own
// destructors) recurses at most about twice this deep (statements around an expression).
// Each `(`, unary operator, call, index, literal, block and `else if` is one level; so is
// each operator of a chain: `a + b + c` is a tree two levels deep. 256 levels cost well
// under a megabyte of stack in the deepest pass and are far more than real contracts use.
inline constexpr std::size_t kMaxNesting = 256;

// Names of functions, parameters, records, fields, enums, variants and events: the module
// stores them (exports and the ABI) and refuses longer ones.
inline constexpr std::size_t kMaxNameBytes = vm::kMaxNameBytes;

// Functions (fn, action, view, init) of one program, records and enums of one program,
// events of one contract: each is a table of the module, at most this long.
inline constexpr std::size_t kMaxDeclarations = vm::kMaxEntries;

// Read-only data (string and bytes literals, the compiler's messages) of one module.
inline constexpr std::size_t kMaxRodataBytes = vm::kMaxRodataBytes;

// Code, in nodes of the tree: each statement and each expression is one node; each function
// (fn, action, view, init) counts kNodesPerFunction more, for its frame, entry point and
// argument codecs, and each loop kNodesPerLoop more, for the loop passes that analyse it on
// its own: measured, each costs LLVM about as much time as that many nodes. LLVM's
// optimiser takes time that grows with the square of a function's size (InstCombine tests
// each compare against every dominating branch on the same value: 8,000 checked additions
// of one parameter took 41 s), so one function's code is bounded; time is then about linear
// in the number of functions, so the program's code is bounded too. Both are checked before
// any code is generated, at the statement that crosses them, and chosen so that any program
// within them compiles in about 2 s on a 2-core machine; the reference contracts use at
// most 711 nodes in a function and 4,032 in all (docs/language.md, "Limits").
inline constexpr std::size_t kMaxFunctionNodes = 2048;
inline constexpr std::size_t kMaxProgramNodes = 16384;
inline constexpr std::size_t kNodesPerFunction = 16;
inline constexpr std::size_t kNodesPerLoop = 32;

// Variants of an enum: a set<Enum> is one 64-bit word, a bit per variant.
inline constexpr std::size_t kMaxEnumVariants = vm::kMaxEnumVariants;

// Members of a tuple, and the nesting of a type that crosses the ABI (an export's
// parameters and result, an event's fields), as the module's ABI stores them.
inline constexpr std::size_t kMinTupleMembers = vm::kMinTupleMembers;
inline constexpr std::size_t kMaxTupleMembers = vm::kMaxTupleMembers;
inline constexpr std::size_t kMaxTypeDepth = vm::kMaxTypeDepth;

// Indexed fields of an event (the node indexes events by each).
inline constexpr std::size_t kMaxIndexedFields = vm::kMaxIndexedFields;

// Storage fields of a contract: a field's number, 1 to 255, is the first byte of its keys
// (docs/language.md, "Storage layout").
inline constexpr std::size_t kMaxStorageFields = 255;

// Instructions of one module. Known only once LLVM has emitted the code: the error then names
// the function in which the code crosses the limit.
inline constexpr std::size_t kMaxInstructions = vm::kMaxInstructions;

}  // namespace assent::compiler
