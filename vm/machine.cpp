#include "vm/machine.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "vm/interpreter.hpp"

namespace assent::vm {

std::string_view to_string(Status status) {
  switch (status) {
#define ASSENT_VM_STATUS_NAME(code, value, name) \
  case Status::code:                             \
    return name;
    ASSENT_VM_STATUSES(ASSENT_VM_STATUS_NAME)
#undef ASSENT_VM_STATUS_NAME
  }
  return "unknown";
}

std::string ExecResult::describe() const {
  if (status == Status::Ok) return "ok";
  return std::string(to_string(status)) + " at pc " + std::to_string(pc) + ": " + message;
}

namespace {

std::string hex_address(uint64_t addr) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx_%08llx", static_cast<unsigned long long>(addr >> 32),
                static_cast<unsigned long long>(addr & 0xffffffffu));
  return buf;
}

std::string_view region_name(uint64_t index) {
  switch (index) {
    case 0:
      return "the null region";
    case 1:
      return "read-only data";
    case 2:
      return "the stack";
    case 3:
      return "the heap";
    case 4:
      return "the input";
    default:
      return "no region";
  }
}

}  // namespace

std::string describe_fault(const RegionView* table, uint64_t addr, uint64_t n, bool write) {
  const std::string what = std::string(write ? "write" : "read") + " of " + std::to_string(n) +
                           " bytes at " + hex_address(addr) + ": ";
  const uint64_t index = addr >> kRegionShift;
  if (index == 0 || index >= kRegionCount)
    return what + "not a mapped address (" + std::string(region_name(index)) + ")";
  const RegionView& r = table[index];
  const uint64_t offset = addr & 0xffffffffu;
  if (write && index == static_cast<uint64_t>(RegionId::Rodata))
    return what + "read-only data cannot be written";
  if (offset + n > r.size)
    return what + "past the end of " + std::string(region_name(index)) + " (" +
           std::to_string(r.size) + " bytes)";
  return what + "in the guard gap between stack frames (a frame over- or underflowed)";
}

Machine::Machine(MachineConfig config) : config_(config) {
  config_.max_frames = std::clamp<uint32_t>(config_.max_frames, 1, 1024);
  stack_ = std::make_unique<uint8_t[]>(config_.max_frames * kFrameStride);
  if (config_.initial_heap == 0 || config_.initial_heap > config_.heap_size)
    config_.initial_heap = config_.heap_size;
  heap_ = std::make_unique<uint8_t[]>(config_.heap_size);
  frames_ = std::make_unique<Frame[]>(config_.max_frames);
  dirty_frames_ = config_.max_frames;  // make_unique<T[]> zeroes, but say nothing about it
}

Machine::~Machine() = default;

std::span<const uint8_t> Machine::heap() const {
  return {heap_.get(), dirty_heap_};
}
std::span<const uint8_t> Machine::stack() const {
  return {stack_.get(), config_.max_frames * kFrameStride};
}
std::span<const uint8_t> Machine::input() const {
  return input_;
}

ExecResult Machine::run(const VerifiedProgram& program, uint32_t function,
                        std::span<const uint8_t> input, uint64_t gas_limit, void* host) {
  ExecResult result;
  const auto& functions = program.module().functions;
  if (function >= functions.size()) {
    result.status = Status::BadFunction;
    result.message = "the program has no function #" + std::to_string(function) + " (it has " +
                     std::to_string(functions.size()) + ")";
    return result;
  }
  if (input.size() > 0xffffffffu) {
    result.status = Status::MemoryFault;
    result.message = "input of " + std::to_string(input.size()) + " bytes exceeds 4 GiB";
    return result;
  }

  // All memory starts zeroed: only frames the last run reached can be dirty.
  for (uint32_t f = 0; f < dirty_frames_; ++f)
    std::memset(stack_.get() + f * kFrameStride, 0, kFrameSize);
  std::memset(heap_.get(), 0, std::max<uint64_t>(dirty_heap_, config_.initial_heap));
  input_.assign(input.begin(), input.end());

  RunState s;
  const auto& rodata = program.module().rodata;
  auto* rodata_host = const_cast<uint8_t*>(rodata.data());  // only ever in the read table
  s.read[1] = {rodata_host, rodata.size(), kNoGaps};
  s.read[2] = {stack_.get(), config_.max_frames * kFrameStride, kStackGaps};
  s.read[3] = {heap_.get(), config_.initial_heap, kNoGaps};
  s.read[4] = {input_.data(), input_.size(), kNoGaps};
  std::copy(std::begin(s.read), std::end(s.read), std::begin(s.write));
  s.write[1] = {};  // read-only data is not writable

  SyscallContext ctx(s.read, s.write, host, config_.heap_size);
  s.slots = program.slots().data();
  s.block_costs = program.block_costs().data();
  s.syscalls = program.syscalls().data();
  s.frames = frames_.get();
  s.max_depth = config_.max_frames - 1;
  s.gas = gas_limit;
  s.ctx = &ctx;
  s.entry = functions[function].entry;
  s.r1 = region_base(RegionId::Input);
  s.r2 = input_.size();
  s.r10 = region_base(RegionId::Stack) + kFrameSize;

  interpret(s, program.dispatch());

  dirty_frames_ = s.deepest + 1;
  dirty_heap_ = s.read[static_cast<int>(RegionId::Heap)].size;
  result.status = s.status;
  result.r0 = s.r0;
  result.pc = s.pc;
  result.instructions = gas_limit - s.gas - ctx.syscall_gas;
  result.gas_used = s.status == Status::OutOfGas ? gas_limit : gas_limit - s.gas;
  result.message = std::move(ctx.message);
  if (s.status == Status::Aborted) {
    result.source_line = static_cast<uint32_t>(ctx.abort_position >> 32);
    result.source_column = static_cast<uint32_t>(ctx.abort_position);
  }
  result.return_data = std::move(ctx.return_data);
  return result;
}

}  // namespace assent::vm
