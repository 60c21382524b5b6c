// The one list of every instruction the Assent VM accepts (RFC 9669, conformance group v4
// without atomics). The decoder, the verifier's field checks, the interpreter's dispatch,
// the assembler and the disassembler are all expanded from it; nothing else names opcodes.
//
// Encoding of one instruction (8 bytes, little-endian; lddw takes two slots):
//
//   63       32 31      16 15  12 11   8 7        0
//  +-----------+----------+------+------+----------+
//  |    imm    |  offset  | src  | dst  |  opcode  |
//  +-----------+----------+------+------+----------+
//
// Columns:
//   Id        name of the operation inside the VM (an enumerator of `Op`)
//   opcode    the opcode byte
//   mnemonic  assembler / disassembler spelling
//   Format    operand shape; fixes which fields are used and how (see `Format` in isa.hpp)
//   selector  for opcodes shared by several operations, the value of the selecting field:
//             offset for ALU (0 = unsigned div/mod and plain mov, 1 = signed div/mod,
//             8/16/32 = movsx width), imm for byte swaps (16/32/64), src for calls (0/1)
//
// Every operation costs 1 gas; see docs/vm.md "Gas".
//
// clang-format off
#define ASSENT_VM_INSTRUCTIONS(X)                                                              \
  /* ALU: 32-bit, result zero-extended to 64 bits */                                           \
  X(Add32Imm,    0x04, "add32",    AluImm,    0)  /* dst = (u32)(dst + imm)              */    \
  X(Add32Reg,    0x0c, "add32",    AluReg,    0)  /* dst = (u32)(dst + src)              */    \
  X(Sub32Imm,    0x14, "sub32",    AluImm,    0)                                               \
  X(Sub32Reg,    0x1c, "sub32",    AluReg,    0)                                               \
  X(Mul32Imm,    0x24, "mul32",    AluImm,    0)                                               \
  X(Mul32Reg,    0x2c, "mul32",    AluReg,    0)                                               \
  X(Div32Imm,    0x34, "div32",    AluImm,    0)  /* unsigned; x / 0 = 0                  */   \
  X(Div32Reg,    0x3c, "div32",    AluReg,    0)                                               \
  X(Sdiv32Imm,   0x34, "sdiv32",   AluImm,    1)  /* signed; x / 0 = 0, MIN / -1 = MIN    */   \
  X(Sdiv32Reg,   0x3c, "sdiv32",   AluReg,    1)                                               \
  X(Or32Imm,     0x44, "or32",     AluImm,    0)                                               \
  X(Or32Reg,     0x4c, "or32",     AluReg,    0)                                               \
  X(And32Imm,    0x54, "and32",    AluImm,    0)                                               \
  X(And32Reg,    0x5c, "and32",    AluReg,    0)                                               \
  X(Lsh32Imm,    0x64, "lsh32",    AluImm,    0)  /* shift count masked to 5 bits         */   \
  X(Lsh32Reg,    0x6c, "lsh32",    AluReg,    0)                                               \
  X(Rsh32Imm,    0x74, "rsh32",    AluImm,    0)                                               \
  X(Rsh32Reg,    0x7c, "rsh32",    AluReg,    0)                                               \
  X(Neg32,       0x84, "neg32",    Unary,     0)                                               \
  X(Mod32Imm,    0x94, "mod32",    AluImm,    0)  /* unsigned; x % 0 = x                  */   \
  X(Mod32Reg,    0x9c, "mod32",    AluReg,    0)                                               \
  X(Smod32Imm,   0x94, "smod32",   AluImm,    1)  /* signed, sign of dividend; MIN % -1 = 0 */ \
  X(Smod32Reg,   0x9c, "smod32",   AluReg,    1)                                               \
  X(Xor32Imm,    0xa4, "xor32",    AluImm,    0)                                               \
  X(Xor32Reg,    0xac, "xor32",    AluReg,    0)                                               \
  X(Mov32Imm,    0xb4, "mov32",    AluImm,    0)                                               \
  X(Mov32Reg,    0xbc, "mov32",    AluReg,    0)                                               \
  X(Movsx832,    0xbc, "movsx832", AluReg,    8)  /* dst = (u32)(s8)src                   */   \
  X(Movsx1632,   0xbc, "movsx1632",AluReg,   16)  /* dst = (u32)(s16)src                  */   \
  X(Arsh32Imm,   0xc4, "arsh32",   AluImm,    0)                                               \
  X(Arsh32Reg,   0xcc, "arsh32",   AluReg,    0)                                               \
  X(Le16,        0xd4, "le16",     Endian,   16)  /* to little-endian: truncates here     */   \
  X(Le32,        0xd4, "le32",     Endian,   32)                                               \
  X(Le64,        0xd4, "le64",     Endian,   64)                                               \
  X(Be16,        0xdc, "be16",     Endian,   16)  /* to big-endian: swaps bytes here      */   \
  X(Be32,        0xdc, "be32",     Endian,   32)                                               \
  X(Be64,        0xdc, "be64",     Endian,   64)                                               \
  /* ALU64: imm is sign-extended to 64 bits */                                                 \
  X(Add64Imm,    0x07, "add64",    AluImm,    0)                                               \
  X(Add64Reg,    0x0f, "add64",    AluReg,    0)                                               \
  X(Sub64Imm,    0x17, "sub64",    AluImm,    0)                                               \
  X(Sub64Reg,    0x1f, "sub64",    AluReg,    0)                                               \
  X(Mul64Imm,    0x27, "mul64",    AluImm,    0)                                               \
  X(Mul64Reg,    0x2f, "mul64",    AluReg,    0)                                               \
  X(Div64Imm,    0x37, "div64",    AluImm,    0)                                               \
  X(Div64Reg,    0x3f, "div64",    AluReg,    0)                                               \
  X(Sdiv64Imm,   0x37, "sdiv64",   AluImm,    1)                                               \
  X(Sdiv64Reg,   0x3f, "sdiv64",   AluReg,    1)                                               \
  X(Or64Imm,     0x47, "or64",     AluImm,    0)                                               \
  X(Or64Reg,     0x4f, "or64",     AluReg,    0)                                               \
  X(And64Imm,    0x57, "and64",    AluImm,    0)                                               \
  X(And64Reg,    0x5f, "and64",    AluReg,    0)                                               \
  X(Lsh64Imm,    0x67, "lsh64",    AluImm,    0)  /* shift count masked to 6 bits         */   \
  X(Lsh64Reg,    0x6f, "lsh64",    AluReg,    0)                                               \
  X(Rsh64Imm,    0x77, "rsh64",    AluImm,    0)                                               \
  X(Rsh64Reg,    0x7f, "rsh64",    AluReg,    0)                                               \
  X(Neg64,       0x87, "neg64",    Unary,     0)                                               \
  X(Mod64Imm,    0x97, "mod64",    AluImm,    0)                                               \
  X(Mod64Reg,    0x9f, "mod64",    AluReg,    0)                                               \
  X(Smod64Imm,   0x97, "smod64",   AluImm,    1)                                               \
  X(Smod64Reg,   0x9f, "smod64",   AluReg,    1)                                               \
  X(Xor64Imm,    0xa7, "xor64",    AluImm,    0)                                               \
  X(Xor64Reg,    0xaf, "xor64",    AluReg,    0)                                               \
  X(Mov64Imm,    0xb7, "mov64",    AluImm,    0)                                               \
  X(Mov64Reg,    0xbf, "mov64",    AluReg,    0)                                               \
  X(Movsx864,    0xbf, "movsx864", AluReg,    8)  /* dst = (s8)src                        */   \
  X(Movsx1664,   0xbf, "movsx1664",AluReg,   16)                                               \
  X(Movsx3264,   0xbf, "movsx3264",AluReg,   32)                                               \
  X(Arsh64Imm,   0xc7, "arsh64",   AluImm,    0)                                               \
  X(Arsh64Reg,   0xcf, "arsh64",   AluReg,    0)                                               \
  X(Bswap16,     0xd7, "bswap16",  Endian,   16)  /* unconditional byte swap             */   \
  X(Bswap32,     0xd7, "bswap32",  Endian,   32)                                               \
  X(Bswap64,     0xd7, "bswap64",  Endian,   64)                                               \
  /* memory: address = reg + offset, checked at run time */                                    \
  X(Ldxw,        0x61, "ldxw",     Load,      0)  /* dst = *(u32*)(src + off)             */   \
  X(Ldxh,        0x69, "ldxh",     Load,      0)                                               \
  X(Ldxb,        0x71, "ldxb",     Load,      0)                                               \
  X(Ldxdw,       0x79, "ldxdw",    Load,      0)                                               \
  X(Ldxsw,       0x81, "ldxsw",    Load,      0)  /* dst = *(s32*)(src + off)             */   \
  X(Ldxsh,       0x89, "ldxsh",    Load,      0)                                               \
  X(Ldxsb,       0x91, "ldxsb",    Load,      0)                                               \
  X(Stw,         0x62, "stw",      StoreImm,  0)  /* *(u32*)(dst + off) = imm             */   \
  X(Sth,         0x6a, "sth",      StoreImm,  0)                                               \
  X(Stb,         0x72, "stb",      StoreImm,  0)                                               \
  X(Stdw,        0x7a, "stdw",     StoreImm,  0)  /* *(u64*)(dst + off) = (s64)imm        */   \
  X(Stxw,        0x63, "stxw",     StoreReg,  0)  /* *(u32*)(dst + off) = src             */   \
  X(Stxh,        0x6b, "stxh",     StoreReg,  0)                                               \
  X(Stxb,        0x73, "stxb",     StoreReg,  0)                                               \
  X(Stxdw,       0x7b, "stxdw",    StoreReg,  0)                                               \
  X(Lddw,        0x18, "lddw",     LoadImm64, 0)  /* dst = imm64 (two slots)              */   \
  /* JMP: 64-bit compares; imm is sign-extended */                                            \
  X(Ja,          0x05, "ja",       Jump,      0)  /* pc += off                            */   \
  X(JeqImm,      0x15, "jeq",      JumpImm,   0)  /* if dst == imm: pc += off             */   \
  X(JeqReg,      0x1d, "jeq",      JumpReg,   0)                                               \
  X(JgtImm,      0x25, "jgt",      JumpImm,   0)                                               \
  X(JgtReg,      0x2d, "jgt",      JumpReg,   0)                                               \
  X(JgeImm,      0x35, "jge",      JumpImm,   0)                                               \
  X(JgeReg,      0x3d, "jge",      JumpReg,   0)                                               \
  X(JsetImm,     0x45, "jset",     JumpImm,   0)  /* if dst & imm                         */   \
  X(JsetReg,     0x4d, "jset",     JumpReg,   0)                                               \
  X(JneImm,      0x55, "jne",      JumpImm,   0)                                               \
  X(JneReg,      0x5d, "jne",      JumpReg,   0)                                               \
  X(JsgtImm,     0x65, "jsgt",     JumpImm,   0)                                               \
  X(JsgtReg,     0x6d, "jsgt",     JumpReg,   0)                                               \
  X(JsgeImm,     0x75, "jsge",     JumpImm,   0)                                               \
  X(JsgeReg,     0x7d, "jsge",     JumpReg,   0)                                               \
  X(CallHelper,  0x85, "syscall",  CallHelper,0)  /* r0 = imports[imm](r1..r5)           */   \
  X(CallLocal,   0x85, "call",     CallLocal, 1)  /* call pc + imm + 1; saves r6-r9, r10  */   \
  X(Exit,        0x95, "exit",     Exit,      0)  /* return r0 to caller, or end the run  */   \
  X(JltImm,      0xa5, "jlt",      JumpImm,   0)                                               \
  X(JltReg,      0xad, "jlt",      JumpReg,   0)                                               \
  X(JleImm,      0xb5, "jle",      JumpImm,   0)                                               \
  X(JleReg,      0xbd, "jle",      JumpReg,   0)                                               \
  X(JsltImm,     0xc5, "jslt",     JumpImm,   0)                                               \
  X(JsltReg,     0xcd, "jslt",     JumpReg,   0)                                               \
  X(JsleImm,     0xd5, "jsle",     JumpImm,   0)                                               \
  X(JsleReg,     0xdd, "jsle",     JumpReg,   0)                                               \
  /* JMP32: compares the low 32 bits */                                                        \
  X(Gotol,       0x06, "gotol",    JumpLong,  0)  /* pc += imm                            */   \
  X(Jeq32Imm,    0x16, "jeq32",    JumpImm,   0)                                               \
  X(Jeq32Reg,    0x1e, "jeq32",    JumpReg,   0)                                               \
  X(Jgt32Imm,    0x26, "jgt32",    JumpImm,   0)                                               \
  X(Jgt32Reg,    0x2e, "jgt32",    JumpReg,   0)                                               \
  X(Jge32Imm,    0x36, "jge32",    JumpImm,   0)                                               \
  X(Jge32Reg,    0x3e, "jge32",    JumpReg,   0)                                               \
  X(Jset32Imm,   0x46, "jset32",   JumpImm,   0)                                               \
  X(Jset32Reg,   0x4e, "jset32",   JumpReg,   0)                                               \
  X(Jne32Imm,    0x56, "jne32",    JumpImm,   0)                                               \
  X(Jne32Reg,    0x5e, "jne32",    JumpReg,   0)                                               \
  X(Jsgt32Imm,   0x66, "jsgt32",   JumpImm,   0)                                               \
  X(Jsgt32Reg,   0x6e, "jsgt32",   JumpReg,   0)                                               \
  X(Jsge32Imm,   0x76, "jsge32",   JumpImm,   0)                                               \
  X(Jsge32Reg,   0x7e, "jsge32",   JumpReg,   0)                                               \
  X(Jlt32Imm,    0xa6, "jlt32",    JumpImm,   0)                                               \
  X(Jlt32Reg,    0xae, "jlt32",    JumpReg,   0)                                               \
  X(Jle32Imm,    0xb6, "jle32",    JumpImm,   0)                                               \
  X(Jle32Reg,    0xbe, "jle32",    JumpReg,   0)                                               \
  X(Jslt32Imm,   0xc6, "jslt32",   JumpImm,   0)                                               \
  X(Jslt32Reg,   0xce, "jslt32",   JumpReg,   0)                                               \
  X(Jsle32Imm,   0xd6, "jsle32",   JumpImm,   0)                                               \
  X(Jsle32Reg,   0xde, "jsle32",   JumpReg,   0)
// clang-format on

// Frame forms: not instructions of their own, but faster ways to run loads and stores whose
// base is r10 at an offset inside the current frame. r10 is read-only and always points to
// the top of the current frame, so such an access can never fault: the verifier picks the
// frame form, and its handler skips translation and bounds checks. Columns: Id, the
// operation it stands for.
// clang-format off
#define ASSENT_VM_FRAME_FORMS(X) \
  X(LdxwFrame,  Ldxw)            \
  X(LdxhFrame,  Ldxh)            \
  X(LdxbFrame,  Ldxb)            \
  X(LdxdwFrame, Ldxdw)           \
  X(LdxswFrame, Ldxsw)           \
  X(LdxshFrame, Ldxsh)           \
  X(LdxsbFrame, Ldxsb)           \
  X(StwFrame,   Stw)             \
  X(SthFrame,   Sth)             \
  X(StbFrame,   Stb)             \
  X(StdwFrame,  Stdw)            \
  X(StxwFrame,  Stxw)            \
  X(StxhFrame,  Stxh)            \
  X(StxbFrame,  Stxb)            \
  X(StxdwFrame, Stxdw)
// clang-format on
