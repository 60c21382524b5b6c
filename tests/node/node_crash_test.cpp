// Kill -9 a node under load and restart it, three times: every transaction whose receipt was
// reported committed is there after the restart, none is applied twice (each grant adds one
// provision: the count equals the sender's committed nonces), and the state tree's root is
// the head block's.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <random>
#include <thread>

#include "node/chain/chain.hpp"
#include "node_fixture.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

struct NodeProcess {
  pid_t pid = -1;
  FILE* out = nullptr;
  std::string url;

  NodeProcess(const fs::path& dir) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      const std::string assent = std::string(ASSENT_BIN_DIR) + "/assent";
      execl(assent.c_str(), assent.c_str(), "node", "--data", dir.c_str(), "--port", "0",
            "--block-ms", "20", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
    char line[512];
    while (url.empty() && fgets(line, sizeof line, out) != nullptr) {
      const std::string text = line;
      const auto at = text.find("API http://");
      if (at != std::string::npos) url = text.substr(at + 4, text.find_last_not_of("\n") - at - 3);
    }
    REQUIRE_MESSAGE(!url.empty(), "the node did not start");
  }
  void kill9() {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(out);
    pid = -1;
  }
  ~NodeProcess() {
    if (pid > 0) kill9();
  }
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
    if (cycle == 0) {
      node::Wallet registrar(api, registrar_key);
      auto c = compiler::compile("patient_consent.assent",
                                 read_source("contracts/patient_consent.assent"));
      REQUIRE(c.ok);
      auto tx = registrar.deploy_tx(c.bytes, Json::array(), 50'000'000);
      REQUIRE(tx.ok());
      auto r = registrar.send(*tx, true);
      REQUIRE(r.ok());
      registry = id_of((*r)["receipt"]["contract"]);
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
    const node::Head head = chain.head(*read);
    CHECK((*store)->tree().root(*read, head.height).hash == head.state_root);
  }
  fs::remove_all(dir);
}
