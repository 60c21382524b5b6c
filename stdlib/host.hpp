// What the host functions (syscalls) need from the embedder: the executor implements Host
// for each contract call, over its LMDB transaction. The syscalls themselves (this folder)
// translate guest memory, charge gas and call these; they know nothing of LMDB.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/result.hpp"
#include "vm/status.hpp"

namespace assent::stdlib {

using Identity = std::array<uint8_t, 32>;
using Bytes = std::vector<uint8_t>;

inline constexpr std::size_t kMaxKeyBytes = 256;
inline constexpr std::size_t kMaxValueBytes = 64 * 1024;
inline constexpr std::size_t kMaxEventBytes = 16 * 1024;

struct CallOutcome {
  vm::Status status = vm::Status::Ok;
  uint64_t gas_used = 0;
  Bytes return_data;
  std::string message;
};

// What `assent test` adds for test files (the `test.*` syscalls): effects on the whole test
// run, not just the calling frame. Each returns an error message, or nullopt.
class TestHost {
 public:
  virtual ~TestHost() = default;
  // The caller that later contract calls and deploys of the test see.
  virtual void set_caller(const Identity& who) = 0;
  virtual void advance_time(uint64_t seconds) = 0;
  virtual void advance_blocks(uint64_t blocks) = 0;
  // Where the test is (line << 32 | column), for the messages of its failures.
  virtual void at(uint64_t position) = 0;
  // The next contract call (or deploy) must fail with a message containing `message`.
  virtual void expect_revert(std::string message) = 0;
  // The last contract call (or deploy) must have emitted an event named `name`.
  virtual std::optional<std::string> expect_event(std::string_view name) = 0;
  // Deploys the contract of the test's `module` (a contract file's name), running its init
  // with `init_args`, with at most `gas`; the address comes back in `address`.
  virtual CallOutcome deploy(std::string_view module, std::span<const uint8_t> init_args,
                             uint64_t gas, Identity& address) = 0;
};

class Host {
 public:
  virtual ~Host() = default;

  // The test hooks, under `assent test` only.
  virtual TestHost* test() { return nullptr; }

  // Storage of the running contract: keys are the contract's own, without its prefix. A read
  // fails (with a message) only when the embedder's store does, never for an absent key: the
  // syscall then traps, and the embedder fails what the call was part of.
  virtual Result<std::optional<Bytes>, std::string> get(std::span<const uint8_t> key) = 0;
  virtual Result<bool, std::string> has(std::span<const uint8_t> key) = 0;
  // The first key greater than `after` that starts with `prefix`, if any.
  virtual Result<std::optional<Bytes>, std::string> next_key(std::span<const uint8_t> prefix,
                                                             std::span<const uint8_t> after) = 0;
  // Writes fail with a message when the call may not write (a view); nullopt on success.
  [[nodiscard]] virtual std::optional<std::string> set(std::span<const uint8_t> key,
                                                       std::span<const uint8_t> value) = 0;
  [[nodiscard]] virtual std::optional<std::string> remove(std::span<const uint8_t> key,
                                                          bool& existed) = 0;
  [[nodiscard]] virtual std::optional<std::string> emit(uint32_t event_index,
                                                        std::span<const uint8_t> data) = 0;

  // Context of the call.
  virtual const Identity& caller() const = 0;
  virtual const Identity& self() const = 0;
  virtual uint64_t now() const = 0;  // block time, seconds since 1970
  virtual uint64_t block_height() const = 0;
  virtual const Identity& tx_hash() const = 0;

  // Runs `method` of `contract` with `gas` (read-only when `view`); the callee's return
  // data and status come back. Depth and re-entrancy are the host's to refuse.
  virtual CallOutcome call(const Identity& contract, std::string_view method,
                           std::span<const uint8_t> args, bool view, uint64_t gas) = 0;
};

}  // namespace assent::stdlib
