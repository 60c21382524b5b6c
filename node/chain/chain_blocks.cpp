// Making, committing and applying blocks (the chain's write side).
#include <map>

#include "node/chain/chain.hpp"
#include "node/chain/consortium.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

constexpr const char* kRevisionKey = "etcd_revision";

// Runs `txs` on `run` into `out`: the hashes of those included. Leniently (a proposer), a
// transaction whose nonce is not its sender's next, or that does not fit, is left out;
// strictly (a follower), it is a divergence. The store's failure says nothing of the block.
Result<std::vector<Hash>, ApplyFailure> run_transactions(Chain& chain, BlockRun& run,
                                                         const std::vector<Transaction>& txs,
                                                         bool strict, CommittedBlock& out) {
  auto diverged = [](std::string message) {
    return fail(ApplyFailure{ApplyError::Diverged, std::move(message)});
  };
  auto store_failed = [](std::string message) {
    return fail(ApplyFailure{ApplyError::Store, std::move(message)});
  };
  std::vector<Hash> hashes;
  const auto& db = chain.store().db();
  const uint64_t height = out.block.header.height;
  // Each sender's next nonce before the block and as the block goes.
  std::map<Identity, std::pair<uint64_t, uint64_t>> nonces;
  const ChainConfig& config = chain.config();
  const uint64_t block_limit = config.block_gas_limit;
  uint64_t used = 0;      // gas, by the transactions included so far
  std::size_t bytes = 0;  // their bytes in the block (rule B2)
  for (const Transaction& tx : txs) {
    // Rule B1: a transaction is included only if what it declares fits in what the block has
    // left. Leniently (a proposer) one that does not is left out (with the sender's later
    // nonces); strictly (a follower) the block is invalid.
    const uint64_t left = block_limit - std::min(used, block_limit);
    if (tx.gas_limit > config.max_gas || tx.gas_limit > left) {
      if (strict)
        return diverged("transaction " + std::to_string(out.block.txs.size()) + " declares " +
                        std::to_string(tx.gas_limit) + " gas, more than the " +
                        std::to_string(left) + " left of the block's " +
                        std::to_string(block_limit) + " (rule B1)");
      continue;
    }
    // Rule B2 and the base gas, as check_block_limits (a follower checks them before the
    // block runs): a proposer leaves out what does not fit, for the next block.
    const std::size_t size = block_tx_bytes(tx);
    const uint64_t base = base_gas_of(config, tx);
    if (bytes + size > config.block_bytes_limit) {
      if (strict)
        return diverged("transaction " + std::to_string(out.block.txs.size()) + " of " +
                        std::to_string(size) + " bytes does not fit in the " +
                        std::to_string(config.block_bytes_limit - bytes) + " left of the block's " +
                        std::to_string(config.block_bytes_limit) + " (rule B2)");
      continue;
    }
    if (tx.gas_limit < base) {
      if (strict)
        return diverged("transaction " + std::to_string(out.block.txs.size()) + " declares " +
                        std::to_string(tx.gas_limit) + " gas, less than its base gas, " +
                        std::to_string(base));
      continue;
    }
    auto [it, fresh] = nonces.try_emplace(tx.sender);
    if (fresh) {
      auto stored = chain.next_nonce(run.txn(), tx.sender);
      if (!stored.ok()) return store_failed("the store failed: " + stored.error().message);
      it->second.first = it->second.second = *stored;
    }
    uint64_t& next = it->second.second;
    if (tx.nonce != next) {
      if (strict)
        return diverged("transaction " + std::to_string(out.block.txs.size()) + " has nonce " +
                        std::to_string(tx.nonce) + "; its sender's next is " +
                        std::to_string(next));
      continue;  // replayed or out of order: not included
    }
    ++next;
    bytes += size;
    const Hash tx_hash = tx.hash();
    // The base gas is spent first: what runs has the rest, and the receipt counts both.
    const uint64_t gas = tx.gas_limit - base;
    Receipt r = tx.kind == TxKind::Deploy
                    ? run_deploy(run, tx.sender, tx.nonce, tx.code, tx.args, gas, tx_hash)
                : tx.kind == TxKind::Govern
                    ? run_governance(run, tx.sender, tx.method, tx.args, gas)
                    : run.call(tx.sender, tx.contract, tx.method, tx.args, gas, tx_hash);
    // The store failed under the transaction: what it did says nothing about it, and the block
    // stops here (neither written nor, by a follower, counted as diverging).
    if (const auto& failed = run.store_failure())
      return store_failed("transaction " + std::to_string(out.block.txs.size()) + " (" +
                          to_hex(tx_hash) + "): the store failed: " + failed->message);
    r.gas_used = base + std::min(r.gas_used, gas);
    used += r.gas_used;
    StoredReceipt stored{height, static_cast<uint32_t>(out.block.txs.size()), std::move(r)};
    if (auto e = run.txn().put(db.receipts, tx_hash, stored.encode()))
      return store_failed(e->message);
    out.receipts.push_back(std::move(stored));
    out.block.txs.push_back(tx);
    hashes.push_back(tx_hash);
  }
  // Only the nonces the block used: a proposer's left-out transaction changes nothing.
  for (const auto& [sender, before_after] : nonces) {
    const auto [before, next] = before_after;
    if (next == before) continue;
    if (auto e = store::put_meta_u64(run.txn(), db, nonce_key(sender), next))
      return store_failed(e->message);
    run.changed_meta(nonce_key(sender));
  }
  return hashes;
}

// Writes the block, its index entry and the head: the new head's height, or the store's error.
Result<uint64_t, std::string> write_block(Chain& chain, BlockRun& run, const CommittedBlock& b) {
  const auto& db = chain.store().db();
  const BlockHeader& h = b.block.header;
  if (auto e = run.txn().put(db.blocks, store::be64(h.height), b.block.encode()))
    return fail(e->message);
  if (auto e = run.txn().put(db.block_index, b.hash, store::be64(h.height)))
    return fail(e->message);
  if (auto e = store::put_meta_u64(run.txn(), db, "head", h.height)) return fail(e->message);
  return h.height;
}

}  // namespace

Result<uint64_t, store::LmdbError> Chain::applied_revision(const store::Txn& txn) const {
  auto revision = store::meta_u64(txn, store_.db(), kRevisionKey);
  if (!revision.ok()) return fail(revision.error());
  return revision->value_or(0);
}

Result<PreparedBlock, std::string> Chain::prepare_block(const std::vector<Transaction>& txs,
                                                        uint64_t time) {
  Head parent;
  {
    auto read = store_.begin_read();
    if (!read.ok()) return fail(read.error().message);
    auto h = head(*read);
    if (!h.ok()) return fail(h.error().message);
    parent = *h;
  }
  PreparedBlock p;
  BlockHeader& h = p.block.block.header;
  h.height = parent.height + 1;
  h.previous = parent.hash;
  h.time = std::max(time, parent.time);
  h.proposer = proposer_.public_key();
  auto run = exec_.begin_block({h.height, h.time});
  if (!run.ok()) return fail(run.error().message);
  p.run = std::move(run).value();
  auto hashes = run_transactions(*this, *p.run, txs, false, p.block);
  if (!hashes.ok()) return fail(hashes.error().message);
  auto root = p.run->finish();
  if (!root.ok()) return fail(root.error().message);
  h.state_root = *root;
  h.tx_root = tx_merkle_root(*hashes);
  h.tx_count = static_cast<uint32_t>(p.block.block.txs.size());
  p.block.hash = h.hash();
  h.signature = proposer_.sign(p.block.hash);
  if (auto written = write_block(*this, *p.run, p.block); !written.ok())
    return fail(written.error());
  return p;
}

Result<CommittedBlock, std::string> Chain::commit_prepared(PreparedBlock p,
                                                           std::optional<uint64_t> revision) {
  if (revision)
    if (auto e = store::put_meta_u64(p.run->txn(), store_.db(), kRevisionKey, *revision))
      return fail(e->message);
  if (auto e = p.run->commit()) return fail(e->message);
  return std::move(p.block);
}

Result<CommittedBlock, std::string> Chain::commit_block(const std::vector<Transaction>& txs,
                                                        uint64_t time) {
  auto p = prepare_block(txs, time);
  if (!p.ok()) return fail(p.error());
  return commit_prepared(std::move(p).value());
}

Result<CommittedBlock, ApplyFailure> Chain::apply_block(const Block& b, uint64_t revision) {
  auto store_failed = [](std::string message) {
    return fail(ApplyFailure{ApplyError::Store, std::move(message)});
  };
  Head parent;
  {
    auto read = store_.begin_read();
    if (!read.ok()) return store_failed(read.error().message);
    auto h = head(*read);
    if (!h.ok()) return store_failed(h.error().message);
    parent = *h;
  }
  const BlockHeader& h = b.header;
  const Hash hash = h.hash();
  auto refuse = [&](const std::string& why) {
    return fail(
        ApplyFailure{ApplyError::Diverged, "block " + std::to_string(h.height) + ": " + why});
  };
  if (h.height != parent.height + 1)
    return fail(ApplyFailure{ApplyError::NotNext, "block " + std::to_string(h.height) +
                                                      " does not follow the head, " +
                                                      std::to_string(parent.height)});
  if (h.previous != parent.hash) return refuse("its parent is not this node's head");
  if (h.time < parent.time) return refuse("its time is earlier than its parent's");
  if (!verify_signature(h.proposer, hash, h.signature)) return refuse("its signature is invalid");
  if (!may_propose(h.proposer))
    return refuse("its proposer " + to_hex(h.proposer) + " is not one of the chain's proposers");
  CommittedBlock out;
  out.block.header = h;
  out.hash = hash;
  // A transaction that is not its sender's next, or not signed by it, or that declares more gas
  // than a transaction may or than the block has left (rule B1) or less than its base gas, or
  // transactions over the block's bytes (rule B2), diverge; a store that fails says nothing
  // about the block.
  for (const Transaction& tx : b.txs)
    if (tx.chain_id != config_.chain_id || !tx.signature_valid())
      return refuse("transaction " + to_hex(tx.hash()) + " is not validly signed for this chain");
  if (auto limits = check_block_limits(config_, b.txs); !limits.ok()) return refuse(limits.error());
  auto run = exec_.begin_block({h.height, h.time});
  if (!run.ok()) return store_failed(run.error().message);
  auto hashes = run_transactions(*this, **run, b.txs, true, out);
  if (!hashes.ok()) {
    if (hashes.error().code == ApplyError::Diverged) return refuse(hashes.error().message);
    return fail(hashes.error());
  }
  if (tx_merkle_root(*hashes) != h.tx_root) return refuse("its transactions root does not match");
  auto root = (*run)->finish();
  if (!root.ok()) return store_failed(root.error().message);
  if (*root != h.state_root)
    return refuse("this node's state root " + to_hex(*root) + " differs from the block's " +
                  to_hex(h.state_root));
  if (auto written = write_block(*this, **run, out); !written.ok())
    return store_failed(written.error());
  if (auto e = store::put_meta_u64((*run)->txn(), store_.db(), kRevisionKey, revision))
    return store_failed(e->message);
  if (auto e = (*run)->commit()) return store_failed(e->message);
  return out;
}

}  // namespace assent::node
