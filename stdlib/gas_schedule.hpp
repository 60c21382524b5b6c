// The gas schedule: the price of everything a contract spends gas on besides instructions
// (1 gas each, docs/vm.md "Gas"), and the per-transaction limits that gas alone does not
// bound. One table: the syscall table (syscall_table.hpp) takes its base costs from here,
// the syscalls and the executor their per-byte prices and limits, and docs/syscalls.md
// ("Prices and limits") lists every row of `kSchedule`, which a test checks.
//
// Two rules set the prices (measured by benchmarks/gas, docs/syscalls.md "Gas"):
//  - time: one gas lasts about as long whatever spends it, about 1 ns on the machine the
//    prices were measured on (plain instructions take 0.6-1.2 ns per gas there), so that a
//    transaction's or a view's gas bounds its CPU time: 10,000,000 gas is about 10 ms;
//  - space: bytes that persist cost kStateByteGas each, so that one maximal transaction
//    (kMaxTransactionGas) adds at most kMaxStateBytesPerTransaction to the store, LMDB's
//    pages and the state tree's nodes included. Writes are priced by this rule, which makes
//    them dearer than their time.
#pragma once

#include <cstdint>
#include <string_view>

namespace assent::stdlib::gas {

// The largest gas one transaction may ask for (the chain's limit, ChainConfig); the space
// rule is stated against it. A chain that raises it should raise kStateByteGas with it.
inline constexpr uint64_t kMaxTransactionGas = 10'000'000;
// What one maximal transaction may add to the store.
inline constexpr uint64_t kMaxStateBytesPerTransaction = uint64_t{4} << 20;
// The most bytes LMDB may take for one byte written: a B-tree page is at least half full
// after a split, and a value too big for a page (over 2,040 bytes) is rounded up to whole
// 4 KiB pages, which at worst (2,041 or 4,081 bytes) is also about twice its size.
inline constexpr uint64_t kStorageAmplification = 2;
// Gas per byte that persists: ceil(2 x 10,000,000 / 4 MiB) = 5.
inline constexpr uint64_t kStateByteGas =
    (kStorageAmplification * kMaxTransactionGas + kMaxStateBytesPerTransaction - 1) /
    kMaxStateBytesPerTransaction;
static_assert(kStateByteGas == 5);
// Bytes a written key costs beyond its own key and value: its contract's 32-byte prefix and
// LMDB's node header, and the state tree's path to it, rewritten at each block that changes
// it (a leaf and about 10 internal nodes of 83 bytes with 42-byte keys, plus the records
// that let them be pruned; benchmarks/gas measures about 1,100 bytes per new key).
inline constexpr uint64_t kStateEntryBytes = 1'200;
// Bytes an event costs beyond its data: its record (81 bytes and its name), its entry in the
// receipt, and up to 5 index entries (by contract, by name, by up to 3 indexed identities).
inline constexpr uint64_t kEventRecordBytes = 600;

// ---- base costs of the syscalls (charged before the syscall runs)
inline constexpr uint64_t kStorageRead = 200;  // get, has, next: ~200 ns
inline constexpr uint64_t kStorageWrite = kStateByteGas * kStateEntryBytes;  // set, remove
inline constexpr uint64_t kEventEmit = kStateByteGas * kEventRecordBytes;
inline constexpr uint64_t kContext = 5;             // ctx.*: a copy of 8 or 32 bytes
inline constexpr uint64_t kSha256 = 300;            // OpenSSL's EVP setup dominates short inputs
inline constexpr uint64_t kEd25519Verify = 80'000;  // one verification: 60-90 us
inline constexpr uint64_t kU256AddSub = 200;        // Boost.Multiprecision, in and out of bytes
inline constexpr uint64_t kU256Mul = 300;
inline constexpr uint64_t kU256DivMod = 250;
inline constexpr uint64_t kU256Cmp = 120;
inline constexpr uint64_t kCallView = 500;      // a frame and its machine; the callee pays its own
inline constexpr uint64_t kCallAction = 1'000;  // and a nested LMDB transaction
inline constexpr uint64_t kCallResult = 10;

// ---- per-byte prices (the VM's default, for bytes only read or copied, is 1 per 32-byte word)
// Key and value bytes storage.set writes, and the code bytes a deploy stores: kStateByteGas.
// Event data is kept twice: in the event log and in the transaction's receipt.
inline constexpr uint64_t kEventBytePrice = 2 * kStateByteGas;
// Hashing: SHA-256 (and Ed25519's SHA-512 of the message) takes about 0.5 ns per byte.
inline constexpr uint64_t kHashWordPrice = 16;

// ---- per-transaction limits (the executor counts a transaction's events, nested calls'
// included). A consent transaction emits a few events of at most a few hundred bytes; a
// batch of 1,024 (a registrar recording a clinic's consents at once, a revocation of every
// grant of a patient) still fits, while no transaction can flood the audit trail: 200,000
// events naming one patient once took 1.4 s to accept and every node keeps them forever.
inline constexpr uint64_t kMaxEventsPerTransaction = 1'024;
// Their data in all (each event is at most 16 KiB): it bounds a receipt, which the API
// returns whole, to about 256 KiB of event data.
inline constexpr uint64_t kMaxEventBytesPerTransaction = uint64_t{256} << 10;

// Gas for storing `bytes` that persist (a deployed module, with its code id and address).
constexpr uint64_t state_gas(uint64_t bytes) {
  return kStateByteGas * bytes;
}

// Every row above, by the name docs/syscalls.md gives it.
struct Row {
  std::string_view name;
  uint64_t value;
};
inline constexpr Row kSchedule[] = {
    {"max_transaction_gas", kMaxTransactionGas},
    {"max_state_bytes_per_transaction", kMaxStateBytesPerTransaction},
    {"storage_amplification", kStorageAmplification},
    {"state_byte_gas", kStateByteGas},
    {"state_entry_bytes", kStateEntryBytes},
    {"event_record_bytes", kEventRecordBytes},
    {"event_byte_price", kEventBytePrice},
    {"hash_word_price", kHashWordPrice},
    {"max_events_per_transaction", kMaxEventsPerTransaction},
    {"max_event_bytes_per_transaction", kMaxEventBytesPerTransaction},
};

}  // namespace assent::stdlib::gas
