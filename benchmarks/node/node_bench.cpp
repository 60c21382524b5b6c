// The node under load, on this machine, load generator included: consent grants signed ahead
// of time and submitted over HTTP on loopback.
//   1. Throughput: committed grants per second, against the same grants executed and
//      committed in process (no HTTP, no signatures, no queue): the ratio is the node's cost.
//   2. Latency: p50/p99 from submit to receipt at a fixed offered load (1,000 per second).
//   3. Views: `decide` queries per second over HTTP, against the same view in process; and
//      authentication's cost: views signed (RFC 9421) and with a bearer token, as ratios to
//      unsigned views on the same node with authentication off, in the same run.
//   4. Status under slow connections and waiting clients.
//   5. TLS: committed grants/s and views/s over HTTPS (TLS 1.3, ECDSA P-256 certificates made
//      for the run), against the same over plain HTTP, measured side by side (views with a
//      bearer token, grants signed, as clients of a node with authentication on do).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "http_load.hpp"
#include "node/api/json_views.hpp"
#include "node/api/token_client.hpp"
#include "node/api/wallet.hpp"
#include "node/node.hpp"
#include "node/tls/certificates.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signed_http.hpp"
#include "vm/hex.hpp"

using namespace assent;
namespace fs = std::filesystem;
using node::Json;

namespace {

constexpr int kSenders = 200;
constexpr int kClients = 8;

struct Bench {
  fs::path dir;
  std::unique_ptr<node::Node> node;
  std::unique_ptr<node::ApiClient> api;
  std::vector<node::KeyPair> keys;
  node::Identity registry{};
  std::vector<uint8_t> module;
  std::vector<uint64_t> next_nonce;
  node::ClientTls tls;  // whom clients trust: the run's CA when it serves HTTPS

  // Who the load generator's requests are from: the node serves authenticated requests only
  // (and gives this client tokens).
  node::KeyPair client = std::move(node::KeyPair::generate()).value();
  std::string token;  // a bearer token of `client`'s, once the node runs (views send it)

  // `https`: the API serves TLS with a certificate made for the run.
  explicit Bench(int block_ms, bool require_auth = true, bool https = false) {
    dir = fs::temp_directory_path() / ("assent-node-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    node::NodeConfig config;
    config.data_dir = (dir / "node").string();
    config.api.port = 0;
    config.api.require_auth = require_auth;
    node::auth::ClientList clients;
    clients.add(client.public_key(), {"bench", 0});
    config.api.clients = clients.registry();
    config.solo.interval = std::chrono::milliseconds(block_ms);
    config.solo.max_txs = 5000;
    if (https) {
      auto local = node::ensure_local_tls((dir / "tls").string(), {"node"});
      if (!local.ok()) throw std::runtime_error(local.error().message());
      config.api.tls = local->server("node");
      tls = local->trust();
    }
    node = std::move(node::Node::open(config)).value();
    std::string error;
    if (!node->start(error)) throw std::runtime_error(error);
    api = std::make_unique<node::ApiClient>(node->url(), tls);
    api->sign_with(client);
    if (require_auth) {
      node::ApiClient anonymous(node->url(), tls);
      auto t = node::request_token(anonymous, client);
      if (!t.ok()) throw std::runtime_error("no token: " + t.error().describe());
      token = *t;
    }
    std::ifstream in(fs::path(ASSENT_SOURCE_DIR) / "contracts/patient_consent.assent");
    std::stringstream ss;
    ss << in.rdbuf();
    auto c = compiler::compile("patient_consent.assent", ss.str());
    if (!c.ok) throw std::runtime_error("patient_consent.assent:\n" + c.diagnostics);
    module = c.bytes;
    node::Wallet registrar(*api, std::move(node::KeyPair::generate()).value());
    auto tx = registrar.deploy_tx(module, Json::array(), 10'000'000);
    auto r = registrar.send(*tx, true);
    if (!r.ok() || !(*r)["receipt"]["ok"].get<bool>()) throw std::runtime_error("deploy failed");
    auto address = parse_hex((*r)["receipt"]["contract"].get<std::string>());
    std::copy(address->begin(), address->end(), registry.begin());
    for (int i = 0; i < kSenders; ++i)
      keys.push_back(std::move(node::KeyPair::generate()).value());
    next_nonce.assign(kSenders, 0);
  }
  ~Bench() {
    node.reset();
    fs::remove_all(dir);
  }

  // A signed grant from sender `s` (its own directive), as the API's JSON body.
  std::string grant_body(int s, bool wait) {
    static const vm::Module m = std::move(vm::read_module(module)).value();
    return bench::grant_body(m, registry, node->chain().config().chain_id, keys[s], next_nonce[s]++,
                             wait);
  }

  uint64_t committed_total() {
    auto read = node->chain().store().begin_read();
    uint64_t total = 0;
    for (const auto& k : keys)
      total += node->chain().next_nonce(*read, k.public_key()).value();
    return total;
  }
};

// Fails with what went wrong, after the table so far.
int report_failure(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  return 1;
}

// Committed grants per second: `per_sender` grants from each sender, submitted from
// kClients threads, until every accepted one is committed; `refused` those not accepted.
// Negative (said on stderr) when they do not commit.
double grants_per_second(Bench& b, int per_sender, int& refused) {
  std::vector<std::vector<std::string>> bodies(kClients);
  for (int round = 0; round < per_sender; ++round)
    for (int s = 0; s < kSenders; ++s)
      bodies[s % kClients].push_back(b.grant_body(s, false));
  const uint64_t total = static_cast<uint64_t>(kSenders) * per_sender;
  const auto start = std::chrono::steady_clock::now();
  refused = bench::submit_all({b.node->url()}, bodies, b.client, b.tls);
  if (static_cast<uint64_t>(refused) == total)
    return report_failure("the node refused every grant"), -1;
  const auto deadline = start + std::chrono::seconds(bench::pick(300, 30));
  uint64_t committed = 0;
  while ((committed = b.committed_total()) < total - refused) {
    if (std::chrono::steady_clock::now() > deadline)
      return report_failure(std::to_string(committed) + " of the " +
                            std::to_string(total - refused) +
                            " accepted grants committed before the deadline"),
             -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return (total - refused) / seconds;
}

// The `decide` view's body for POST /v1/view.
std::string decide_body(const Bench& b) {
  return Json{{"contract", node::hex(b.registry)},
              {"method", "decide"},
              {"args",
               {node::hex(b.keys[0].public_key()), node::hex(b.keys[1].public_key()), "Access",
                "LabResult", "TREAT"}}}
      .dump();
}

struct ViewCounts {
  uint64_t served = 0, turned_away = 0, failed = 0;
  double rate = 0;  // served per second
};

// `decide` views from kClients threads for `ms` milliseconds, each on a connection it opened
// (and, over TLS, handshook) before the clock starts. Views the node turns away for load
// (429 too_many_requests, 503 busy) are counted apart; any other answer, or none, fails.
ViewCounts views_per_second(const Bench& b, int ms) {
  const std::string body = decide_body(b);
  const httplib::Headers auth{{"Authorization", "Bearer " + b.token}};
  std::atomic<uint64_t> served{0}, turned_away{0}, failed{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false}, stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&] {
      auto client = node::make_http_client(b.node->url(), b.tls);
      httplib::Client& http = *client;
      http.set_keep_alive(true);
      http.set_tcp_nodelay(true);
      if (!http.Get("/v1/status")) ++failed;
      ++ready;
      while (!go)
        std::this_thread::yield();
      while (!stop) {
        auto r = http.Post("/v1/view", auth, body, "application/json");
        if (r && r->status == 200)
          ++served;
        else if (r && (r->status == 429 || r->status == 503))
          ++turned_away;
        else
          ++failed;
      }
    });
  while (ready < kClients)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto start = std::chrono::steady_clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  stop = true;
  for (auto& t : clients)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {served, turned_away, failed, served / seconds};
}

// 5. TLS: the same grants and views over HTTPS and over plain HTTP, side by side: rounds of
// one of each, the order alternating, so that what else the machine runs weighs on both
// alike; each ratio is the median of the rounds' ratios. The process's CPU time per request
// (load generator included: both ends of TLS) is steadier than a rate on a busy machine, and
// said beside it.
int tls_comparison() {
  std::printf("\n");
  bench::Table tls({"measure (median of rounds)", "HTTPS", "plain HTTP", "ratio"});
  const int kRounds = bench::pick(5, 1), kPerSender = bench::pick(25, 2),
            kViewMs = bench::pick(1000, 300);
  std::vector<double> grants[2], views[2], grant_cpu[2], view_cpu[2], grant_ratio, view_ratio,
      grant_cpu_ratio, view_cpu_ratio;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < 2; ++i) {
      const int https = (round + i) % 2;
      const char* what = https ? "HTTPS" : "HTTP";
      {
        Bench b(50, true, https == 1);
        int refused = 0;
        const double cpu0 = bench::process_cpu_seconds();
        const double rate = grants_per_second(b, kPerSender, refused);
        if (rate < 0) return 1;
        if (refused > 0)
          return report_failure(std::to_string(refused) + " grants refused over " + what);
        grants[https].push_back(rate);
        grant_cpu[https].push_back((bench::process_cpu_seconds() - cpu0) * 1e6 /
                                   (kSenders * kPerSender));
      }
      Bench b(50, true, https == 1);
      const double cpu0 = bench::process_cpu_seconds();
      const ViewCounts v = views_per_second(b, kViewMs);
      if (v.failed > 0 || v.served == 0)
        return report_failure(std::to_string(v.failed) + " views over " + what + " failed");
      views[https].push_back(v.rate);
      view_cpu[https].push_back((bench::process_cpu_seconds() - cpu0) * 1e6 / v.served);
    }
    grant_ratio.push_back(grants[1].back() / grants[0].back());
    view_ratio.push_back(views[1].back() / views[0].back());
    grant_cpu_ratio.push_back(grant_cpu[1].back() / grant_cpu[0].back());
    view_cpu_ratio.push_back(view_cpu[1].back() / view_cpu[0].back());
  }
  auto median = [](std::vector<double> v) { return bench::percentile(std::move(v), 0.5); };
  tls.row({"committed grants/s (" + std::to_string(kSenders * kPerSender) + " a round, " +
               std::to_string(kRounds) + " rounds)",
           bench::fmt("%.0f", median(grants[1])), bench::fmt("%.0f", median(grants[0])),
           bench::fmt("%.2f", median(grant_ratio))});
  tls.row({"decide views/s", bench::fmt("%.0f", median(views[1])),
           bench::fmt("%.0f", median(views[0])), bench::fmt("%.2f", median(view_ratio))});
  tls.row({"CPU per committed grant (both ends)", bench::fmt("%.0f us", median(grant_cpu[1])),
           bench::fmt("%.0f us", median(grant_cpu[0])),
           bench::fmt("%.2f", median(grant_cpu_ratio))});
  tls.row({"CPU per view (both ends)", bench::fmt("%.0f us", median(view_cpu[1])),
           bench::fmt("%.0f us", median(view_cpu[0])), bench::fmt("%.2f", median(view_cpu_ratio))});
  return 0;
}

int run() {
  std::printf(
      "The node on loopback (solo orderer, fsync per block), %d senders, %d client "
      "threads\n\n",
      kSenders, kClients);
  // ASSENT_NODE_BENCH_TLS_ONLY=1: section 5 alone (about a minute).
  if (std::getenv("ASSENT_NODE_BENCH_TLS_ONLY") != nullptr) return tls_comparison();
  bench::Table table({"measure", "node over HTTP", "in process", "ratio"});
  // 1. Throughput.
  {
    Bench b(50);
    const int kPerSender = bench::pick(100, 2);
    const uint64_t total = static_cast<uint64_t>(kSenders) * kPerSender;
    int refused = 0;
    const double node_rate = grants_per_second(b, kPerSender, refused);
    if (node_rate < 0) return 1;

    // The same grants, executed and committed in process in blocks of 1,500 (about 40 M of
    // the block's 50 M gas: a grant uses about 26,500 with its base gas).
    Bench direct(50);
    std::vector<node::Transaction> txs;
    for (int round = 0; round < kPerSender; ++round)
      for (int s = 0; s < kSenders; ++s)
        txs.push_back(
            std::move(node::Transaction::decode(*parse_hex(
                          Json::parse(direct.grant_body(s, false))["tx"].get<std::string>())))
                .value());
    const auto d0 = std::chrono::steady_clock::now();
    constexpr std::size_t kBlock = 1500;
    for (std::size_t i = 0; i < txs.size(); i += kBlock) {
      std::vector<node::Transaction> part(txs.begin() + i,
                                          txs.begin() + std::min(txs.size(), i + kBlock));
      auto block = direct.node->chain().commit_block(part, 1'800'000'000);
      // Every grant must run: one out of its declared gas would be counted all the same.
      if (!block.ok() || block->receipts.size() != part.size() ||
          !block->receipts.back().receipt.ok()) {
        std::fprintf(
            stderr, "a block of grants did not commit whole (gas used by the first: %llu): %s\n",
            block.ok() && !block->receipts.empty()
                ? static_cast<unsigned long long>(block->receipts[0].receipt.gas_used)
                : 0ULL,
            block.ok() ? block->receipts.back().receipt.describe().c_str() : block.error().c_str());
        return 1;
      }
    }
    const double direct_rate =
        txs.size() / std::chrono::duration<double>(std::chrono::steady_clock::now() - d0).count();
    table.row({"committed grants/s (" + std::to_string(total) + ", " + std::to_string(refused) +
                   " refused)",
               bench::fmt("%.0f", node_rate), bench::fmt("%.0f", direct_rate),
               bench::fmt("%.2f", node_rate / direct_rate)});
  }

  // 2. Latency at 1,000 submissions per second for 5 seconds (open loop, wait for receipts).
  {
    Bench b(10);
    const int kRate = bench::pick(1000, 200), kSeconds = bench::pick(5, 1),
              kThreads = bench::pick(50, 10);
    std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(kThreads));
    for (int i = 0; i < kRate * kSeconds; ++i)
      bodies[static_cast<std::size_t>(i % kThreads)].push_back(b.grant_body(i % kSenders, true));
    const std::vector<double> all =
        bench::open_loop_latencies({b.node->url()}, bodies, kRate, b.client);
    const std::string rate = bench::fmt("%.0f/s", kRate);
    table.row({"commit latency p50 at " + rate + " (" + std::to_string(all.size()) + " receipts)",
               bench::fmt("%.1f ms", bench::percentile(all, 0.50)), "", ""});
    table.row({"commit latency p99 at " + rate, bench::fmt("%.1f ms", bench::percentile(all, 0.99)),
               "", ""});
    if (all.size() < static_cast<std::size_t>(kRate * kSeconds))
      return report_failure(std::to_string(kRate * kSeconds - static_cast<int>(all.size())) +
                            " of " + std::to_string(kRate * kSeconds) + " grants sent at " + rate +
                            " got no receipt");
  }

  // 3. Views, unsigned on a node with authentication off, then signed and with a bearer token
  // (authentication on): each client sends its share, as fast as answers come. Signatures
  // are made before the clock starts (each is good for 60 s, and once), so that what is
  // measured is the node's cost, not the load generator's.
  {
    Bench b(50, /*require_auth=*/false);
    const std::string body = Json{
        {"contract", node::hex(b.registry)},
        {"method", "decide"},
        {"args",
         {node::hex(b.keys[0].public_key()), node::hex(b.keys[1].public_key()), "Access",
          "LabResult", "TREAT"}}}.dump();
    const int per_client = bench::pick(3000, 100);
    struct Rate {
      double per_second = 0;
      uint64_t turned_away = 0;
    };
    // Views the node turns away for load (429 too_many_requests, 503 busy) are counted apart;
    // any other answer, or none, is a failure.
    auto measure = [&](const std::function<httplib::Headers(int client, int i)>& credentials) {
      std::vector<std::vector<httplib::Headers>> headers(kClients);
      for (int c = 0; c < kClients; ++c)
        for (int i = 0; i < per_client; ++i)
          headers[c].push_back(credentials(c, i));
      std::atomic<uint64_t> served{0}, turned_away{0}, failed{0};
      std::vector<std::thread> clients;
      const auto start = std::chrono::steady_clock::now();
      for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&, c] {
          httplib::Client http(b.node->url());
          http.set_keep_alive(true);
          http.set_tcp_nodelay(true);
          for (const auto& h : headers[c]) {
            auto r = http.Post("/v1/view", h, body, "application/json");
            if (r && r->status == 200)
              ++served;
            else if (r && (r->status == 429 || r->status == 503))
              ++turned_away;
            else
              ++failed;
          }
        });
      for (auto& t : clients)
        t.join();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (failed > 0 || served == 0)
        throw std::runtime_error(std::to_string(failed.load()) + " views over HTTP failed, " +
                                 std::to_string(served.load()) + " answered");
      return Rate{served / seconds, turned_away.load()};
    };
    const Rate unsigned_rate = measure([](int, int) { return httplib::Headers{}; });
    const Rate signed_rate = measure([&](int, int) {
      return testing::signed_headers(b.client, b.node->url(), "POST", "/v1/view", body);
    });
    node::ApiClient anonymous(b.node->url());
    auto token = node::request_token(anonymous, b.client);
    if (!token.ok()) return report_failure("no token: " + token.error().describe());
    const Rate token_rate =
        measure([&](int, int) { return httplib::Headers{{"Authorization", "Bearer " + *token}}; });

    // The same view in process, on one thread.
    auto read = b.node->chain().store().begin_read();
    static const vm::Module m = std::move(vm::read_module(b.module)).value();
    const vm::Export* decide = m.find_export("decide");
    auto args = abi::fields_from_json(decide->params, m.abi, Json::parse(body)["args"]);
    const int n = bench::pick(50'000, 500);
    node::Receipt last;
    const double t = bench::median_seconds(3, [&] {
      for (int i = 0; i < n; ++i)
        last = b.node->chain().executor().view(*read, {2, 1'800'000'000}, {}, b.registry, "decide",
                                               *args, 10'000'000);
    });
    if (!last.ok()) return report_failure("the view in process failed: " + last.describe());
    table.row({"decide views/s, unsigned, auth off (" + std::to_string(unsigned_rate.turned_away) +
                   " turned away)",
               bench::fmt("%.0f", unsigned_rate.per_second), bench::fmt("%.0f", n / t),
               bench::fmt("%.3f", unsigned_rate.per_second / (n / t))});
    // Their ratio is to the unsigned views above, not to the view in process.
    table.row({"decide views/s, signed (RFC 9421); ratio to unsigned (" +
                   std::to_string(signed_rate.turned_away) + " turned away)",
               bench::fmt("%.0f", signed_rate.per_second), "",
               bench::fmt("%.2f", signed_rate.per_second / unsigned_rate.per_second)});
    table.row({"decide views/s, bearer token; ratio to unsigned (" +
                   std::to_string(token_rate.turned_away) + " turned away)",
               bench::fmt("%.0f", token_rate.per_second), "",
               bench::fmt("%.2f", token_rate.per_second / unsigned_rate.per_second)});
  }
  // 4. Status while 500 connections trickle header bytes (from ten addresses) and 200
  // clients wait for receipts that cannot come (a nonce gap): p99 of GET /v1/status, against
  // the same node quiet. A status that fails counts as 1e9 ms in the p99, and fails the run.
  {
    Bench b(10);
    int status_failures = 0;
    auto probe = [&](int n) {
      std::vector<double> ms;
      node::ApiClient api(b.node->url());
      for (int i = 0; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        if (!api.get("/v1/status").ok()) {
          ms.push_back(1e9);
          ++status_failures;
        } else
          ms.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                  .count());
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      return ms;
    };
    const int probes = bench::pick(500, 50), slow_count = bench::pick(500, 50),
              waiting_count = bench::pick(200, 20);
    const std::vector<double> quiet = probe(probes);
    const int port = std::stoi(b.node->url().substr(b.node->url().rfind(':') + 1));
    std::vector<testing::RawConnection> slow, waiting;
    for (int i = 0; i < slow_count; ++i) {
      slow.emplace_back(port, "127.0.0.1" + std::to_string(i % 10));
      slow.back().send("G");
    }
    static const vm::Module m = std::move(vm::read_module(b.module)).value();
    for (int i = 0; i < waiting_count; ++i) {
      // A sender of its own for each, with a gap: the queue holds at most 16 gapped
      // transactions of one.
      const node::KeyPair gapped = std::move(node::KeyPair::generate()).value();
      const std::string body =
          bench::grant_body(m, b.registry, b.node->chain().config().chain_id, gapped, 1, true);
      waiting.emplace_back(port, "127.0.0.2" + std::to_string(i % 4));
      waiting.back().send(
          "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n" +
          testing::signed_header_lines(b.client, "x", "POST", "/v1/transactions", body) + "\r\n" +
          body);
    }
    const std::vector<double> attacked = probe(probes);
    const double p99_quiet = bench::percentile(quiet, 0.99);
    const double p99_attacked = bench::percentile(attacked, 0.99);
    table.row({"status p99 under " + std::to_string(slow_count) + " slow connections and " +
                   std::to_string(waiting_count) + " waiting (quiet beside)",
               bench::fmt("%.2f ms", p99_attacked), bench::fmt("%.2f ms", p99_quiet),
               bench::fmt("%.2f", p99_attacked / p99_quiet)});
    if (status_failures > 0)
      return report_failure(std::to_string(status_failures) + " of " + std::to_string(2 * probes) +
                            " GET /v1/status failed");
  }
  return tls_comparison();
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {  // Bench says what failed by throwing
    return report_failure(e.what());
  }
}
