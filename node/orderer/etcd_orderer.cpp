#include "node/orderer/etcd_orderer.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "vm/hex.hpp"

namespace assent::node {

namespace {

// etcd refuses requests over 1.5 MiB by default (--max-request-bytes): a block's transactions
// stay under 1 MiB, with room for its header and the request's keys. The chain's own bound
// (ChainConfig::block_bytes_limit, rule B2) is this by default; a chain that set it higher
// still gets blocks etcd takes, and they are valid under B2, only smaller.
constexpr std::size_t kEtcdBlockTxBytes = std::size_t{1} << 20;

uint64_t now_seconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

void pause(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

EtcdOrderer::EtcdOrderer(Chain& chain, EtcdOrdererConfig config)
    : chain_(chain),
      mempool_(chain, config.mempool),
      config_(std::move(config)),
      prefix_("/assent/" + chain.config().chain_id + "/") {}

std::string EtcdOrderer::height_key(uint64_t height) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "block/%020llu", static_cast<unsigned long long>(height));
  return buf;
}

void EtcdOrderer::start() {
  if (running_.exchange(true)) return;
  // A loop that throws (an answer of an unexpected shape) is logged and started again.
  auto guarded = [this](void (EtcdOrderer::*loop)()) {
    return [this, loop] {
      while (running_) {
        try {
          (this->*loop)();
        } catch (const std::exception& e) {
          std::cerr << "warning: cluster orderer: " << e.what() << "\n";
          pause(100);
        }
      }
    };
  };
  threads_.emplace_back(guarded(&EtcdOrderer::lease_loop));
  threads_.emplace_back(guarded(&EtcdOrderer::follow_loop));
  threads_.emplace_back(guarded(&EtcdOrderer::propose_loop));
  threads_.emplace_back(guarded(&EtcdOrderer::watch_loop));
}

void EtcdOrderer::stop() {
  if (!running_.exchange(false)) return;
  mempool_.wake();
  {
    std::lock_guard lock(news_mutex_);
    news_.notify_all();
  }
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

std::string EtcdOrderer::role() const {
  if (fault()) return "diverged";
  return leader_ ? "proposer" : "follower";
}

std::optional<std::string> EtcdOrderer::fault() const {
  std::lock_guard lock(mutex_);
  return fault_;
}

void EtcdOrderer::set_fault(const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    fault_ = message;
  }
  leader_ = false;
  std::cerr << "error: " << message << "; this node stops executing blocks\n";
  if (on_fault) on_fault(message);
}

namespace {

std::string list_of(const std::set<Identity>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ',';
    out += to_hex(id);
  }
  return out;
}

}  // namespace

Result<std::set<Identity>, std::string> EtcdOrderer::adopt_proposers(const std::string& listed) {
  std::vector<std::string> ids;
  for (std::size_t at = 0; at <= listed.size();) {
    const std::size_t comma = std::min(listed.find(',', at), listed.size());
    ids.push_back(listed.substr(at, comma - at));
    at = comma + 1;
  }
  auto parsed = parse_identities(ids, key("proposers") + " in etcd");
  if (!parsed.ok()) return fail(parsed.error());
  const std::set<Identity> mine = chain_.proposers();
  if (!mine.empty() && *parsed != mine)
    return fail("--proposers differs from the chain's list in etcd (" + key("proposers") + ": " +
                listed + "); give every node the same list, or none to adopt the chain's");
  chain_.set_proposers(*parsed);
  std::lock_guard lock(mutex_);
  listed_ = listed;  // as etcd holds it: what appends compare
  return std::move(parsed).value();
}

Result<std::set<Identity>, std::string> EtcdOrderer::agree_proposers(double seconds) {
  EtcdClient etcd(config_.endpoints, config_.etcd_tls);
  const std::set<Identity> own = chain_.proposers();
  const std::string mine = list_of(own);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(int(seconds * 1000));
  std::string last_error = "no answer";
  while (std::chrono::steady_clock::now() < deadline) {
    auto stored = etcd.get(key("proposers"));
    if (!stored.ok()) {
      // A node with no list of its own starts anyway and adopts the chain's once etcd
      // answers (the lease loop); one with a list must compare it first.
      if (mine.empty()) return own;
      last_error = stored.error();
      pause(200);
      continue;
    }
    if (*stored) return adopt_proposers((*stored)->value);
    if (mine.empty()) return own;  // the chain pins no proposers (yet)
    auto put = etcd.txn({{key("proposers"), std::nullopt, false}}, {{key("proposers"), mine, 0}});
    if (!put.ok()) {
      last_error = put.error();
      pause(200);
    }
    // Read again: our list, or another node's written first.
  }
  return fail("cannot agree on the chain's proposers: " + last_error);
}

bool EtcdOrderer::pinned_or_adopted(EtcdClient& etcd) {
  if (!chain_.proposers().empty()) return true;
  auto stored = etcd.get(key("proposers"));
  if (!stored.ok()) return false;
  if (!*stored) return true;  // the chain pins none
  if (auto adopted = adopt_proposers((*stored)->value); !adopted.ok()) {
    std::cerr << "warning: " << adopted.error() << "\n";
    return false;
  }
  return true;
}

bool EtcdOrderer::may_campaign(EtcdClient& etcd) {
  return pinned_or_adopted(etcd) && chain_.may_propose(chain_.proposer().public_key());
}

void EtcdOrderer::lease_loop() {
  EtcdClient etcd(config_.endpoints, config_.etcd_tls);
  auto last_warning = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  const std::string me = config_.name + "\n" + api_url();
  while (running_) {
    if (fault()) {
      pause(100);
      continue;
    }
    // A node that started with no list of proposers adopts one written since, so that it
    // refuses blocks from keys not on it (and stops proposing when it is not on it).
    if (chain_.proposers().empty()) (void)pinned_or_adopted(etcd);
    if (leader_ && !chain_.may_propose(chain_.proposer().public_key())) {
      leader_ = false;  // not one of the chain's proposers (any more): let the lease end
    } else if (leader_) {
      auto alive = etcd.keep_alive(lease_);
      if (!alive.ok() || !*alive) leader_ = false;  // lost: another node may take over
    } else if (auto who = etcd.get(key("proposer")); who.ok() && *who) {
      const std::string& v = (*who)->value;
      // Still ours (etcd was away for a while, and our lease outlived it): go on with it.
      if (v == me && lease_ != 0 && may_campaign(etcd)) {
        auto alive = etcd.keep_alive(lease_);
        if (alive.ok() && *alive) leader_ = true;
      }
      learn_proposer(v);
    } else if (!who.ok()) {
      // Say so, every 10 s at most, while no etcd endpoint answers.
      if (std::chrono::steady_clock::now() - last_warning > std::chrono::seconds(10)) {
        last_warning = std::chrono::steady_clock::now();
        std::cerr << "warning: " << who.error() << "; this node cannot order blocks\n";
      }
    } else if (may_campaign(etcd) && fresh_head(etcd) && caught_up()) {
      // Nobody proposes: bid, but only having applied every block etcd has (a node that is
      // behind would only make blocks the compare-and-swap refuses), and only as one of the
      // chain's proposers (an auditor's replica never proposes).
      if (auto lease = etcd.grant_lease(config_.lease_seconds); lease.ok()) {
        auto won =
            etcd.txn({{key("proposer"), std::nullopt, false}}, {{key("proposer"), me, *lease}});
        if (won.ok() && *won) {
          lease_ = *lease;
          leader_ = true;
        } else if (auto winner = etcd.get(key("proposer")); winner.ok() && *winner) {
          learn_proposer((*winner)->value);  // another node won: forward to it from now
        }
      }
    }
    pause(config_.lease_seconds * 1000 / 4);
  }
}

void EtcdOrderer::learn_proposer(const std::string& value) {
  std::lock_guard lock(mutex_);
  leader_url_ = value.substr(value.find('\n') + 1);  // the value is "name\nURL"
}

bool EtcdOrderer::fresh_head(EtcdClient& etcd) {
  auto head = etcd.get(key("head"));
  if (!head.ok()) return false;
  etcd_head_ = *head ? std::strtoull((*head)->value.c_str(), nullptr, 10) : 0;
  return true;
}

bool EtcdOrderer::caught_up() {
  auto height = local_height();
  return height.ok() && *height >= etcd_head_;
}

Result<uint64_t, std::string> EtcdOrderer::local_height() const {
  auto read = chain_.store().begin_read();
  if (!read.ok()) return fail(read.error().message);
  auto head = chain_.head(*read);
  if (!head.ok()) return fail(head.error().message);
  return head->height;
}

void EtcdOrderer::propose_loop() {
  EtcdClient etcd(config_.endpoints, config_.etcd_tls);
  const std::string me = config_.name + "\n" + api_url();
  uint64_t since_cleanup = 0;
  while (running_) {
    if (!leader_ || fault()) {
      // Transactions this node queued as proposer go to the proposer there is now.
      if (!fault() && mempool_.size() > 0 && !api_url().empty())
        for (auto& tx : mempool_.drain())
          (void)forward(tx);
      pause(20);
      continue;
    }
    mempool_.wait_for(config_.max_txs, std::chrono::steady_clock::now() + config_.interval);
    if (!running_ || mempool_.size() == 0) continue;
    std::lock_guard apply(apply_mutex_);
    if (!leader_ || !caught_up()) continue;  // the follower thread applies what etcd has
    auto txs = mempool_.take(config_.max_txs,
                             std::min(chain_.config().block_bytes_limit, kEtcdBlockTxBytes));
    if (txs.empty()) {  // only transactions waiting for an earlier nonce: no empty block
      pause(static_cast<int>(config_.interval.count()));
      continue;
    }
    auto prepared = chain_.prepare_block(txs, now_seconds());
    if (!prepared.ok()) {
      set_fault("cannot make a block: " + prepared.error());
      continue;
    }
    const uint64_t height = prepared->block.block.header.height;
    const Bytes encoded = prepared->block.block.encode();
    // etcd takes the block only from the proposer, on the head, under the chain's list of
    // proposers as this node knows it (so a proposer elected before a list was written
    // cannot append after it).
    std::vector<EtcdCompare> compares = {{key("proposer"), me, std::nullopt}};
    if (const std::string listed = listed_proposers(); listed.empty())
      compares.push_back({key("proposers"), std::nullopt, false});
    else
      compares.push_back({key("proposers"), listed, std::nullopt});
    if (height == 1)
      compares.push_back({key("head"), std::nullopt, false});
    else
      compares.push_back({key("head"), std::to_string(height - 1), std::nullopt});
    auto appended = etcd.txn(
        compares, {{key("head"), std::to_string(height), 0},
                   {key(height_key(height)), std::string(encoded.begin(), encoded.end()), 0}});
    if (!appended.ok() || !*appended) {
      // Not taken: etcd is away, or another node is the proposer now. The prepared block
      // is dropped (its write transaction aborts); its transactions stay queued.
      if (appended.ok()) leader_ = false;
      continue;
    }
    etcd_head_ = height;
    auto committed =
        chain_.commit_prepared(std::move(prepared).value(), static_cast<uint64_t>(**appended));
    if (!committed.ok()) {
      set_fault("etcd took block " + std::to_string(height) +
                " but the store refused it: " + committed.error());
      continue;
    }
    mempool_.committed(*committed);
    if (on_commit) on_commit(*committed);
    // Blocks every node has applied leave etcd (keeping a margin for slow readers).
    if (++since_cleanup >= std::max<uint64_t>(1, config_.keep_blocks / 10)) {
      since_cleanup = 0;
      if (auto applied = etcd.range(key("applied/"), key("applied0"), 1000); applied.ok()) {
        uint64_t lowest = height;
        for (const auto& kv : *applied)
          lowest = std::min<uint64_t>(lowest, std::strtoull(kv.value.c_str(), nullptr, 10));
        if (lowest > config_.keep_blocks)  // what fails is removed at the next cleanup
          (void)etcd.remove_range(key(height_key(0)),
                                  key(height_key(lowest - config_.keep_blocks)));
      }
    }
  }
}

void EtcdOrderer::watch_loop() {
  EtcdClient etcd(config_.endpoints, config_.etcd_tls);
  while (running_) {
    uint64_t from = 0;
    if (auto read = chain_.store().begin_read(); read.ok())
      if (auto applied = chain_.applied_revision(*read); applied.ok()) from = *applied;
    etcd.watch(
        key("block/"), key("block0"), static_cast<int64_t>(from) + 1,
        [this] { return running_.load(); },
        [this] {
          std::lock_guard lock(news_mutex_);
          has_news_ = true;
          news_.notify_all();
        });
    pause(50);  // a watch refused at once (a compacted revision) is not retried in a loop
  }
}

void EtcdOrderer::follow_loop() {
  EtcdClient etcd(config_.endpoints, config_.etcd_tls);
  auto last_report = std::chrono::steady_clock::now();
  while (running_) {
    if (fault()) {
      pause(100);
      continue;
    }
    std::optional<CommittedBlock> applied = apply_next(etcd);
    if (applied) {
      mempool_.committed(*applied);
      if (on_commit) on_commit(*applied);
    } else {
      // Wait for the watch to see a new block key (or, should it miss one, 200 ms).
      std::unique_lock lock(news_mutex_);
      news_.wait_for(lock, std::chrono::milliseconds(200), [this] { return has_news_; });
      has_news_ = false;
    }
    if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(1)) {
      last_report = std::chrono::steady_clock::now();
      if (auto height = local_height(); height.ok())
        (void)etcd.put({key("applied/" + config_.name), std::to_string(*height), 0});
    }
  }
}

std::optional<CommittedBlock> EtcdOrderer::apply_next(EtcdClient& etcd) {
  std::lock_guard apply(apply_mutex_);
  auto local = local_height();
  if (!local.ok()) return std::nullopt;  // the store fails: asked again after a wait
  const uint64_t height = *local;
  auto kv = etcd.get(key(height_key(height + 1)));
  std::optional<std::string> from_peer;
  if (kv.ok() && !*kv) {
    if (auto head = etcd.get(key("head")); head.ok() && *head)
      etcd_head_ = std::strtoull((*head)->value.c_str(), nullptr, 10);
    // The block is no longer in etcd (every node had applied it): a peer has it.
    if (etcd_head_ > height + 1)
      if (auto fetched = fetch_from_peer(height + 1); fetched.ok())
        from_peer = std::move(fetched).value();
  }
  if (!from_peer && !(kv.ok() && *kv)) return std::nullopt;
  const std::string& v = from_peer ? *from_peer : (*kv)->value;
  auto block =
      Block::decode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
  if (!block.ok()) {
    // A peer's answer is only a hint: asked again later.
    if (!from_peer)
      set_fault("block " + std::to_string(height + 1) +
                " in etcd does not decode: " + block.error());
    return std::nullopt;
  }
  uint64_t revision = 0;
  if (from_peer) {
    // Without the stored revision the block would record 0: try again later instead.
    auto read = chain_.store().begin_read();
    if (!read.ok()) return std::nullopt;
    auto stored = chain_.applied_revision(*read);
    if (!stored.ok()) return std::nullopt;
    revision = *stored;
  } else {
    revision = static_cast<uint64_t>((*kv)->mod_revision);
  }
  auto r = chain_.apply_block(*block, revision);
  if (!r.ok()) {
    // A peer's block that does not hold is dropped and asked for again, never a divergence.
    if (r.error().code == ApplyError::Diverged && !from_peer)
      set_fault("divergence: " + r.error().message);
    // The store failed: the block is tried again, and the node says so (once per new message,
    // since the follow loop comes back every 200 ms).
    if (r.error().code == ApplyError::Store && r.error().message != last_store_failure_) {
      last_store_failure_ = r.error().message;
      std::cerr << "error: block " << height + 1 << " could not be applied: " << r.error().message
                << "; trying again\n";
    }
    return std::nullopt;
  }
  etcd_head_ = std::max<uint64_t>(etcd_head_, height + 1);
  return std::move(r).value();
}

std::string EtcdOrderer::listed_proposers() const {
  std::lock_guard lock(mutex_);
  return listed_;
}

std::string EtcdOrderer::api_url() const {
  std::lock_guard lock(mutex_);
  return config_.api_url;
}

void EtcdOrderer::set_api_url(const std::string& url) {
  std::lock_guard lock(mutex_);
  config_.api_url = url;
}

}  // namespace assent::node
