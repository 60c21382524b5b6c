// The chain's and the queue's limits (docs/protocol.md, "Limits"): blocks cut at the block
// gas limit and at the block byte limit, and a peer's block over either refused; the base gas
// of a transaction's bytes, required and charged; a revocation commits within a few blocks
// while 100 keys flood maximal transactions; the queue bounded in count and bytes, gapped
// transactions bounded per sender and expiring; transactions refused while the disk is low;
// the store's map as large as its disk.
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <thread>

#include "node/chain/mempool.hpp"
#include "node/orderer/solo.hpp"
#include "node/store/disk.hpp"
#include "tests/node/node_fixture.hpp"
#include "stdlib/abi_codec.hpp"

using namespace assent;
using namespace assent::testing;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint64_t kTime = 1'800'000'000;

// Every call burns all the gas it declares in Ed25519 verifications, the costliest work
// per gas there is: what a block full of maximal transactions costs.
const char* kBurn = R"(
contract Burn {
    action burn(key: bytes, message: bytes, signature: bytes) {
        var valid: u64 = 0;
        while true {
            if ed25519_verify(key, message, signature) { valid += 1; }
        }
    }
}
)";

std::vector<uint8_t> compile(const std::string& name, const std::string& source) {
  auto c = compiler::compile(name + ".assent", source);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  return c.bytes;
}

// A chain on a real store, its mempool, and signing helpers.
struct Bed : TempStore {
  std::unique_ptr<node::Chain> chain;
  std::unique_ptr<node::Mempool> pool;

  explicit Bed(const std::string& name, node::ChainConfig config = {},
               node::MempoolConfig pool_config = {})
      : TempStore("limits-" + name) {
    config.chain_id = "assent-limits-test";
    chain = std::make_unique<node::Chain>(*store, *exec, config, new_key());
    pool = std::make_unique<node::Mempool>(*chain, pool_config);
  }

  node::Transaction deploy(const node::KeyPair& key, uint64_t nonce,
                           const std::vector<uint8_t>& code, uint64_t gas = 10'000'000) const {
    node::Transaction tx;
    tx.kind = node::TxKind::Deploy;
    tx.chain_id = chain->config().chain_id;
    tx.nonce = nonce;
    tx.gas_limit = gas;
    tx.code = code;
    tx.sign(key);
    return tx;
  }
  node::Transaction call(const node::KeyPair& key, uint64_t nonce, const node::Identity& contract,
                         const std::string& method, std::vector<uint8_t> args, uint64_t gas) const {
    node::Transaction tx;
    tx.kind = node::TxKind::Call;
    tx.chain_id = chain->config().chain_id;
    tx.nonce = nonce;
    tx.gas_limit = gas;
    tx.contract = contract;
    tx.method = method;
    tx.args = std::move(args);
    tx.sign(key);
    return tx;
  }
  // Commits `txs` as one block; its receipts must all be there.
  node::CommittedBlock commit(const std::vector<node::Transaction>& txs) {
    auto b = chain->commit_block(txs, kTime);
    REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error()));
    pool->committed(*b);
    return std::move(b).value();
  }
  node::Identity deployed(const node::KeyPair& key, const std::vector<uint8_t>& code) {
    auto b = commit({deploy(key, 0, code)});
    REQUIRE(b.receipts.size() == 1);
    REQUIRE_MESSAGE(b.receipts[0].receipt.ok(), b.receipts[0].receipt.describe());
    return *b.receipts[0].receipt.contract;
  }
  bool has_receipt(const node::Transaction& tx) const {
    auto read = store->begin_read();
    REQUIRE(read.ok());
    auto receipt = chain->receipt(*read, tx.hash());
    REQUIRE(receipt.ok());
    return receipt->has_value();
  }
};

std::vector<uint8_t> encode_args(const std::vector<uint8_t>& module, const std::string& method,
                                 const Json& args) {
  auto m = vm::read_module(module);
  REQUIRE(m.ok());
  const vm::Export* e = m->find_export(method);
  REQUIRE(e != nullptr);
  auto encoded = abi::fields_from_json(e->params, m->abi, args);
  REQUIRE(encoded.ok());
  return *encoded;
}

// `burn`'s arguments: a real signature, so that each verification does all its work.
std::vector<uint8_t> signed_burn_args(const std::vector<uint8_t>& burn_code) {
  const node::KeyPair signer = new_key();
  const std::vector<uint8_t> message(32, 7);
  const auto signature = signer.sign(message);
  return encode_args(burn_code, "burn",
                     Json::array({node::hex(signer.public_key()), node::hex(message),
                                  node::hex(std::span<const uint8_t>(signature))}));
}

uint64_t declared(const std::vector<node::Transaction>& txs) {
  uint64_t gas = 0;
  for (const auto& tx : txs)
    gas += tx.gas_limit;
  return gas;
}

}  // namespace

TEST_CASE("limits: the TxError table: every code has its name and status, found by name") {
  for (const node::TxErrorInfo& row : node::kTxErrors) {
    const node::TxRejection r{row.code, ""};
    CHECK(node::tx_error_named(r.name()) == r.code);
    CHECK(r.http_status() == row.status);
  }
  CHECK_FALSE(node::tx_error_named("no_such_code"));
  CHECK(node::TxRejection{node::TxError::QueueFull, ""}.http_status() == 503);
  CHECK(node::TxRejection{node::TxError::TooManyGapped, ""}.http_status() == 429);
  CHECK(node::TxRejection{node::TxError::DiskLow, ""}.http_status() == 507);
  CHECK(node::TxRejection{node::TxError::Store, ""}.http_status() == 503);
  CHECK(node::TxRejection{node::TxError::FromPeer, ""}.http_status() == 502);
  CHECK(std::string(node::TxRejection{node::TxError::DiskLow, ""}.name()) == "disk_low");
}

TEST_CASE(
    "limits: blocks hold what their gas allows (rule B1); a peer's block over it is refused") {
  Bed bed("block-gas");
  const node::KeyPair registrar = new_key();
  const auto burn_code = compile("burn", kBurn);
  const node::Identity burn = bed.deployed(registrar, burn_code);
  const auto burn_args = signed_burn_args(burn_code);
  // A transaction may declare at most 10 M.
  auto too_much = bed.pool->submit(bed.call(new_key(), 0, burn, "burn", burn_args, 10'000'001));
  REQUIRE_FALSE(too_much.ok());
  CHECK(too_much.error().code == node::TxError::GasTooHigh);

  // Seven calls that each use all of the 10 M they declare: five fill a block of 50 M, and
  // the other two stay queued for the next.
  std::vector<node::KeyPair> keys;
  for (int i = 0; i < 7; ++i) {
    keys.push_back(new_key());
    REQUIRE(bed.pool->submit(bed.call(keys.back(), 0, burn, "burn", burn_args, 10'000'000)).ok());
  }
  const auto full = bed.commit(bed.pool->take(2000));
  CHECK(full.block.txs.size() == 5);
  uint64_t used = 0;
  for (const auto& r : full.receipts)
    used += r.receipt.gas_used;
  CHECK(used == 50'000'000);
  CHECK(bed.pool->size() == 2);
  CHECK(bed.commit(bed.pool->take(2000)).block.txs.size() == 2);

  // What counts is what a block uses: seven deploys that each declare 10 M and use far less
  // all fit in one.
  const auto code = compile("opt_in", read_source("contracts/research_opt_in.assent"));
  std::vector<node::Transaction> deploys;
  for (int i = 0; i < 7; ++i)
    deploys.push_back(bed.deploy(new_key(), 0, code));
  CHECK(declared(deploys) == 70'000'000);
  CHECK(bed.commit(deploys).block.txs.size() == 7);

  // A follower refuses a block whose sixth burn declares more than the block had left.
  node::ChainConfig lax;
  lax.block_gas_limit = 100'000'000;
  Bed big("block-gas-lax", lax);
  const node::Identity big_burn = big.deployed(registrar, burn_code);
  REQUIRE(big_burn == burn);
  std::vector<node::Transaction> six;
  for (int i = 0; i < 6; ++i)
    six.push_back(big.call(keys[i], 0, burn, "burn", burn_args, 10'000'000));
  auto over = big.chain->commit_block(six, kTime);
  REQUIRE(over.ok());
  REQUIRE(over->block.txs.size() == 6);
  // The follower applies the lax chain's first block (the deploy), then refuses its second.
  Bed follower("block-gas-follower");
  auto lax_first = [&] {
    auto read = big.store->begin_read();
    REQUIRE(read.ok());
    return **big.chain->block(*read, 1);
  }();
  REQUIRE(follower.chain->apply_block(lax_first, 1).ok());
  auto refused = follower.chain->apply_block(over->block, 2);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == node::ApplyError::Diverged);
  CHECK(refused.error().message.find("transaction 5 declares 10000000 gas, more than the 0 left of "
                             "the block's 50000000 (rule B1)") != std::string::npos);
  auto read = follower.store->begin_read();
  CHECK(follower.chain->head(*read)->height == 1);
}

// Five deploys of a 255 KB module: four fit in a block's 1 MiB, the fifth waits.
TEST_CASE(
    "limits: blocks hold at most 1 MiB of transactions (rule B2); a peer's over it is "
    "refused") {
  const std::string padding(255'000, 'x');
  const auto code = compile(
      "big", "contract Big {\n    action no() { require(false, \"" + padding + "\"); }\n}\n");
  Bed bed("block-bytes");
  std::vector<node::KeyPair> keys;
  std::vector<node::Transaction> five;
  for (int i = 0; i < 5; ++i) {
    keys.push_back(new_key());
    five.push_back(bed.deploy(keys.back(), 0, code));
  }
  const std::size_t each = node::block_tx_bytes(five[0]);
  CHECK(each == five[0].encode().size() + 4);
  CHECK(each * 4 <= bed.chain->config().block_bytes_limit);
  CHECK(each * 5 > bed.chain->config().block_bytes_limit);
  CHECK(bed.chain->config().block_bytes_limit == 1'048'576);
  // Gas is not what limits them: each uses about 2.6 M of the 10 M it declares.
  CHECK(declared(five) == 50'000'000);

  // The solo orderer cuts at the limit; what does not fit goes in the next block.
  node::SoloOrderer solo(*bed.chain, {});
  std::vector<node::CommittedBlock> cut;
  solo.on_commit = [&](const node::CommittedBlock& b) { cut.push_back(b); };
  for (const auto& tx : five)
    REQUIRE(solo.submit(tx).ok());
  REQUIRE(solo.cut().value());
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].block.txs.size() == 4);
  CHECK(cut[0].block.encode().size() - node::Block{cut[0].block.header, {}}.encode().size() ==
        4 * each);
  for (const auto& r : cut[0].receipts)
    CHECK_MESSAGE(r.receipt.ok(), r.receipt.describe());
  CHECK(solo.queued() == 1);
  REQUIRE(solo.cut().value());
  REQUIRE(cut.size() == 2);
  CHECK(cut[1].block.txs.size() == 1);
  CHECK(solo.queued() == 0);

  // A proposer given all five (not through a queue) leaves out the fifth.
  Bed direct("block-bytes-direct");
  CHECK(direct.commit(five).block.txs.size() == 4);
  CHECK_FALSE(direct.has_receipt(five[4]));

  // A lax chain makes a block of all five; a follower with the default refuses it.
  node::ChainConfig lax;
  lax.block_bytes_limit = 2 << 20;
  Bed big("block-bytes-lax", lax);
  auto over = big.chain->commit_block(five, kTime);
  REQUIRE(over.ok());
  REQUIRE(over->block.txs.size() == 5);
  Bed follower("block-bytes-follower");
  auto refused = follower.chain->apply_block(over->block, 1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == node::ApplyError::Diverged);
  CHECK(refused.error().message == "block 1: transaction 4 takes the block's transactions to " +
                               std::to_string(5 * each) +
                               " bytes, more than the 1048576 a block may hold (rule B2)");
  auto read = follower.store->begin_read();
  CHECK(follower.chain->head(*read)->height == 0);
  MESSAGE("a deploy of a " << code.size() << "-byte module takes " << each
                           << " bytes of a block: 4 fit in 1 MiB");
}

// The least gas a transaction may declare is what it is charged before it runs: 1,000 plus
// 5 (the schedule's kStateByteGas) per byte of its encoding, which every node keeps.
TEST_CASE("limits: a transaction's base gas is 1,000 + 5 per byte, required and charged") {
  Bed bed("base-gas");
  const auto burn_code = compile("burn", kBurn);
  const node::Identity burn = bed.deployed(new_key(), burn_code);
  const std::vector<uint8_t> message(32, 7);
  const node::KeyPair signer = new_key();
  const auto signature = signer.sign(message);
  const auto args = encode_args(burn_code, "burn",
                                Json::array({node::hex(signer.public_key()), node::hex(message),
                                             node::hex(std::span<const uint8_t>(signature))}));
  const node::KeyPair caller = new_key();
  auto call = [&](uint64_t nonce, uint64_t gas) {
    return bed.call(caller, nonce, burn, "burn", args, gas);
  };
  // 317 bytes: magic, kind, chain id (1 + 18), nonce, sender, gas, contract, method (1 + 4),
  // arguments (4 + 140), signature.
  REQUIRE(call(0, 0).encode().size() == 317);
  REQUIRE(call(0, 0).encoded_size() == 317);
  const uint64_t base = 1'000 + 5 * 317;
  CHECK(node::base_gas_of(bed.chain->config(), call(0, 0)) == base);
  auto low = bed.pool->submit(call(0, base - 1));
  REQUIRE_FALSE(low.ok());
  CHECK(low.error().code == node::TxError::GasTooLow);
  CHECK(low.error().message ==
        "gas limit 2584 is below this transaction's minimum of 2585 (1000, plus 5 per byte of "
        "its 317 bytes, which every node keeps)");
  // At exactly the minimum it is queued, and charged it all: nothing is left to run on.
  REQUIRE(bed.pool->submit(call(0, base)).ok());
  auto b = bed.commit(bed.pool->take(2000));
  REQUIRE(b.receipts.size() == 1);
  CHECK(b.receipts[0].receipt.status == node::ExecOutcome::OutOfGas);
  CHECK(b.receipts[0].receipt.gas_used == base);
  // 1,000 more: the call runs on them and burns them all.
  b = bed.commit({call(1, base + 1'000)});
  REQUIRE(b.receipts.size() == 1);
  CHECK(b.receipts[0].receipt.status == node::ExecOutcome::OutOfGas);
  CHECK(b.receipts[0].receipt.gas_used == base + 1'000);
  // A chain with no base gas makes a block of a transaction under 2,585; a follower with the
  // default refuses it before running it.
  node::ChainConfig lax;
  lax.base_gas = 0;
  Bed cheap("base-gas-lax", lax);
  auto made = cheap.chain->commit_block({call(0, 2'000)}, kTime);
  REQUIRE(made.ok());
  REQUIRE(made->block.txs.size() == 1);
  // No contract there: the call fails at once and is charged only its base gas.
  CHECK(made->receipts[0].receipt.gas_used == 5 * 317);
  Bed follower("base-gas-follower");
  auto refused = follower.chain->apply_block(made->block, 1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == node::ApplyError::Diverged);
  CHECK(refused.error().message ==
        "block 1: transaction 0 declares 2000 gas, less than its base gas, 2585");
}

TEST_CASE("limits: a revocation commits within 3 blocks while 100 keys flood maximal calls") {
  Bed bed("flood");
  const node::KeyPair registrar = new_key();
  const auto burn_code = compile("burn", kBurn);
  const auto consent_code =
      compile("patient_consent", read_source("contracts/patient_consent.assent"));
  const node::Identity burn = bed.deployed(registrar, burn_code);
  auto consent_block = bed.commit({bed.deploy(registrar, 1, consent_code)});
  REQUIRE(consent_block.receipts[0].receipt.ok());
  const node::Identity consent = *consent_block.receipts[0].receipt.contract;

  const auto burn_args = signed_burn_args(burn_code);
  constexpr int kFlooders = 100, kEach = 20;
  std::vector<node::KeyPair> flooders;
  for (int k = 0; k < kFlooders; ++k)
    flooders.push_back(new_key());
  for (int n = 0; n < kEach; ++n)
    for (const auto& key : flooders)
      REQUIRE(bed.pool->submit(bed.call(key, n, burn, "burn", burn_args, 10'000'000)).ok());
  REQUIRE(bed.pool->size() == kFlooders * kEach);

  // One flood block first: the queue is busy, and every block is full.
  const auto first_start = Clock::now();
  const auto first = bed.commit(bed.pool->take(2000));
  const double block_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - first_start).count();
  REQUIRE(first.block.txs.size() == 5);
  for (const auto& r : first.receipts)
    CHECK(r.receipt.gas_used == 10'000'000);  // out of gas, having burnt it all

  // The patient revokes: a small call from a sender the queue has not seen.
  const node::KeyPair patient = new_key();
  const auto revoke = bed.call(patient, 0, consent, "set_default",
                               encode_args(consent_code, "set_default",
                                           Json::array({node::hex(patient.public_key()), "Deny"})),
                               200'000);
  const auto submitted = Clock::now();
  REQUIRE(bed.pool->submit(revoke).ok());
  int blocks = 0;
  while (!bed.has_receipt(revoke) && blocks < 10) {
    const auto b = bed.commit(bed.pool->take(2000));
    uint64_t block_used = 0;
    for (const auto& r : b.receipts)
      block_used += r.receipt.gas_used;
    CHECK(block_used <= 50'000'000);
    ++blocks;
  }
  const double waited_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - submitted).count();
  MESSAGE("revocation committed in block " << blocks << " after it was submitted, " << waited_ms
                                           << " ms, behind " << bed.pool->size()
                                           << " queued flood calls; a full block of 5 maximal "
                                              "calls took "
                                           << block_ms << " ms");
  CHECK(blocks >= 1);
  CHECK(blocks <= 3);
  auto read = bed.store->begin_read();
  auto receipt = bed.chain->receipt(*read, revoke.hash());
  REQUIRE(receipt.ok());
  REQUIRE(*receipt);
  CHECK_MESSAGE((*receipt)->receipt.ok(), (*receipt)->receipt.describe());
}

TEST_CASE("limits: senders take turns: one transaction per sender per round, least recent first") {
  Bed bed("turns");
  const auto code = compile("opt_in", read_source("contracts/research_opt_in.assent"));
  const node::KeyPair a = new_key(), b = new_key(), c = new_key();
  // `a` queues four, then `b` two: a block of three takes a, b, then a again.
  for (uint64_t n = 0; n < 4; ++n)
    REQUIRE(bed.pool->submit(bed.deploy(a, n, code, 1'000'000)).ok());
  for (uint64_t n = 0; n < 2; ++n)
    REQUIRE(bed.pool->submit(bed.deploy(b, n, code, 1'000'000)).ok());
  auto taken = bed.pool->take(3);
  REQUIRE(taken.size() == 3);
  CHECK(taken[0].sender == a.public_key());
  CHECK(taken[1].sender == b.public_key());
  CHECK(taken[2].sender == a.public_key());
  CHECK(taken[2].nonce == 1);
  bed.commit({taken[0], taken[1]});
  // `c`, never included, goes first; then `a` and `b` (both included at height 1) by gas.
  REQUIRE(bed.pool->submit(bed.deploy(c, 0, code, 2'000'000)).ok());
  taken = bed.pool->take(3);
  REQUIRE(taken.size() == 3);
  CHECK(taken[0].sender == c.public_key());
}

TEST_CASE("limits: the queue is bounded in bytes; gapped transactions are bounded and expire") {
  // The queue's clock stands still until the test moves it: nothing expires while a slow
  // build (ASan) is still submitting.
  auto elapsed = std::make_shared<std::atomic<int64_t>>(0);
  node::MempoolConfig config;
  config.clock = [elapsed, start = Clock::now()] {
    return start + std::chrono::milliseconds(elapsed->load());
  };
  Bed bed("gapped", {}, config);
  // A module of about 255 KB: a contract with a long message.
  const std::string padding(255'000, 'x');
  const auto code = compile(
      "big", "contract Big {\n    action no() { require(false, \"" + padding + "\"); }\n}\n");
  REQUIRE(code.size() > 255'000);
  REQUIRE(code.size() < node::kMaxTransactionBytes - 200);

  // 1,800 deploys from 100 senders, nonces 1 to 18: each waits for a nonce 0 never sent.
  constexpr int kSenders = 100, kEach = 18;
  std::vector<node::KeyPair> keys;
  for (int s = 0; s < kSenders; ++s)
    keys.push_back(new_key());
  std::map<node::TxError, int> refused;
  int accepted = 0;
  std::size_t most_bytes = 0;
  for (int n = 1; n <= kEach; ++n)
    for (const auto& key : keys) {
      auto r = bed.pool->submit(bed.deploy(key, n, code));
      if (r.ok())
        ++accepted;
      else
        ++refused[r.error().code];
      most_bytes = std::max(most_bytes, bed.pool->bytes());
    }
  MESSAGE("of " << kSenders * kEach << " gapped deploys of " << code.size()
                << " bytes: " << accepted << " queued (" << (most_bytes >> 20) << " MiB), "
                << refused[node::TxError::QueueFull] << " refused as queue_full, "
                << refused[node::TxError::TooManyGapped] << " as too_many_gapped");
  CHECK(most_bytes <= config.max_bytes);
  CHECK(accepted < kSenders * kEach / 5);
  CHECK(refused[node::TxError::QueueFull] > 0);
  CHECK(accepted + refused[node::TxError::QueueFull] == kSenders * kEach);
  CHECK(bed.pool->take(2000).empty());  // none can run

  // Per sender: 16 gapped at most, however much room the queue has.
  Bed roomy("gapped-roomy", {}, config);
  const auto small = compile("opt_in", read_source("contracts/research_opt_in.assent"));
  const node::KeyPair gapper = new_key();
  for (uint64_t n = 1; n <= 16; ++n)
    REQUIRE(roomy.pool->submit(roomy.deploy(gapper, n, small)).ok());
  auto seventeenth = roomy.pool->submit(roomy.deploy(gapper, 17, small));
  REQUIRE_FALSE(seventeenth.ok());
  CHECK(seventeenth.error().code == node::TxError::TooManyGapped);
  CHECK(seventeenth.error().message ==
        "the sender has 16 transactions waiting for an earlier nonce, as many as it may; its next "
        "is 0: send that one first");
  // A sender in order is not gapped: it may queue far more.
  const node::KeyPair orderly = new_key();
  for (uint64_t n = 0; n < 40; ++n)
    REQUIRE(roomy.pool->submit(roomy.deploy(orderly, n, small)).ok());
  // Filling the gap makes the gapper's transactions runnable: they stay; another's gapped
  // ones expire.
  REQUIRE(roomy.pool->submit(roomy.deploy(gapper, 0, small)).ok());
  const node::KeyPair late = new_key();
  for (uint64_t n = 5; n < 8; ++n)
    REQUIRE(roomy.pool->submit(roomy.deploy(late, n, small)).ok());

  // Gapped transactions leave once they have waited the expiry; runnable ones stay.
  *elapsed = config.gap_expiry.count() - 1;
  CHECK(bed.pool->expire() == 0);
  *elapsed = config.gap_expiry.count() + 1;
  CHECK(bed.pool->expire() == static_cast<std::size_t>(accepted));
  CHECK(bed.pool->size() == 0);
  CHECK(bed.pool->bytes() == 0);
  CHECK(roomy.pool->expire() == 3);
  CHECK(roomy.pool->size() == 57);
  CHECK(roomy.pool->take(2000).size() == 57);  // all runnable: the gapper's and orderly's
  // And the queue takes new transactions again.
  CHECK(bed.pool->submit(bed.deploy(keys[0], 0, code)).ok());
}

TEST_CASE("limits: the queue refuses at its count bound") {
  node::MempoolConfig config;
  config.max_txs = 3;
  Bed bed("count", {}, config);
  const auto code = compile("opt_in", read_source("contracts/research_opt_in.assent"));
  for (int i = 0; i < 3; ++i)
    REQUIRE(bed.pool->submit(bed.deploy(new_key(), 0, code)).ok());
  auto full = bed.pool->submit(bed.deploy(new_key(), 0, code));
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().code == node::TxError::QueueFull);
  CHECK(full.error().message ==
        "the queue holds 3 transactions, as many as it may; try again shortly");
}

TEST_CASE("limits: transactions are refused while the disk is low") {
  const fs::path where = fs::temp_directory_path();
  const store::DiskUsage disk = store::disk_usage(where.string());
  REQUIRE(disk.known);
  REQUIRE(disk.total >= disk.available);
  node::MempoolConfig config;
  config.min_free_disk = disk.available + (uint64_t{1} << 30);  // more than there is
  Bed bed("disk", {}, config);
  const auto code = compile("opt_in", read_source("contracts/research_opt_in.assent"));
  auto low = bed.pool->submit(bed.deploy(new_key(), 0, code));
  REQUIRE_FALSE(low.ok());
  CHECK(low.error().code == node::TxError::DiskLow);
  CHECK(low.error().http_status() == 507);
  CHECK(low.error().message.find(" MiB free (of ") != std::string::npos);
  CHECK(low.error().message.find("frees space or moves the data directory to a larger disk") !=
        std::string::npos);
  CHECK(bed.pool->size() == 0);
  // At the default threshold this disk has room (the test machine has more than 1 GiB free).
  Bed fine("disk-fine");
  CHECK(fine.pool->submit(fine.deploy(new_key(), 0, code)).ok());
}

TEST_CASE("limits: a store's map covers its filesystem; the file grows only as it is written") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-limits-map-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    auto s = store::Store::open(dir.string(), {0, false});
    REQUIRE(s.ok());
    const store::DiskUsage disk = store::disk_usage(dir.string());
    REQUIRE(disk.known);
    CHECK((*s)->map_size() >= disk.total);
    CHECK((*s)->map_size() == store::map_size_for(dir.string()));
    CHECK(fs::file_size(dir / "data.mdb") < (std::size_t{16} << 20));
  }
  fs::remove_all(dir);
}
