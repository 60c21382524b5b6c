// Internal to vm/: the interpreter's handler addresses, which the verifier writes into each
// slot of a threaded program. Entry 2*op is the handler of `op`; entry 2*op+1 first charges
// the gas of the basic block that starts there.
#pragma once

#include <cstdint>

#include "vm/isa.hpp"

namespace assent::vm {

const void* const* threaded_handlers();

constexpr uint64_t switch_handler(Op op, bool charged) {
  return 2 * static_cast<uint64_t>(op) + (charged ? 1 : 0);
}

}  // namespace assent::vm
