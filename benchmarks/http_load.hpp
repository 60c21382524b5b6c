// Load over HTTP for the node and cluster benchmarks: consent grants to sign, and an
// open-loop sender that measures each request's latency.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "node/api/json_views.hpp"
#include "node/chain/keys.hpp"
#include "node/chain/transaction.hpp"
#include "node/tls/http_client.hpp"
#include "stdlib/abi_codec.hpp"
#include "tests/support/signed_http.hpp"
#include "vm/module.hpp"

namespace assent::bench {

// The programs that load a node over HTTP ignore SIGPIPE, as `assent` does (node/cli/main.cpp):
// httplib's clients write without MSG_NOSIGNAL, and a server may close first.
inline const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

// A provision permitting `actor` to access clinical data for treatment.
inline node::Json permit_for(const node::Identity& actor) {
  return {{"decision", "Permit"},
          {"actor", node::hex(actor)},
          {"anyone", false},
          {"roles", node::Json::array()},
          {"actions", {"Access"}},
          {"categories", {"Clinical"}},
          {"purposes", {"TREAT"}},
          {"from", 0},
          {"until", 0},
          {"data_from", 0},
          {"data_until", 0}};
}

// What a grant declares: it uses about 26,500 (the gas schedule prices each write, and the
// transaction's own bytes, by the bytes stored), so this leaves room. A block holds what its
// gas allows by what the transactions use (rule B1): about 1,900 grants.
inline constexpr uint64_t kGrantGas = 50'000;

// Sender `key`'s grant of its own directive (permit_for itself), signed, as the API's JSON
// body for POST /v1/transactions. `module` is the registry's (patient_consent).
inline std::string grant_body(const vm::Module& module, const node::Identity& registry,
                              const std::string& chain_id, const node::KeyPair& key, uint64_t nonce,
                              bool wait) {
  node::Transaction tx;
  tx.kind = node::TxKind::Call;
  tx.chain_id = chain_id;
  tx.nonce = nonce;
  tx.gas_limit = kGrantGas;
  tx.contract = registry;
  tx.method = "grant";
  const vm::Export* grant = module.find_export("grant");
  tx.args = std::move(abi::fields_from_json(grant->params, module.abi,
                                            node::Json::array({node::hex(key.public_key()), 0,
                                                               permit_for(key.public_key())})))
                .value();
  tx.sign(key);
  return node::Json{{"tx", node::hex(tx.encode())}, {"wait", wait}}.dump();
}

inline double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

// Sends `bodies[c]` from thread c to urls[c % urls.size()] as fast as answers come, without
// waiting for receipts, each request signed by `signer` as it is sent (the node serves signed
// requests only); how many were not accepted (202). https:// URLs trust `tls`.
inline int submit_all(const std::vector<std::string>& urls,
                      const std::vector<std::vector<std::string>>& bodies,
                      const node::KeyPair& signer, const node::ClientTls& tls = {}) {
  std::atomic<int> refused{0};
  std::vector<std::thread> clients;
  for (std::size_t c = 0; c < bodies.size(); ++c)
    clients.emplace_back([&, c] {
      auto client = node::make_http_client(urls[c % urls.size()], tls);
      httplib::Client& http = *client;
      http.set_keep_alive(true);
      http.set_tcp_nodelay(true);
      const std::string& url = urls[c % urls.size()];
      for (const auto& b : bodies[c]) {
        auto r = http.Post("/v1/transactions",
                           testing::signed_headers(signer, url, "POST", "/v1/transactions", b), b,
                           "application/json");
        if (!r || r->status != 202) ++refused;
      }
    });
  for (auto& t : clients)
    t.join();
  return refused;
}

// Sends `bodies[c]` from thread c to urls[c % urls.size()] at `rate` requests per second in
// all (open loop: on schedule, whatever the answers), each POST /v1/transactions waiting
// for its receipt, signed by `signer` when it is sent; the latencies in milliseconds of those
// that committed.
inline std::vector<double> open_loop_latencies(const std::vector<std::string>& urls,
                                               const std::vector<std::vector<std::string>>& bodies,
                                               int rate, const node::KeyPair& signer,
                                               const node::ClientTls& tls = {}) {
  const int threads = static_cast<int>(bodies.size());
  std::vector<std::vector<double>> latencies(bodies.size());
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < threads; ++c)
    clients.emplace_back([&, c] {
      auto client = node::make_http_client(urls[c % urls.size()], tls);
      httplib::Client& http = *client;
      http.set_keep_alive(true);
      http.set_tcp_nodelay(true);
      http.set_read_timeout(30, 0);
      const auto period = std::chrono::microseconds(1'000'000 * threads / rate);
      auto due = start + std::chrono::microseconds(c * 1'000'000 / rate);
      for (const auto& b : bodies[c]) {
        std::this_thread::sleep_until(due);
        const auto t0 = std::chrono::steady_clock::now();
        auto r = http.Post(
            "/v1/transactions",
            testing::signed_headers(signer, urls[c % urls.size()], "POST", "/v1/transactions", b),
            b, "application/json");
        if (r && r->status == 200)
          latencies[c].push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                  .count());
        due += period;
      }
    });
  for (auto& t : clients)
    t.join();
  std::vector<double> all;
  for (auto& l : latencies)
    all.insert(all.end(), l.begin(), l.end());
  return all;
}

}  // namespace assent::bench
