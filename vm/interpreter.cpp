// The interpreter loop. One body, two dispatch strategies: direct threading (each slot holds
// its handler's address; every handler ends in its own indirect jump, which predicts well)
// and a plain switch, kept as the portable fallback and the benchmark baseline.
//
// What the verifier already guarantees, and the handlers therefore do not check: opcodes and
// fields are valid, registers are r0-r10 and r10 is never written, jump and call targets are
// instructions inside the right function, syscall indexes are imported, immediate divisors
// are not zero, every function ends in exit or a jump. What they do check: memory accesses,
// call depth, gas, and divisors held in registers.
#include "vm/interpreter.hpp"

#include <bit>
#include <cstring>

#include "vm/dispatch_table.hpp"

namespace assent::vm {

namespace {

#if defined(__GNUC__)
#define ASSENT_THREADED 1
#else
#define ASSENT_THREADED 0
#endif

template <Dispatch D>
const void* const* run_loop(RunState* state) {
#if ASSENT_THREADED
#define ASSENT_LABELS(id, ...) &&L_##id, &&C_##id,
  static const void* const kHandlers[] = {ASSENT_VM_INSTRUCTIONS(ASSENT_LABELS)
                                              ASSENT_VM_FRAME_FORMS(ASSENT_LABELS)};
#undef ASSENT_LABELS
  static_assert(std::size(kHandlers) == 2 * kHandlerCount);
  if (state == nullptr) return kHandlers;
#endif
  RunState& s = *state;
  const Slot* const slots = s.slots;
  const uint32_t* const costs = s.block_costs;
  const Slot* ip = slots + s.entry;
  uint64_t gas = s.gas;
  uint32_t depth = 0;
  uint64_t reg[11] = {0, s.r1, s.r2, 0, 0, 0, 0, 0, 0, 0, s.r10};
  // The host address r10 stands for; frame forms access the current frame through it.
  uint8_t* fp = s.read[static_cast<int>(RegionId::Stack)].host + (s.r10 & 0xffffffffu);
  RegionView rd[kRegionCount], wr[kRegionCount];
  std::memcpy(rd, s.read, sizeof rd);
  std::memcpy(wr, s.write, sizeof wr);

#if ASSENT_THREADED
#define DISPATCH()                                      \
  do {                                                  \
    if constexpr (D == Dispatch::Threaded)              \
      goto* reinterpret_cast<const void*>(ip->handler); \
    else                                                \
      goto dispatch_switch;                             \
  } while (0)
#else
#define DISPATCH() goto dispatch_switch
#endif
#define NEXT()  \
  do {          \
    ++ip;       \
    DISPATCH(); \
  } while (0)
  // Entry through C_ charges the block that starts here; L_ is the handler proper.
#define OP(id)                                \
  C_##id : {                                  \
    const uint32_t cost_ = costs[ip - slots]; \
    if (gas < cost_) [[unlikely]]             \
      goto out_of_gas;                        \
    gas -= cost_;                             \
  }                                           \
  L_##id:
#define DST reg[ip->dst]
#define SRC reg[ip->src]
#define IMM32 static_cast<uint32_t>(ip->imm)
#define IMM64 static_cast<uint64_t>(static_cast<int64_t>(ip->imm))

#define ALU32(id, value_of_b, expr)                       \
  OP(id) {                                                \
    const uint32_t a = static_cast<uint32_t>(DST);        \
    const uint32_t b = static_cast<uint32_t>(value_of_b); \
    DST = static_cast<uint32_t>(expr);                    \
    (void)a;                                              \
    (void)b;                                              \
    NEXT();                                               \
  }
#define ALU64(id, value_of_b, expr) \
  OP(id) {                          \
    const uint64_t a = DST;         \
    const uint64_t b = value_of_b;  \
    DST = (expr);                   \
    (void)a;                        \
    (void)b;                        \
    NEXT();                         \
  }
#define ALU32_BOTH(name, expr) ALU32(name##Imm, IMM32, expr) ALU32(name##Reg, SRC, expr)
#define ALU64_BOTH(name, expr) ALU64(name##Imm, IMM64, expr) ALU64(name##Reg, SRC, expr)

#define JUMP_IF(id, value_of_b, type, cond)       \
  OP(id) {                                        \
    const type a = static_cast<type>(DST);        \
    const type b = static_cast<type>(value_of_b); \
    if (cond) {                                   \
      ip += ip->off + 1;                          \
      DISPATCH();                                 \
    }                                             \
    NEXT();                                       \
  }
#define JUMP_BOTH(name, type, stype, cond) \
  JUMP_IF(name##Imm, IMM64, type, cond)    \
  JUMP_IF(name##Reg, SRC, type, cond)
#define JUMP32_BOTH(name, type, cond)     \
  JUMP_IF(name##Imm, ip->imm, type, cond) \
  JUMP_IF(name##Reg, SRC, type, cond)

#define FAULT(addr, size, is_write) \
  do {                              \
    s.fault_addr = (addr);          \
    s.fault_size = (size);          \
    s.fault_write = (is_write);     \
    goto memory_fault;              \
  } while (0)
// Each load and store says its size by its C type, which must be the table's (isa.hpp).
#define LOAD(id, type, widen)                                  \
  OP(id) {                                                     \
    static_assert(sizeof(type) == access_size(Op::id));        \
    const uint64_t addr = SRC + static_cast<int64_t>(ip->off); \
    const uint8_t* p = translate(rd, addr, sizeof(type));      \
    if (p == nullptr) [[unlikely]]                             \
      FAULT(addr, sizeof(type), false);                        \
    type v;                                                    \
    std::memcpy(&v, p, sizeof v);                              \
    DST = static_cast<uint64_t>(static_cast<widen>(v));        \
    NEXT();                                                    \
  }
#define STORE(id, type, value)                                 \
  OP(id) {                                                     \
    static_assert(sizeof(type) == access_size(Op::id));        \
    const uint64_t addr = DST + static_cast<int64_t>(ip->off); \
    uint8_t* p = translate(wr, addr, sizeof(type));            \
    if (p == nullptr) [[unlikely]]                             \
      FAULT(addr, sizeof(type), true);                         \
    const type v = static_cast<type>(value);                   \
    std::memcpy(p, &v, sizeof v);                              \
    NEXT();                                                    \
  }

  DISPATCH();

  // ALU, 32-bit. Division and modulo follow RFC 9669: x / 0 = 0, x % 0 = x, and the signed
  // forms wrap MIN / -1 to MIN and MIN % -1 to 0 (C++ leaves those undefined, so -1 is
  // handled before dividing).
  ALU32_BOTH(Add32, a + b)
  ALU32_BOTH(Sub32, a - b)
  ALU32_BOTH(Mul32, a * b)
  ALU32_BOTH(Div32, b ? a / b : 0u)
  ALU32_BOTH(Sdiv32, b == 0 ? 0u
                     : static_cast<int32_t>(b) == -1
                         ? 0u - a
                         : static_cast<uint32_t>(static_cast<int32_t>(a) / static_cast<int32_t>(b)))
  ALU32_BOTH(Or32, a | b)
  ALU32_BOTH(And32, a & b)
  ALU32_BOTH(Lsh32, a << (b & 31))
  ALU32_BOTH(Rsh32, a >> (b & 31))
  ALU32_BOTH(Mod32, b ? a % b : a)
  ALU32_BOTH(Smod32, b == 0 ? a
                     : static_cast<int32_t>(b) == -1
                         ? 0u
                         : static_cast<uint32_t>(static_cast<int32_t>(a) % static_cast<int32_t>(b)))
  ALU32_BOTH(Xor32, a ^ b)
  ALU32_BOTH(Mov32, b)
  ALU32_BOTH(Arsh32, static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31)))
  ALU32(Movsx832, SRC, static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(b))))
  ALU32(Movsx1632, SRC, static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(b))))
  ALU32(Neg32, 0, 0u - a)
  ALU64(Le16, 0, static_cast<uint16_t>(a))
  ALU64(Le32, 0, static_cast<uint32_t>(a))
  ALU64(Le64, 0, a)
  ALU64(Be16, 0, __builtin_bswap16(static_cast<uint16_t>(a)))
  ALU64(Be32, 0, __builtin_bswap32(static_cast<uint32_t>(a)))
  ALU64(Be64, 0, __builtin_bswap64(a))

  // ALU, 64-bit.
  ALU64_BOTH(Add64, a + b)
  ALU64_BOTH(Sub64, a - b)
  ALU64_BOTH(Mul64, a * b)
  ALU64_BOTH(Div64, b ? a / b : 0)
  ALU64_BOTH(Sdiv64, b == 0 ? 0
                     : static_cast<int64_t>(b) == -1
                         ? 0 - a
                         : static_cast<uint64_t>(static_cast<int64_t>(a) / static_cast<int64_t>(b)))
  ALU64_BOTH(Or64, a | b)
  ALU64_BOTH(And64, a & b)
  ALU64_BOTH(Lsh64, a << (b & 63))
  ALU64_BOTH(Rsh64, a >> (b & 63))
  ALU64_BOTH(Mod64, b ? a % b : a)
  ALU64_BOTH(Smod64, b == 0 ? a
                     : static_cast<int64_t>(b) == -1
                         ? 0
                         : static_cast<uint64_t>(static_cast<int64_t>(a) % static_cast<int64_t>(b)))
  ALU64_BOTH(Xor64, a ^ b)
  ALU64_BOTH(Mov64, b)
  ALU64_BOTH(Arsh64, static_cast<uint64_t>(static_cast<int64_t>(a) >> (b & 63)))
  ALU64(Movsx864, SRC, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(b))))
  ALU64(Movsx1664, SRC, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(b))))
  ALU64(Movsx3264, SRC, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(b))))
  ALU64(Neg64, 0, 0 - a)
  ALU64(Bswap16, 0, __builtin_bswap16(static_cast<uint16_t>(a)))
  ALU64(Bswap32, 0, __builtin_bswap32(static_cast<uint32_t>(a)))
  ALU64(Bswap64, 0, __builtin_bswap64(a))

  // Memory: every access is translated through the region table (memory.hpp).
  LOAD(Ldxw, uint32_t, uint32_t)
  LOAD(Ldxh, uint16_t, uint16_t)
  LOAD(Ldxb, uint8_t, uint8_t)
  LOAD(Ldxdw, uint64_t, uint64_t)
  LOAD(Ldxsw, int32_t, int64_t)
  LOAD(Ldxsh, int16_t, int64_t)
  LOAD(Ldxsb, int8_t, int64_t)
  STORE(Stw, uint32_t, ip->imm)
  STORE(Sth, uint16_t, ip->imm)
  STORE(Stb, uint8_t, ip->imm)
  STORE(Stdw, uint64_t, IMM64)
  STORE(Stxw, uint32_t, SRC)
  STORE(Stxh, uint16_t, SRC)
  STORE(Stxb, uint8_t, SRC)
  STORE(Stxdw, uint64_t, SRC)
  // Frame forms (isa_table.hpp): base r10, offset inside the frame, so never a fault.
#define LOAD_FRAME(id, type, widen)                     \
  OP(id) {                                              \
    static_assert(sizeof(type) == access_size(Op::id)); \
    type v;                                             \
    std::memcpy(&v, fp + ip->off, sizeof v);            \
    DST = static_cast<uint64_t>(static_cast<widen>(v)); \
    NEXT();                                             \
  }
#define STORE_FRAME(id, type, value)                    \
  OP(id) {                                              \
    static_assert(sizeof(type) == access_size(Op::id)); \
    const type v = static_cast<type>(value);            \
    std::memcpy(fp + ip->off, &v, sizeof v);            \
    NEXT();                                             \
  }
  LOAD_FRAME(LdxwFrame, uint32_t, uint32_t)
  LOAD_FRAME(LdxhFrame, uint16_t, uint16_t)
  LOAD_FRAME(LdxbFrame, uint8_t, uint8_t)
  LOAD_FRAME(LdxdwFrame, uint64_t, uint64_t)
  LOAD_FRAME(LdxswFrame, int32_t, int64_t)
  LOAD_FRAME(LdxshFrame, int16_t, int64_t)
  LOAD_FRAME(LdxsbFrame, int8_t, int64_t)
  STORE_FRAME(StwFrame, uint32_t, ip->imm)
  STORE_FRAME(SthFrame, uint16_t, ip->imm)
  STORE_FRAME(StbFrame, uint8_t, ip->imm)
  STORE_FRAME(StdwFrame, uint64_t, IMM64)
  STORE_FRAME(StxwFrame, uint32_t, SRC)
  STORE_FRAME(StxhFrame, uint16_t, SRC)
  STORE_FRAME(StxbFrame, uint8_t, SRC)
  STORE_FRAME(StxdwFrame, uint64_t, SRC)
#undef LOAD_FRAME
#undef STORE_FRAME

  OP(Lddw) {
    DST = static_cast<uint64_t>(static_cast<uint32_t>(ip[0].imm)) |
          (static_cast<uint64_t>(static_cast<uint32_t>(ip[1].imm)) << 32);
    ip += 2;
    DISPATCH();
  }

  // Control flow.
  OP(Ja) {
    ip += ip->off + 1;
    DISPATCH();
  }
  OP(Gotol) {
    ip += ip->imm + 1;
    DISPATCH();
  }
  JUMP_BOTH(Jeq, uint64_t, int64_t, a == b)
  JUMP_BOTH(Jne, uint64_t, int64_t, a != b)
  JUMP_BOTH(Jgt, uint64_t, int64_t, a > b)
  JUMP_BOTH(Jge, uint64_t, int64_t, a >= b)
  JUMP_BOTH(Jlt, uint64_t, int64_t, a < b)
  JUMP_BOTH(Jle, uint64_t, int64_t, a <= b)
  JUMP_BOTH(Jset, uint64_t, int64_t, (a & b) != 0)
  JUMP_BOTH(Jsgt, int64_t, int64_t, a > b)
  JUMP_BOTH(Jsge, int64_t, int64_t, a >= b)
  JUMP_BOTH(Jslt, int64_t, int64_t, a < b)
  JUMP_BOTH(Jsle, int64_t, int64_t, a <= b)
  JUMP32_BOTH(Jeq32, uint32_t, a == b)
  JUMP32_BOTH(Jne32, uint32_t, a != b)
  JUMP32_BOTH(Jgt32, uint32_t, a > b)
  JUMP32_BOTH(Jge32, uint32_t, a >= b)
  JUMP32_BOTH(Jlt32, uint32_t, a < b)
  JUMP32_BOTH(Jle32, uint32_t, a <= b)
  JUMP32_BOTH(Jset32, uint32_t, (a & b) != 0)
  JUMP32_BOTH(Jsgt32, int32_t, a > b)
  JUMP32_BOTH(Jsge32, int32_t, a >= b)
  JUMP32_BOTH(Jslt32, int32_t, a < b)
  JUMP32_BOTH(Jsle32, int32_t, a <= b)

  OP(CallLocal) {
    if (depth == s.max_depth) [[unlikely]] {
      s.status = Status::CallDepthExceeded;
      goto trap;
    }
    Frame& f = s.frames[depth++];
    if (depth > s.deepest) s.deepest = depth;
    f.return_to = ip + 1;
    std::memcpy(f.saved, &reg[6], sizeof f.saved);
    reg[10] += kFrameStride;
    fp += kFrameStride;
    ip += ip->imm + 1;
    DISPATCH();
  }
  OP(Exit) {
    if (depth == 0) goto done;
    const Frame& f = s.frames[--depth];
    std::memcpy(&reg[6], f.saved, sizeof f.saved);
    fp -= kFrameStride;
    ip = f.return_to;
    DISPATCH();
  }
  OP(CallHelper) {
    const SyscallSpec* sc = s.syscalls[ip->imm];
    if (gas < sc->cost) [[unlikely]]
      goto out_of_gas_in_syscall;
    gas -= sc->cost;
    SyscallContext& ctx = *s.ctx;
    ctx.gas_left = gas;
    ctx.syscall_gas += sc->cost;
    const uint64_t args[5] = {reg[1], reg[2], reg[3], reg[4], reg[5]};
    const Status st = sc->fn(ctx, SyscallArgs(args), reg[0]);
    gas = ctx.gas_left;
    // A syscall may have mapped more heap (vm.heap_grow).
    rd[static_cast<int>(RegionId::Heap)] = s.read[static_cast<int>(RegionId::Heap)];
    wr[static_cast<int>(RegionId::Heap)] = s.write[static_cast<int>(RegionId::Heap)];
    if (st != Status::Ok) [[unlikely]] {
      s.status = st;
      goto trap;
    }
    NEXT();
  }

  // The threaded form jumps straight to handlers: there the label is unused (GCC says so).
dispatch_switch:
  __attribute__((unused));
  switch (ip->handler) {
#define ASSENT_CASES(id, ...)         \
  case switch_handler(Op::id, false): \
    goto L_##id;                      \
  case switch_handler(Op::id, true):  \
    goto C_##id;
    ASSENT_VM_INSTRUCTIONS(ASSENT_CASES)
    ASSENT_VM_FRAME_FORMS(ASSENT_CASES)
#undef ASSENT_CASES
    default:
      __builtin_unreachable();
  }

out_of_gas:
  s.status = Status::OutOfGas;
  s.ctx->message = "out of gas: the basic block at pc " + std::to_string(ip - slots) + " costs " +
                   std::to_string(costs[ip - slots]) + ", " + std::to_string(gas) + " left";
  goto trap;
out_of_gas_in_syscall:
  s.status = Status::OutOfGas;
  s.ctx->message = "out of gas: syscall `" + s.syscalls[ip->imm]->name + "` costs " +
                   std::to_string(s.syscalls[ip->imm]->cost) + ", " + std::to_string(gas) + " left";
  goto trap;
memory_fault:
  s.status = Status::MemoryFault;
  s.ctx->message = describe_fault(s.read, s.fault_addr, s.fault_size, s.fault_write);
  goto trap;
trap:
  if (s.status == Status::CallDepthExceeded)
    s.ctx->message = "call depth exceeded: " + std::to_string(s.max_depth) + " nested calls";
  s.pc = static_cast<uint32_t>(ip - slots);
  s.gas = gas;
  s.r0 = reg[0];
  return nullptr;
done:
  s.status = Status::Ok;
  s.pc = static_cast<uint32_t>(ip - slots);
  s.gas = gas;
  s.r0 = reg[0];
  return nullptr;

#undef DISPATCH
#undef NEXT
#undef OP
#undef DST
#undef SRC
#undef IMM32
#undef IMM64
#undef ALU32
#undef ALU64
#undef ALU32_BOTH
#undef ALU64_BOTH
#undef JUMP_IF
#undef JUMP_BOTH
#undef JUMP32_BOTH
#undef FAULT
#undef LOAD
#undef STORE
}

}  // namespace

const void* const* threaded_handlers() {
#if ASSENT_THREADED
  return run_loop<Dispatch::Threaded>(nullptr);
#else
  return nullptr;
#endif
}

void interpret(RunState& state, Dispatch dispatch) {
  if (dispatch == Dispatch::Threaded && ASSENT_THREADED)
    run_loop<Dispatch::Threaded>(&state);
  else
    run_loop<Dispatch::Switch>(&state);
}

}  // namespace assent::vm
