// Three nodes and three etcd members on this machine (processes, fsync on), load generator
// included: committed consent grants per second and commit latency p50/p99, and the same
// load on one solo node for the ratio.
#include <fcntl.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "http_load.hpp"
#include "node/api/json_views.hpp"
#include "node/api/wallet.hpp"
#include "node/cli/local_cluster.hpp"
#include "vm/hex.hpp"

using namespace assent;
namespace fs = std::filesystem;
using node::Json;

namespace {

constexpr int kSenders = 200, kClients = 8;
const int kPerSender = bench::pick(40, 2);
// The latency load: kRate grants a second for kSeconds, from kThreads threads.
const int kRate = bench::pick(500, 100), kSeconds = bench::pick(4, 1),
          kThreads = bench::pick(25, 5);

struct Figures {
  double rate = 0, p50 = 0, p99 = 0;
};

// Deploys the registry through `urls[0]`, then measures throughput and latency over `urls`.
// Throws, saying what, when the deploy fails or grants do not commit.
Figures measure(const std::vector<std::string>& urls) {
  // The nodes serve signed requests only: the load generator signs as one client.
  const node::KeyPair client = std::move(node::KeyPair::generate()).value();
  node::ApiClient api(urls[0]);
  api.sign_with(client);
  std::ifstream in(fs::path(ASSENT_SOURCE_DIR) / "contracts/patient_consent.assent");
  std::stringstream ss;
  ss << in.rdbuf();
  auto compiled = compiler::compile("patient_consent.assent", ss.str());
  if (!compiled.ok) throw std::runtime_error("patient_consent.assent:\n" + compiled.diagnostics);
  node::Wallet registrar(api, std::move(node::KeyPair::generate()).value());
  auto deploy =
      registrar.send(*registrar.deploy_tx(compiled.bytes, Json::array(), 10'000'000), true);
  if (!deploy.ok() || !(*deploy)["committed"].get<bool>())
    throw std::runtime_error("deploy failed");
  node::Identity registry;
  auto address = parse_hex((*deploy)["receipt"]["contract"].get<std::string>());
  std::copy(address->begin(), address->end(), registry.begin());
  // Every node has the contract before transactions that call it arrive.
  for (const auto& url : urls) {
    node::ApiClient other(url);
    other.sign_with(client);
    for (int i = 0; i < 200 && !other.get("/v1/contracts/" + node::hex(registry)).ok(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::vector<node::KeyPair> keys;
  for (int s = 0; s < kSenders; ++s)
    keys.push_back(std::move(node::KeyPair::generate()).value());
  auto status = api.get("/v1/status");
  const std::string chain_id = (*status)["chain_id"];
  const vm::Module m = std::move(vm::read_module(compiled.bytes)).value();
  std::vector<uint64_t> nonce(kSenders, 0);
  auto body = [&](int s, bool wait) {
    return bench::grant_body(m, registry, chain_id, keys[s], nonce[s]++, wait);
  };
  Figures out;
  {
    // Throughput: every client sends its senders' grants in nonce order, to its node.
    std::vector<std::vector<std::string>> bodies(kClients);
    for (int round = 0; round < kPerSender; ++round)
      for (int s = 0; s < kSenders; ++s)
        bodies[s % kClients].push_back(body(s, false));
    const auto start = std::chrono::steady_clock::now();
    const int refused = bench::submit_all(urls, bodies, client);
    if (refused == kSenders * kPerSender) throw std::runtime_error("every grant was refused");
    // Committed: every sender's next nonce, as the first node sees it.
    const uint64_t want = static_cast<uint64_t>(kSenders) * kPerSender - refused;
    uint64_t have = 0;
    const int tries_left = bench::pick(600, 300);  // 100 ms each
    for (int tries = 0; have < want && tries < tries_left; ++tries) {
      have = 0;
      for (const auto& k : keys)
        if (auto a = api.get("/v1/accounts/" + node::hex(k.public_key())); a.ok())
          have += (*a)["next_nonce"].get<uint64_t>();
      if (have < want) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    out.rate =
        have / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (refused) std::fprintf(stderr, "(%d refused)\n", refused);
    if (have < want)
      throw std::runtime_error(std::to_string(have) + " of the " + std::to_string(want) +
                               " accepted grants committed within " +
                               std::to_string(tries_left / 10) + " s");
  }
  {
    // Latency: kRate grants per second for kSeconds, each waiting for its receipt.
    for (int s = 0; s < kSenders; ++s) {  // resynchronise nonces with the chain
      auto a = api.get("/v1/accounts/" + node::hex(keys[s].public_key()));
      nonce[s] = (*a)["next_nonce"].get<uint64_t>();
    }
    std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(kThreads));
    for (int i = 0; i < kRate * kSeconds; ++i)
      bodies[static_cast<std::size_t>(i % kThreads)].push_back(body(i % kSenders, true));
    const std::vector<double> all = bench::open_loop_latencies(urls, bodies, kRate, client);
    if (all.size() < static_cast<std::size_t>(kRate * kSeconds))
      throw std::runtime_error(std::to_string(kRate * kSeconds - static_cast<int>(all.size())) +
                               " of " + std::to_string(kRate * kSeconds) +
                               " grants sent for the latency got no receipt");
    out.p50 = bench::percentile(all, 0.5);
    out.p99 = bench::percentile(all, 0.99);
  }
  return out;
}

int report_failure(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main() {
  const std::string assent = std::string(ASSENT_BIN_DIR) + "/assent";
  const fs::path root =
      fs::temp_directory_path() / ("assent-cluster-bench-" + std::to_string(::getpid()));
  fs::remove_all(root);
  std::printf(
      "Consent grants over HTTP: three nodes and three etcd members vs one solo node, "
      "all on this machine (%d senders, %d client threads)\n\n",
      kSenders, kClients);
  bench::Table table({"measure", "3-node cluster", "1 solo node", "cluster / solo"});

  Figures solo;
  {
    const int port = node::find_free_base_port(27000, 1) + 100;
    fs::create_directories(root / "solo");
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      execl(assent.c_str(), assent.c_str(), "node", "--data", (root / "solo").c_str(), "--port",
            std::to_string(port).c_str(), "--block-ms", "50", static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid < 0) return report_failure("cannot start " + assent);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    std::string error;
    if (!node::wait_for_http(url, "/v1/status", 20))
      error = "the solo node (" + assent + ") did not answer within 20 s";
    else
      try {
        solo = measure({url});
      } catch (const std::exception& e) {
        error = std::string("the solo node: ") + e.what();
      }
    ::kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    if (!error.empty()) return report_failure(error);
  }
  Figures three;
  {
    node::LocalClusterConfig config;
    config.dir = (root / "cluster").string();
    config.base_port = node::find_free_base_port(28000, 3);
    config.assent = assent;
    auto c = node::cluster_up(config);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.error().c_str());
      return 1;
    }
    std::vector<std::string> urls;
    for (const auto& n : c->nodes)
      urls.push_back(n.url);
    std::string error;
    try {
      three = measure(urls);
    } catch (const std::exception& e) {
      error = std::string("the cluster: ") + e.what() + " (logs in " + config.dir + ")";
    }
    if (!node::cluster_down(*c) && error.empty()) error = "the cluster did not stop";
    if (!error.empty()) return report_failure(error);
  }
  const std::string rate = bench::fmt("%.0f/s", kRate);
  table.row({"committed grants/s", bench::fmt("%.0f", three.rate), bench::fmt("%.0f", solo.rate),
             bench::fmt("%.2f", three.rate / solo.rate)});
  table.row({"commit latency p50 at " + rate, bench::fmt("%.1f ms", three.p50),
             bench::fmt("%.1f ms", solo.p50), bench::fmt("%.2f", three.p50 / solo.p50)});
  table.row({"commit latency p99 at " + rate, bench::fmt("%.1f ms", three.p99),
             bench::fmt("%.1f ms", solo.p99), bench::fmt("%.2f", three.p99 / solo.p99)});
  fs::remove_all(root);
  return 0;
}
