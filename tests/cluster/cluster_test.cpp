// Fault tests of a cluster: three etcd members and three nodes, real processes on loopback
// (`assent cluster up`'s code). Every wait is bounded.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <thread>

#include "node/cli/local_cluster.hpp"
#include "node/orderer/etcd_client.hpp"
#include "node/tls/certificates.hpp"
#include "tests/node/node_fixture.hpp"
#include "tests/support/shell.hpp"
#include "tests/support/signed_http.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

using Clock = std::chrono::steady_clock;

// The nodes serve signed requests only: every client here signs with one test key.
const node::KeyPair& tester() {
  static const node::KeyPair key = new_key();
  return key;
}

struct Client : node::ApiClient {
  explicit Client(const std::string& url, const node::ClientTls& tls = {})
      : node::ApiClient(url, tls) {
    sign_with(tester());
  }
};

// Whether `done()` holds within `seconds`, asking every 50 ms.
template <class F>
bool eventually(double seconds, F done) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(int(seconds * 1000));
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

struct Cluster {
  node::LocalClusterConfig config;
  node::LocalCluster c;

  explicit Cluster(int slot, uint64_t keep_blocks = 1000, std::string advertise_host = {},
                   bool pin_proposers = true, bool tls = false) {
    config.dir = (fs::temp_directory_path() /
                  ("assent-cluster-" + std::to_string(::getpid()) + "-" + std::to_string(slot)))
                     .string();
    fs::remove_all(config.dir);
    config.base_port = node::find_free_base_port(21000 + 300 * slot + (::getpid() % 97) * 7, 3);
    config.block_ms = 20;
    config.keep_blocks = keep_blocks;
    config.advertise_host = std::move(advertise_host);
    config.pin_proposers = pin_proposers;
    config.tls = tls;
    config.assent = std::string(ASSENT_BIN_DIR) + "/assent";
    auto up = node::cluster_up(config);
    REQUIRE_MESSAGE(up.ok(), (up.ok() ? "" : up.error()));
    c = std::move(up).value();
  }
  ~Cluster() {
    node::cluster_down(c);
    if (std::getenv("ASSENT_KEEP_CLUSTER")) return;  // its logs, for a failure's post-mortem
    fs::remove_all(config.dir);
  }

  // The etcd key `name` of the cluster's chain.
  std::string key(const std::string& name) const { return "/assent/" + c.chain_id + "/" + name; }

  std::optional<Json> status(std::size_t i) {
    Client api(c.nodes[i].url, c.client_tls());
    auto s = api.get("/v1/status");
    if (!s.ok()) return std::nullopt;
    return *s;
  }
  // The node that is proposer now, waiting at most `seconds` for one.
  std::optional<std::size_t> proposer(double seconds, std::optional<std::size_t> not_this = {}) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(int(seconds * 1000));
    while (Clock::now() < deadline) {
      for (std::size_t i = 0; i < c.nodes.size(); ++i) {
        if (i == not_this) continue;
        if (auto s = status(i); s && (*s)["role"] == "proposer") return i;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
  }
  // Waits until the nodes in `which` report the same height (at least `min_height`) and root.
  bool agree(const std::vector<std::size_t>& which, uint64_t min_height, double seconds = 20) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(int(seconds * 1000));
    while (Clock::now() < deadline) {
      std::set<std::pair<uint64_t, std::string>> seen;
      bool all = true;
      for (auto i : which) {
        auto s = status(i);
        if (!s || (*s)["height"].get<uint64_t>() < min_height) {
          all = false;
          break;
        }
        seen.insert({(*s)["height"].get<uint64_t>(), (*s)["state_root"].get<std::string>()});
      }
      if (all && seen.size() == 1) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Waits (15 s at most) for node `i` to exit; checks that it exited with status 3 (a node
  // that will not serve its state) and that its log says `why`.
  void expect_stopped(std::size_t i, const std::string& why) {
    int status = 0;
    pid_t done = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (done == 0 && Clock::now() < deadline) {
      done = waitpid(c.nodes[i].pid, &status, WNOHANG);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(done == c.nodes[i].pid);
    c.nodes[i].pid = -1;
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    std::ifstream log(c.nodes[i].log);
    std::stringstream text;
    text << log.rdbuf();
    CHECK_MESSAGE(text.str().find(why) != std::string::npos,
                  c.nodes[i].name << " log: " << text.str());
  }
  uint64_t height(std::size_t i) {
    auto s = status(i);
    return s ? (*s)["height"].get<uint64_t>() : 0;
  }
  // Waits until every node but `proposer` has told etcd it applied `height` (a follower does
  // about once a second; the proposer prunes the blocks below the lowest).
  bool reported(std::size_t proposer, uint64_t height, double seconds = 15) {
    node::EtcdClient etcd(c.etcd_urls(), c.client_tls());
    return eventually(seconds, [&] {
      auto applied = etcd.range(key("applied/"), key("applied0"), 100);
      if (!applied.ok()) return false;
      std::map<std::string, uint64_t> by_key;
      for (const auto& kv : *applied)
        by_key[kv.key] = std::strtoull(kv.value.c_str(), nullptr, 10);
      for (std::size_t i = 0; i < c.nodes.size(); ++i)
        if (i != proposer && by_key[key("applied/" + c.nodes[i].name)] < height) return false;
      return true;
    });
  }
};

// Grants from a few senders, sent round-robin to `urls` with wait; the committed hashes, and
// waits for more of them.
struct Load {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable more;
  std::vector<std::string> committed;
  std::vector<std::thread> threads;

  Load(const std::vector<std::string>& urls, const node::Identity& registry, int senders) {
    for (int s = 0; s < senders; ++s)
      threads.emplace_back([this, urls, registry, s] {
        node::KeyPair key = new_key();
        std::size_t turn = static_cast<std::size_t>(s);
        while (!stop) {
          Client api(urls[turn++ % urls.size()]);
          node::Wallet w(api, key);
          auto tx = w.call_tx(registry, "grant",
                              Json::array({node::hex(w.identity()), 0, permit_for(w.identity())}),
                              10'000'000);
          if (!tx.ok()) continue;
          auto r = w.send(*tx, true);
          if (r.ok() && (*r)["committed"].get<bool>()) {
            std::lock_guard lock(mutex);
            committed.push_back((*r)["hash"]);
            more.notify_all();
          } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
        }
      });
  }
  // Whether `n` more transactions are reported committed within `seconds`.
  bool wait_more(std::size_t n, double seconds = 20) {
    std::unique_lock lock(mutex);
    const std::size_t target = committed.size() + n;
    return more.wait_for(lock, std::chrono::duration<double>(seconds),
                         [&] { return committed.size() >= target; });
  }
  void end() {
    stop = true;
    for (auto& t : threads)
      t.join();
    threads.clear();
  }
  ~Load() { end(); }
};

// Deploys patient_consent through node `i`; once every node has it, its address.
node::Identity deploy_through(Cluster& cl, std::size_t i) {
  Client api(cl.c.nodes[i].url);
  node::Wallet registrar(api, new_key());
  const node::Identity address = deploy_consent(registrar);
  REQUIRE(cl.agree({0, 1, 2}, 1));
  return address;
}

}  // namespace

TEST_CASE("cluster: three nodes agree, and a transaction sent to all three is applied once") {
  Cluster cl(0, 1000, "localhost");  // each node advertises http://localhost:PORT to the others
  auto p = cl.proposer(10);
  REQUIRE(p);
  {
    node::EtcdClient etcd(cl.c.etcd_urls());
    auto who = etcd.get(cl.key("proposer"));
    REQUIRE(who.ok());
    REQUIRE(who->has_value());
    const std::string port = cl.c.nodes[*p].url.substr(cl.c.nodes[*p].url.rfind(':'));
    CHECK((*who)->value == cl.c.nodes[*p].name + "\nhttp://localhost" + port);
  }
  // Deployed through a follower: it forwards to the advertised URL.
  const node::Identity registry = deploy_through(cl, (*p + 1) % 3);
  Client first(cl.c.nodes[0].url);
  node::Wallet alice(first, new_key());
  auto tx = alice.call_tx(
      registry, "grant",
      Json::array({node::hex(alice.identity()), 0, permit_for(alice.identity())}), 10'000'000);
  REQUIRE(tx.ok());
  const std::string body = Json{{"tx", node::hex(tx->encode())}}.dump();
  std::vector<std::thread> senders;
  for (const auto& n : cl.c.nodes)
    senders.emplace_back([url = n.url, body] {
      httplib::Client c(url);
      (void)c.Post("/v1/transactions",
                   signed_headers(tester(), url, "POST", "/v1/transactions", body), body,
                   "application/json");
    });
  for (auto& t : senders)
    t.join();
  REQUIRE(cl.agree({0, 1, 2}, 2));
  for (std::size_t i = 0; i < 3; ++i) {
    Client api(cl.c.nodes[i].url);
    auto count = api.post("/v1/view", {{"contract", node::hex(registry)},
                                       {"method", "provision_count"},
                                       {"args", {node::hex(alice.identity())}}});
    REQUIRE(count.ok());
    CHECK((*count)["result"] == 1);
    CHECK(api.get("/v1/transactions/" + node::hex(tx->hash())).ok());
  }
}

TEST_CASE("cluster: kill -9 the proposer under load; a follower killed and restarted catches up") {
  Cluster cl(1);
  auto first = cl.proposer(10);
  REQUIRE(first);
  const node::Identity registry = deploy_through(cl, *first);
  std::vector<std::string> followers;
  for (std::size_t i = 0; i < 3; ++i)
    if (i != *first) followers.push_back(cl.c.nodes[i].url);
  Load load(followers, registry, 3);
  REQUIRE(load.wait_more(5));  // under the first proposer
  ::kill(cl.c.nodes[*first].pid, SIGKILL);
  waitpid(cl.c.nodes[*first].pid, nullptr, 0);
  const auto killed = Clock::now();
  auto next = cl.proposer(10, *first);
  REQUIRE(next);
  const double takeover = std::chrono::duration<double>(Clock::now() - killed).count();
  MESSAGE("new proposer after " << takeover << " s");
  CHECK(takeover < 5);
  REQUIRE(load.wait_more(5));  // under the next
  // A follower dies too, and comes back once the chain has moved on without it.
  const std::size_t follower = 3 - *first - *next;
  ::kill(cl.c.nodes[follower].pid, SIGKILL);
  waitpid(cl.c.nodes[follower].pid, nullptr, 0);
  const uint64_t left_at = cl.height(*next);
  REQUIRE(eventually(20, [&] { return cl.height(*next) >= left_at + 2; }));
  REQUIRE(cl.c.start_node(follower, cl.config).ok());
  REQUIRE(cl.c.start_node(*first, cl.config).ok());
  REQUIRE(node::wait_for_http(cl.c.nodes[follower].url, "/v1/status", 20));
  REQUIRE(node::wait_for_http(cl.c.nodes[*first].url, "/v1/status", 20));
  REQUIRE(load.wait_more(5));  // and goes on with both back
  load.end();
  MESSAGE(load.committed.size() << " transactions reported committed");
  CHECK(load.committed.size() > 10);
  REQUIRE(cl.agree({0, 1, 2}, 2));
  for (std::size_t i = 0; i < 3; ++i) {
    Client api(cl.c.nodes[i].url);
    for (const auto& h : load.committed)
      CHECK_MESSAGE(api.get("/v1/transactions/" + h).ok(), "node " << i << " lacks " << h);
  }
}

TEST_CASE(
    "cluster: with one etcd member of three down it commits; with two down it stops, "
    "and resumes when one returns") {
  Cluster cl(2);
  auto p = cl.proposer(10);
  REQUIRE(p);
  const node::Identity registry = deploy_through(cl, 0);
  auto commit_one = [&](std::size_t via, int timeout_ms) {
    Client api(cl.c.nodes[via].url);
    node::Wallet w(api, new_key());
    auto tx = w.call_tx(registry, "set_default", Json::array({node::hex(w.identity()), "Permit"}),
                        10'000'000);
    if (!tx.ok()) return false;
    auto r =
        api.post("/v1/transactions",
                 {{"tx", node::hex(tx->encode())}, {"wait", true}, {"timeout_ms", timeout_ms}});
    return r.ok() && (*r)["committed"].get<bool>();
  };
  ::kill(cl.c.members[2].pid, SIGKILL);
  waitpid(cl.c.members[2].pid, nullptr, 0);
  CHECK(commit_one(0, 10'000));
  ::kill(cl.c.members[1].pid, SIGKILL);
  waitpid(cl.c.members[1].pid, nullptr, 0);
  const uint64_t stalled = cl.height(0);
  CHECK_FALSE(commit_one(0, 3'000));
  CHECK(cl.height(0) == stalled);
  REQUIRE(cl.c.start_member(1, cl.config).ok());
  REQUIRE(node::wait_for_http(cl.c.members[1].url, "/health", 20));
  // Once etcd has a quorum again, the cluster commits again (waiting out the old lease). A
  // node that knows no proposer yet refuses at once, so the retries are bounded by time.
  bool resumed = false;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!resumed && Clock::now() < deadline) {
    resumed = commit_one(0, 3'000);
    if (!resumed) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(resumed);
  CHECK(cl.agree({0, 1, 2}, stalled + 1));
}

TEST_CASE("cluster: a proposer paused past its lease is replaced, and follows once resumed") {
  Cluster cl(3);
  auto p = cl.proposer(10);
  REQUIRE(p);
  const node::Identity registry = deploy_through(cl, *p);
  ::kill(cl.c.nodes[*p].pid, SIGSTOP);
  auto next = cl.proposer(15, *p);
  REQUIRE(next);
  Client api(cl.c.nodes[*next].url);
  node::Wallet w(api, new_key());
  auto tx = w.call_tx(registry, "set_default", Json::array({node::hex(w.identity()), "Permit"}),
                      10'000'000);
  REQUIRE(tx.ok());
  auto r = w.send(*tx, true);
  REQUIRE(r.ok());
  CHECK((*r)["committed"].get<bool>());
  ::kill(cl.c.nodes[*p].pid, SIGCONT);
  // Resumed, it cannot append (its compare-and-swap fails) and follows.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  bool follows = false;
  while (!follows && Clock::now() < deadline) {
    auto s = cl.status(*p);
    follows = s && (*s)["role"] == "follower";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(follows);
  CHECK(cl.agree({0, 1, 2}, cl.height(*next)));
}

TEST_CASE("cluster: a replica with tampered state detects the divergence at the next block") {
  Cluster cl(4);
  auto p = cl.proposer(10);
  REQUIRE(p);
  const node::Identity registry = deploy_through(cl, *p);
  Client api(cl.c.nodes[*p].url);
  node::Wallet w(api, new_key());
  auto set_default = [&](const char* decision) {
    auto tx = w.call_tx(registry, "set_default", Json::array({node::hex(w.identity()), decision}),
                        10'000'000);
    REQUIRE(tx.ok());
    auto r = w.send(*tx, true);
    REQUIRE(r.ok());
    CHECK((*r)["receipt"]["ok"] == true);
  };
  set_default("Permit");
  REQUIRE(cl.agree({0, 1, 2}, 2));
  const std::size_t victim = (*p + 1) % 3;
  {
    // Someone edits the running replica's state behind the chain's back (LMDB lets another
    // process write): the sender's nonce.
    auto store =
        store::Store::open(cl.c.nodes[victim].data + "/store", {std::size_t{64} << 30, false});
    REQUIRE(store.ok());
    auto txn = (*store)->begin_write();
    REQUIRE(txn.ok());
    REQUIRE_FALSE(store::put_meta_u64(*txn, (*store)->db(), node::nonce_key(w.identity()), 7));
    REQUIRE_FALSE(txn->commit());
  }
  set_default("Deny");
  // The victim stops executing and exits non-zero; the others go on.
  cl.expect_stopped(victim, "divergence");
  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < 3; ++i)
    if (i != victim) others.push_back(i);
  CHECK(cl.agree(others, 3));
  // Started again, it checks its state against its chain first, and refuses to serve it.
  REQUIRE(cl.c.start_node(victim, cl.config).ok());
  cl.expect_stopped(victim, "does not match its chain");
}

TEST_CASE("cluster: a node joining after etcd dropped old blocks fetches them from a peer") {
  Cluster cl(5, 2);
  auto p = cl.proposer(10);
  REQUIRE(p);
  const node::Identity registry = deploy_through(cl, *p);
  Client api(cl.c.nodes[*p].url);
  node::Wallet w(api, new_key());
  auto commit = [&](int n) {
    for (int i = 0; i < n; ++i) {
      auto tx =
          w.call_tx(registry, "set_default",
                    Json::array({node::hex(w.identity()), i % 2 ? "Permit" : "Deny"}), 10'000'000);
      REQUIRE(tx.ok());
      auto r = w.send(*tx, true);
      REQUIRE(r.ok());
    }
  };
  commit(20);
  REQUIRE(cl.reported(*p, cl.height(*p)));
  commit(5);  // the proposer prunes what every node has
  node::EtcdClient etcd(cl.c.etcd_urls());
  auto first = etcd.get(cl.key("block/00000000000000000001"));
  REQUIRE(first.ok());
  CHECK_FALSE(first->has_value());  // removed: every node had it
  const uint64_t height = cl.height(*p);
  // A fourth node starts from nothing.
  const fs::path dir = fs::path(cl.config.dir) / "node4";
  const int port = cl.config.base_port + 103;
  // A node with another list of proposers than the chain's is refused at its start.
  Output refused =
      shell("timeout 20 " + cl.config.assent + " node --data " +
            (dir.parent_path() / "node5").string() + " --port " + std::to_string(port + 1) +
            " --etcd " + cl.c.etcd_urls()[0] + " --name node5 --chain-id " + cl.c.chain_id +
            " --proposers " + node::hex(new_key().public_key()));
  CHECK(refused.code == 1);
  CHECK(refused.out.find("--proposers differs from the chain's list in etcd") != std::string::npos);
  // Given no list, it adopts the chain's (the nodes wrote it at their start): it is an
  // auditor's replica, not one of the chain's proposers.
  Child late({cl.config.assent, "node", "--data", dir.string(), "--port", std::to_string(port),
              "--etcd", cl.c.etcd_urls()[0], "--name", "node4", "--block-ms", "20", "--chain-id",
              cl.c.chain_id});
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  REQUIRE(node::wait_for_http(url, "/v1/status", 20));
  Client late_api(url);
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  bool caught_up = false;
  while (!caught_up && Clock::now() < deadline) {
    auto s = late_api.get("/v1/status");
    auto ref = cl.status(*p);
    caught_up = s.ok() && ref && (*s)["height"].get<uint64_t>() >= height &&
                (*s)["height"] == (*ref)["height"] && (*s)["state_root"] == (*ref)["state_root"];
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(caught_up);
  // With every proposer gone, it still never proposes: once their lease has ended (etcd has
  // no proposer key), it is watched for as long again.
  for (const auto& n : cl.c.nodes) {
    ::kill(n.pid, SIGKILL);
    waitpid(n.pid, nullptr, 0);
  }
  for (auto& n : cl.c.nodes)
    n.pid = -1;
  const auto lease_deadline = Clock::now() + std::chrono::seconds(15);
  bool lease_ended = false;
  while (!lease_ended && Clock::now() < lease_deadline) {
    auto who = etcd.get(cl.key("proposer"));
    lease_ended = who.ok() && !who->has_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(lease_ended);
  const auto watch_until = Clock::now() + std::chrono::seconds(3);
  bool proposed = false;
  while (!proposed && Clock::now() < watch_until) {
    auto s = late_api.get("/v1/status");
    proposed = s.ok() && (*s)["role"] == "proposer";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK_FALSE(proposed);
  late.end(SIGTERM);
}

TEST_CASE("cluster: every node refuses a block signed by a key that is not a proposer's") {
  Cluster cl(6);
  auto p = cl.proposer(10);
  REQUIRE(p);
  (void)deploy_through(cl, *p);
  const uint64_t height = cl.height(*p);
  // Someone with etcd's ear, but no proposer's key, appends a block that is valid otherwise.
  Client api(cl.c.nodes[*p].url);
  auto raw = api.get("/v1/blocks/" + std::to_string(height) + "/raw");
  REQUIRE(raw.ok());
  auto bytes = parse_hex((*raw)["block"].get<std::string>());
  REQUIRE(bytes.ok());
  auto head = node::Block::decode(*bytes);
  REQUIRE(head.ok());
  const node::KeyPair outsider = new_key();
  node::Block forged;
  forged.header.height = height + 1;
  forged.header.previous = head->header.hash();
  forged.header.time = head->header.time + 1;
  forged.header.tx_root = node::tx_merkle_root({});
  forged.header.state_root = head->header.state_root;
  forged.header.proposer = outsider.public_key();
  forged.header.signature = outsider.sign(forged.header.hash());
  const node::Bytes encoded = forged.encode();
  char block_key[64];
  std::snprintf(block_key, sizeof block_key, "block/%020llu",
                static_cast<unsigned long long>(height + 1));
  const std::string key = cl.key(block_key);
  node::EtcdClient etcd(cl.c.etcd_urls());
  auto appended = etcd.txn({{cl.key("head"), std::to_string(height), std::nullopt}},
                           {{cl.key("head"), std::to_string(height + 1), 0},
                            {key, std::string(encoded.begin(), encoded.end()), 0}});
  REQUIRE(appended.ok());
  REQUIRE(appended->has_value());
  // Every node stops rather than apply it, and says why.
  for (std::size_t i = 0; i < cl.c.nodes.size(); ++i) {
    cl.expect_stopped(i, "is not one of the chain's proposers");
    const auto& n = cl.c.nodes[i];
    auto store = store::Store::open(n.data + "/store", {std::size_t{64} << 30, false});
    REQUIRE(store.ok());
    auto read = (*store)->begin_read();
    REQUIRE(read.ok());
    CHECK(store::meta_u64(*read, (*store)->db(), "head").value() == height);
  }
}

TEST_CASE("cluster: a list of proposers written later binds nodes that started without one") {
  Cluster cl(7, 1000, {}, false);  // no node is given --proposers
  auto p = cl.proposer(10);
  REQUIRE(p);
  (void)deploy_through(cl, *p);
  // The consortium pins the two other nodes' keys: the proposer is not on the list.
  std::string listed;
  std::set<std::string> others;
  for (std::size_t i = 0; i < 3; ++i)
    if (i != *p) others.insert(cl.c.proposers[i]);
  // Written by hand, as an operator might: upper case, in no particular order.
  for (auto it = others.rbegin(); it != others.rend(); ++it) {
    std::string upper = *it;
    for (char& ch : upper)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    listed += (listed.empty() ? "" : ",") + upper;
  }
  node::EtcdClient etcd(cl.c.etcd_urls());
  auto put =
      etcd.txn({{cl.key("proposers"), std::nullopt, false}}, {{cl.key("proposers"), listed, 0}});
  REQUIRE(put.ok());
  REQUIRE(put->has_value());
  // It steps down, a listed node takes over, and every node applies what it commits.
  auto next = cl.proposer(15, *p);
  REQUIRE(next);
  CHECK(cl.c.proposers[*next] != cl.c.proposers[*p]);
  Client api(cl.c.nodes[*p].url);  // sent to the former proposer: forwarded
  node::Wallet w(api, new_key());
  const node::Identity registry = [&] {
    Client first(cl.c.nodes[*next].url);
    node::Wallet registrar(first, new_key());
    return deploy_consent(registrar);
  }();
  REQUIRE(cl.agree({0, 1, 2}, cl.height(*next)));  // the former proposer applied the deploy
  auto tx = w.call_tx(registry, "set_default", Json::array({node::hex(w.identity()), "Permit"}),
                      10'000'000);
  REQUIRE(tx.ok());
  // As a client does, it tries again while the node answers "try again shortly" (503).
  auto r = w.send(*tx, true);
  for (int i = 0; i < 20 && !r.ok() && r.error().status == 503; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    r = w.send(*tx, true);
  }
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  CHECK((*r)["committed"].get<bool>());
  CHECK(cl.agree({0, 1, 2}, cl.height(*next)));
  // The former proposer never takes the key again.
  for (int i = 0; i < 20; ++i) {
    auto s = cl.status(*p);
    REQUIRE(s);
    CHECK((*s)["role"] == "follower");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST_CASE("cluster --tls: forwarding, block fetching and etcd over TLS, each verified") {
  Cluster cl(8, 2, {}, true, true);  // etcd keeps 2 blocks below the slowest node
  CHECK(cl.c.nodes[0].url.starts_with("https://127.0.0.1:"));
  CHECK(cl.c.members[0].url.starts_with("https://127.0.0.1:"));
  const node::ClientTls tls = cl.c.client_tls();
  auto p = cl.proposer(20);
  REQUIRE(p);
  // Through a follower: the transactions go to the proposer over HTTPS, verified.
  const std::size_t follower = (*p + 1) % 3;
  Client api(cl.c.nodes[follower].url, tls);
  node::Wallet registrar(api, new_key());
  const node::Identity registry = deploy_consent(registrar);
  node::Wallet w(api, new_key());
  for (int i = 0; i < 12; ++i) {
    auto tx =
        w.call_tx(registry, "set_default",
                  Json::array({node::hex(w.identity()), i % 2 ? "Permit" : "Deny"}), 10'000'000);
    REQUIRE(tx.ok());
    auto r = w.send(*tx, true);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().describe()));
  }
  REQUIRE(cl.agree({0, 1, 2}, cl.height(*p)));
  // etcd asks for a client certificate the cluster's CA signed: without one, nothing.
  node::EtcdClient stranger(cl.c.etcd_urls(), {tls.ca_file, {}, {}});
  CHECK_FALSE(stranger.get(cl.key("head")).ok());
  node::EtcdClient member(cl.c.etcd_urls(), tls);
  CHECK(member.get(cl.key("head")).ok());
  REQUIRE(cl.reported(*p, cl.height(*p)));
  auto pruned = member.get(cl.key("block/00000000000000000001"));
  REQUIRE(pruned.ok());
  CHECK_FALSE(pruned->has_value());

  // A node joining late fetches the pruned blocks from the proposer over HTTPS; another
  // that trusts another CA for its peers cannot forward to the proposer, and says why.
  auto other = node::ensure_local_tls(cl.config.dir + "/other-ca", {"x"});
  REQUIRE(other.ok());
  const std::string tls_dir = cl.c.tls_dir;
  auto start = [&](const std::string& name, int port, const std::string& peer_ca) {
    return std::make_unique<Child>(
        std::vector<std::string>{cl.config.assent, "node",
                                 "--data",         cl.config.dir + "/" + name,
                                 "--port",         std::to_string(port),
                                 "--etcd",         cl.c.etcd_urls()[0],
                                 "--name",         name,
                                 "--block-ms",     "20",
                                 "--chain-id",     cl.c.chain_id,
                                 "--tls-cert",     tls_dir + "/client.pem",
                                 "--tls-key",      tls_dir + "/client-key.pem",
                                 "--peer-ca",      peer_ca,
                                 "--etcd-ca",      tls.ca_file,
                                 "--etcd-cert",    tls.cert_file,
                                 "--etcd-key",     tls.key_file});
  };
  const int port = cl.config.base_port + 103;
  auto late = start("node4", port, tls.ca_file);
  const std::string url = "https://127.0.0.1:" + std::to_string(port);
  REQUIRE(node::wait_for_http(url, "/v1/status", 20, tls));
  Client late_api(url, tls);
  CHECK(eventually(20, [&] {
    auto s = late_api.get("/v1/status");
    auto ref = cl.status(*p);
    return s.ok() && ref && (*s)["height"] == (*ref)["height"] &&
           (*s)["state_root"] == (*ref)["state_root"];
  }));
  auto wrong = start("node5", port + 1, other->ca_file);
  const std::string wrong_url = "https://127.0.0.1:" + std::to_string(port + 1);
  REQUIRE(node::wait_for_http(wrong_url, "/v1/status", 20, tls));
  Client wrong_api(wrong_url, tls);
  node::Wallet stray(wrong_api, new_key());
  // A deploy (it names no contract this node, still at height 0, would not know).
  auto module = compiler::compile("c.assent", "contract C { view f() -> u64 { return 1; } }");
  REQUIRE_MESSAGE(module.ok, module.diagnostics);
  auto tx = stray.deploy_tx(module.bytes, Json::array(), 10'000'000);
  REQUIRE(tx.ok());
  auto refused = stray.send(*tx, false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "proposer_unreachable");
  CHECK_MESSAGE(refused.error().message.find("certificate does not verify") != std::string::npos,
                refused.error().describe());
}
