#include "node/chain/verify.hpp"

#include <chrono>

#include "node/store/state_keys.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

using Clock = std::chrono::steady_clock;
using store::StateTag;
using store::View;

// Every leaf of the state tree, from the records (docs/storage.md, "State root").
Result<std::vector<std::pair<Hash, Hash>>, std::string> state_leaves(const store::Store& store,
                                                                     const store::Txn& txn) {
  std::vector<std::pair<Hash, Hash>> leaves;
  auto add = [&](StateTag tag, View key, View value) {
    leaves.emplace_back(store::leaf_key(tag, key), stdlib::sha256(value));
  };
  const auto& db = store.db();
  for (StateTag tag : {StateTag::State, StateTag::Contract, StateTag::Consortium})
    if (auto e = txn.scan(store::database_of(tag, db), {}, [&, tag](View k, View v) {
          add(tag, k, v);
          return true;
        }))
      return fail(e->message);
  const View prefix(reinterpret_cast<const uint8_t*>(kNoncePrefix.data()), kNoncePrefix.size());
  if (auto e = txn.scan(store::database_of(StateTag::Meta, db), prefix, [&](View k, View v) {
        if (k.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), k.begin()))
          return false;
        add(StateTag::Meta, k, v);
        return true;
      }))
    return fail(e->message);
  return leaves;
}

}  // namespace

Result<RecomputedState, std::string> recompute_state_root(const store::Store& store,
                                                          const store::Txn& txn) {
  auto leaves = state_leaves(store, txn);
  if (!leaves.ok()) return fail(leaves.error());
  RecomputedState out;
  out.records = leaves->size();
  out.root = store::root_of(std::move(leaves).value());
  return out;
}

namespace {

std::string at_height(uint64_t h) {
  return "block " + std::to_string(h);
}

// The first problem of block `h` (whose parent is `parent`), if any; an error when the
// store cannot be read.
using Problem = std::optional<std::string>;
Result<Problem, std::string> check_block(Chain& chain, const store::Txn& txn, uint64_t h,
                                         const Head& parent, Head& out) {
  const auto& db = chain.store().db();
  auto raw = txn.get(db.blocks, store::be64(h));
  if (!raw.ok()) return fail(raw.error().message);
  if (!*raw) return Problem(at_height(h) + " is missing (the head is higher)");
  auto block = Block::decode(**raw);
  if (!block.ok()) return Problem(at_height(h) + " does not decode: " + block.error());
  const BlockHeader& header = block->header;
  const Hash hash = header.hash();
  if (header.height != h) return Problem(at_height(h) + " says it is " + at_height(header.height));
  if (header.previous != parent.hash)
    return Problem(at_height(h) + "'s previous hash is not block " + std::to_string(h - 1) + "'s");
  if (header.time < parent.time)
    return Problem(at_height(h) + "'s time is earlier than its parent's");
  if (!verify_signature(header.proposer, hash, header.signature))
    return Problem(at_height(h) + "'s proposer signature is invalid");
  if (!chain.may_propose(header.proposer))
    return Problem(at_height(h) + "'s proposer " + to_hex(header.proposer) +
                   " is not one of the chain's proposers");
  auto indexed = txn.get(db.block_index, hash);
  if (!indexed.ok()) return fail(indexed.error().message);
  if (!*indexed || (*indexed)->size() != 8 || store::read_be64(**indexed) != h)
    return Problem(at_height(h) + " is not in the index of block hashes");
  if (header.tx_count != block->txs.size())
    return Problem(at_height(h) + " counts " + std::to_string(header.tx_count) +
                   " transactions, has " + std::to_string(block->txs.size()));
  std::vector<Hash> hashes;
  for (std::size_t i = 0; i < block->txs.size(); ++i) {
    const Transaction& tx = block->txs[i];
    const Hash tx_hash = tx.hash();
    const std::string where =
        at_height(h) + ", transaction " + std::to_string(i) + " (" + to_hex(tx_hash) + ")";
    if (tx.chain_id != chain.config().chain_id)
      return Problem(where + " is for chain `" + tx.chain_id + "`, not `" +
                     chain.config().chain_id + "` (give the chain's --chain-id)");
    if (!tx.signature_valid()) return Problem(where + " is not validly signed");
    auto receipt = chain.receipt(txn, tx_hash);
    // The store failing says nothing of the chain; a receipt that does not decode is damage.
    if (!receipt.ok() && receipt.error().code == ReadError::Store)
      return fail(where + "'s receipt: " + receipt.error().message);
    if (!receipt.ok()) return Problem(where + "'s receipt: " + receipt.error().message);
    if (!*receipt || (*receipt)->height != h || (*receipt)->index != i)
      return Problem(where + " has no receipt at that position");
    hashes.push_back(tx_hash);
  }
  if (tx_merkle_root(hashes) != header.tx_root)
    return Problem(at_height(h) + "'s transactions root does not match its transactions");
  out = {h, hash, header.state_root, header.time};
  return Problem();
}

// The state check on `txn`'s snapshot, added to `check`; an error when the store fails.
Result<StoreCheck, std::string> check_state_in(Chain& chain, const store::Txn& txn,
                                               StoreCheck check) {
  auto stored_height = store::meta_u64(txn, chain.store().db(), "head");
  if (!stored_height.ok()) return fail(stored_height.error().message);
  const uint64_t height = stored_height->value_or(0);
  check.height = height;
  if (height > 0) {
    auto block = chain.block(txn, height);
    if (!block.ok() && block.error().code == ReadError::Store) return fail(block.error().message);
    if (!block.ok() || !*block) {
      check.problem = at_height(height) + " (the head) is missing or does not decode";
      if (!block.ok()) *check.problem += ": " + block.error().message;
      return check;
    }
  }
  auto read_head = chain.head(txn);
  if (!read_head.ok()) return fail(read_head.error().message);
  const Head& head = *read_head;
  auto state = recompute_state_root(chain.store(), txn);
  if (!state.ok()) return fail(state.error());
  check.records = state->records;
  check.state_root = state->root;
  auto stored_root = chain.store().tree().root(txn, head.height);
  if (!stored_root.ok()) return fail(stored_root.error().message);
  const Hash stored = stored_root->hash;
  if (check.state_root != head.state_root)
    check.problem = "the state recomputed from its " + std::to_string(check.records) +
                    " records has root " + to_hex(check.state_root) + ", but " +
                    (head.height == 0 ? std::string("an empty chain's")
                                      : at_height(head.height) + " (the head) says") +
                    " " + to_hex(head.state_root);
  else if (stored != check.state_root)
    check.problem = "the stored state tree's root at height " + std::to_string(head.height) + ", " +
                    to_hex(stored) + ", is not the state's " + to_hex(check.state_root);
  return check;
}

// Both checks on one snapshot; `blocks` also walks the chain first.
Result<StoreCheck, std::string> check(Chain& chain, bool blocks) {
  const auto start = Clock::now();
  auto txn = chain.store().begin_read();
  if (!txn.ok()) return fail(txn.error().message);
  StoreCheck out;
  // The height the head names; check_state_in says what is wrong with its block, if anything.
  auto stored_height = store::meta_u64(*txn, chain.store().db(), "head");
  if (!stored_height.ok()) return fail(stored_height.error().message);
  const uint64_t height = stored_height->value_or(0);
  Head parent;
  for (uint64_t h = 1; blocks && h <= height && !out.problem; ++h) {
    Head next;
    auto problem = check_block(chain, *txn, h, parent, next);
    if (!problem.ok()) return fail(problem.error());
    out.problem = *problem;
    if (!out.problem) ++out.blocks;
    parent = next;
  }
  if (!out.problem) {
    auto checked = check_state_in(chain, *txn, std::move(out));
    if (!checked.ok()) return fail(checked.error());
    out = std::move(checked).value();
  }
  out.height = height;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return out;
}

}  // namespace

Result<StoreCheck, std::string> check_state(Chain& chain) {
  return check(chain, false);
}

Result<StoreCheck, std::string> check_store(Chain& chain) {
  return check(chain, true);
}

}  // namespace assent::node
