// The chain's errors, each an enum with its table: why a transaction was refused before it
// was queued (TxError), why a record could not be read (ReadError), why another node's block
// was not applied (ApplyError).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vm/result.hpp"

namespace assent::node {

// Why a transaction was refused before it was queued: the code, its API name, its HTTP
// status and what it means, one row each. The API's error table (node/api/api_errors.hpp)
// joins these rows to its own, and docs/api.md lists them all (a test checks it). The 503s
// change nothing on the node and may succeed if sent again shortly; so may a 429.
#define ASSENT_TX_ERRORS(X)                                                                       \
  X(TooLarge, "too_large", 413, "the transaction, or the request's body, exceeds its size limit") \
  X(Malformed, "malformed", 400, "the transaction does not decode")                               \
  X(BadModule, "bad_module", 400, "a deploy's code is not a module that verifies")                \
  X(UnknownContract, "unknown_contract", 404, "no contract is deployed at the address")           \
  X(UnknownMethod, "unknown_method", 404, "the contract has no such action (or view)")            \
  X(BadArgs, "bad_args", 400, "the arguments do not match the method's parameters")               \
  X(WrongChain, "wrong_chain", 400, "the transaction names another chain id")                     \
  X(BadSignature, "bad_signature", 400, "the signature does not verify with the sender's key")    \
  X(NonceUsed, "nonce_used", 409, "the sender's nonce is used, or queued by another transaction") \
  X(NonceTooFar, "nonce_too_far", 400, "the nonce is too far ahead of the sender's next")         \
  X(Duplicate, "duplicate", 409, "the transaction is already queued")                             \
  X(NotPermitted, "not_permitted", 403,                                                           \
    "the chain's consortium does not let the sender deploy, or govern")                            \
  X(BadGovernance, "bad_governance", 400,                                                         \
    "a governance change that cannot apply (an unknown operation, member or name)")               \
  X(GasTooLow, "gas_too_low", 400, "the gas limit is below the transaction's base gas")           \
  X(GasTooHigh, "gas_too_high", 400, "the gas limit exceeds the most a transaction may use")      \
  X(QueueFull, "queue_full", 503, "the queue holds as many transactions, or bytes, as it may")    \
  X(TooManyGapped, "too_many_gapped", 429,                                                        \
    "the sender has as many transactions waiting for an earlier nonce as it may")                 \
  X(DiskLow, "disk_low", 507, "the node's disk is almost full: it takes no transaction")          \
  X(Store, "store", 503, "the node cannot read its store: nothing is known of the request")       \
  X(Diverged, "diverged", 503,                                                                    \
    "this node stopped executing blocks (a divergence): it answers nothing about state")          \
  X(NotProposer, "not_proposer", 503,                                                             \
    "a transaction forwarded to this node, which is not the proposer (any more)")                 \
  X(NoProposer, "no_proposer", 503, "no proposer is known right now (one is being chosen)")       \
  X(ProposerUnreachable, "proposer_unreachable", 503,                                             \
    "the proposer does not answer the transaction forwarded to it")                               \
  /* The proposer answered a code that is none of these: the API answers it as its own when */    \
  /* it is one of the API's, else as this (peer_refused), its code in the message. */             \
  X(FromPeer, "peer_refused", 502,                                                                \
    "the proposer refused the transaction with a code this node does not know")

enum class TxError {
#define ASSENT_TX_ERROR_CODE(code, name, status, meaning) code,
  ASSENT_TX_ERRORS(ASSENT_TX_ERROR_CODE)
#undef ASSENT_TX_ERROR_CODE
};

// One row of the table above.
struct TxErrorInfo {
  TxError code;
  const char* name;
  int status;
  const char* meaning;
};

inline constexpr TxErrorInfo kTxErrors[] = {
#define ASSENT_TX_ERROR_ROW(code, name, status, meaning) {TxError::code, name, status, meaning},
    ASSENT_TX_ERRORS(ASSENT_TX_ERROR_ROW)
#undef ASSENT_TX_ERROR_ROW
};

// The row of `code` (the table is generated in the enum's order, and checked to be).
const TxErrorInfo& tx_error_info(TxError code);

// The error whose name is `name`, if any (for answers forwarded from another node): a search
// of the table, whatever the order of its rows.
std::optional<TxError> tx_error_named(std::string_view name);

struct TxRejection {
  TxError code;
  std::string message;
  // FromPeer: the code the proposer answered, as it sent it (the API answers it as its own
  // when it is one of the API's codes: node/api/api_errors.hpp).
  std::string peer_code = {};
  int http_status() const { return tx_error_info(code).status; }
  const char* name() const { return tx_error_info(code).name; }
};

// Why a record of the chain could not be read. A record that is absent is no failure: the
// reads below answer an empty optional then. The API answers `store` (503) and `corrupt`
// (500) for them (node/api/api_errors.hpp).
enum class ReadError {
  Store,    // the store failed to read (an LMDB error): nothing is known of the record
  Corrupt,  // the record is there but does not decode, or one it names is missing
};
struct ReadFailure {
  ReadError code;
  std::string message;
};
// A record that is there, absent, or could not be read.
template <class T>
using Read = Result<std::optional<T>, ReadFailure>;

// Why a block from another node was not applied (apply_block). Nothing was written.
enum class ApplyError {
  Diverged,  // the block is not valid here: this node, or the block's maker, is wrong
  NotNext,   // the block does not follow this node's head (it is behind, or ahead)
  Store,     // the store failed, which says nothing about the block
};
struct ApplyFailure {
  ApplyError code;
  std::string message;
};

}  // namespace assent::node
