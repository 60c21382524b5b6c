// Kill -9 a node under load and restart it, three times: every transaction whose receipt was
// reported committed is there after the restart, none is applied twice (each grant adds one
// provision: the count equals the sender's committed nonces), and the state tree's root is
// the head block's.
#include <atomic>
#include <random>
#include <thread>

#include "node/chain/chain.hpp"
#include "tests/node/node_fixture.hpp"
#include "tests/support/shell.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

// `assent node` on any free port, its API's URL read from what it prints.
struct NodeProcess {
  Child child;
  std::string url;

  explicit NodeProcess(const fs::path& dir)
      : child({std::string(ASSENT_BIN_DIR) + "/assent", "node", "--data", dir.string(), "--port",
               "0", "--block-ms", "20"}) {
    const std::string text = child.read_until("\n");
    const auto at = text.find("API http://");
    REQUIRE_MESSAGE(at != std::string::npos, "the node did not start: " << text);
    url = text.substr(at + 4, text.find('\n', at) - at - 4);
  }
  void kill9() { child.end(SIGKILL); }
};

}  // namespace

TEST_CASE("crash: kill -9 under load loses no committed transaction and applies none twice") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-node-crash-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::KeyPair registrar_key = new_key();
  constexpr int kSenders = 4;
  std::vector<node::KeyPair> keys;
  for (int i = 0; i < kSenders; ++i)
    keys.push_back(new_key());
  std::vector<std::string> committed;  // hashes reported committed, over all runs
  std::mutex mutex;
  node::Identity registry{};
  std::mt19937 rng(7);

  for (int cycle = 0; cycle < 3; ++cycle) {
    NodeProcess node_process(dir);
    node::ApiClient api(node_process.url);
    api.sign_with(registrar_key);
    if (cycle == 0) {
      node::Wallet registrar(api, registrar_key);
      registry = deploy_consent(registrar);
    }
    // Every hash reported committed so far survived the crashes.
    for (const auto& h : committed) {
      auto got = api.get("/v1/transactions/" + h);
      CHECK_MESSAGE(got.ok(), "lost " << h);
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> load;
    for (int i = 0; i < kSenders; ++i)
      load.emplace_back([&, i] {
        node::ApiClient client(node_process.url);
        client.sign_with(keys[i]);
        node::Wallet w(client, keys[i]);
        while (!stop) {
          auto tx = w.call_tx(registry, "grant",
                              Json::array({node::hex(w.identity()), 0, permit_for(w.identity())}),
                              10'000'000);
          if (!tx.ok()) return;
          auto r = w.send(*tx, true);
          if (!r.ok()) return;  // the node is gone
          if ((*r)["committed"].get<bool>()) {
            std::lock_guard lock(mutex);
            committed.push_back((*r)["hash"]);
          }
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 500));
    node_process.kill9();
    stop = true;
    for (auto& t : load)
      t.join();
  }

  // After the last restart: each sender's provisions equal its committed transactions.
  NodeProcess final_run(dir);
  node::ApiClient api(final_run.url);
  api.sign_with(registrar_key);
  for (const auto& h : committed)
    CHECK_MESSAGE(api.get("/v1/transactions/" + h).ok(), "lost " << h);
  uint64_t total = 0;
  for (const auto& k : keys) {
    auto account = api.get("/v1/accounts/" + node::hex(k.public_key()));
    REQUIRE(account.ok());
    auto count = api.post("/v1/view", {{"contract", node::hex(registry)},
                                       {"method", "provision_count"},
                                       {"args", {node::hex(k.public_key())}}});
    REQUIRE(count.ok());
    CHECK((*count)["result"] == (*account)["next_nonce"]);
    total += (*account)["next_nonce"].get<uint64_t>();
  }
  CHECK(total >= committed.size());
  MESSAGE("committed " << committed.size() << " reported, " << total << " in the chain");
  final_run.kill9();

  // The state tree's root at the head is the one the head block carries.
  {
    auto store = store::Store::open((dir / "store").string(), {std::size_t{1} << 30, false});
    REQUIRE(store.ok());
    node::Executor exec(**store);
    node::Chain chain(**store, exec, {}, new_key());
    auto read = (*store)->begin_read();
    REQUIRE(read.ok());
    auto read_head = chain.head(*read);
    REQUIRE(read_head.ok());
    const node::Head head = *read_head;
    CHECK((*store)->tree().root(*read, head.height)->hash == head.state_root);
  }
  fs::remove_all(dir);
}
