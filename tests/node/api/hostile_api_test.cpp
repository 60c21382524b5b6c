// The API against hostile clients, on a real server on loopback (issue "Robustness", rows 1-6,
// 9 and 10): bytes that are not UTF-8 anywhere, stored events that are not UTF-8, slow and
// idle connections, clients waiting for receipts, connections and views beyond their bounds,
// an event flood, and a revocation during a flood of maximal transactions.
// Clients come from several loopback addresses (127.0.0.X) so that per-address bounds are
// tested as a hospital's network would meet them.
#include <httplib.h>

#include <thread>

#include "tests/node/node_fixture.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signed_http.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

constexpr const char* kHostileContract = R"(
contract Hostile {
    storage {
        zeros: map<u64, u64>;
    }
    event Noted(indexed patient: identity, text: string);

    action note(patient: identity, text: string) {
        emit Noted(patient, text);
    }

    // Row 9: events naming a patient, as many as asked.
    action spam(patient: identity, n: u64) {
        var i: u64 = 0;
        while i < n { emit Noted(patient, "x"); i = i + 1; }
    }

    // Row 6: all the gas it is given, in storage reads.
    action flood() {
        var x: u64 = 0;
        while true { x = x + 1 + zeros[x]; }
    }

    view burn(n: u64) -> u64 {
        var x: u64 = 0;
        while x < n { x = x + 1 + zeros[x]; }  // a read a step: nothing to fold away
        return x;
    }
}
)";

// A node with API limits of the test's choosing, and the hostile contract at hand.
struct HostileNode : TestNode {
  int port = 0;

  HostileNode(const std::string& name, const std::function<void(node::ApiConfig&)>& limits)
      : TestNode(name, 20, limits) {
    port = std::stoi(url.substr(url.rfind(':') + 1));
  }

  node::Identity deploy_hostile(node::Wallet& w) {
    return deploy_source(w, "hostile.assent", kHostileContract);
  }

  // GET /v1/status from 127.0.0.1 answers 200.
  bool status_ok() {
    auto s = api->get("/v1/status");
    return s.ok();
  }
};

// The key these tests' raw requests are signed with: the node serves only signed ones.
const node::KeyPair& signer() {
  static const node::KeyPair key = new_key();
  return key;
}

std::string http_request(const std::string& method, const std::string& target,
                         const std::string& body = "") {
  return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " +
         "application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         signed_header_lines(signer(), "localhost", method, target, body) +
         "Connection: close\r\n\r\n" + body;
}

// One request on a fresh raw connection: the status and the JSON body (null if not JSON).
std::pair<int, Json> raw_exchange(int port, const std::string& request,
                                  const std::string& from = "127.0.0.1") {
  RawConnection c(port, from);
  REQUIRE(c.ok());
  REQUIRE(c.send(request));
  bool closed = false;
  const std::string answer = c.read_all(std::chrono::seconds(10), closed);
  Json body = Json::parse(body_of(answer), nullptr, false);
  return {status_of(answer), body.is_discarded() ? Json() : body};
}

std::string code_of(const Json& answer) {
  return answer.is_object() && answer.contains("error") ? answer["error"].value("code", "") : "";
}

// A signed submit of `tx` as the API's JSON body.
std::string submit_body(const node::Transaction& tx, bool wait, int timeout_ms = 10'000) {
  return Json{{"tx", node::hex(tx.encode())}, {"wait", wait}, {"timeout_ms", timeout_ms}}.dump();
}

}  // namespace

TEST_CASE("hostile: bytes that are not UTF-8 in paths, queries and bodies get a JSON 4xx") {
  HostileNode t("hostile-utf8", [](node::ApiConfig&) {});
  // Row 1: these killed the process (a JSON type_error escaped the handler).
  for (const std::string target :
       {"/%ff", "/v1/accounts/ab%ff", "/v1/blocks/%fe%ff", "/v1/events?identity=%ff%fe",
        "/v1/events?contract=1&name=%ff", "/%c3%28", "/v1/transactions/%80"}) {
    auto [status, body] = raw_exchange(t.port, http_request("GET", target));
    INFO(target);
    CHECK(status >= 400);
    CHECK(status < 500);
    CHECK(body.is_object());  // the echo of the path is JSON, its bad bytes replaced
  }
  // Row 2: a 500 before; the parser's message quotes the bad bytes.
  for (const std::string path : {"/v1/transactions", "/v1/view"}) {
    auto [status, body] =
        raw_exchange(t.port, http_request("POST", path, "{\"tx\": \"\xff\xfe\"}"));
    CHECK(status == 400);
    CHECK(code_of(body) == "bad_json");
  }
  // Methods and bodies no route expects, and a path longer than any route takes.
  CHECK(raw_exchange(t.port, http_request("DELETE", "/v1/status")).first == 405);
  CHECK(raw_exchange(t.port, http_request("GET", "/v1/accounts/" + std::string(5000, 'a'))).first ==
        414);
  CHECK(raw_exchange(t.port, "NOT HTTP AT ALL\r\n\r\n").first == 400);
  CHECK(t.status_ok());
}

TEST_CASE("hostile: a stored event that is not UTF-8 is served, not a 500") {
  HostileNode t("hostile-event", [](node::ApiConfig&) {});
  const node::KeyPair key = new_key();
  node::Wallet w(*t.api, key);
  const node::Identity contract = t.deploy_hostile(w);
  const node::Identity patient = new_key().public_key();
  // Row 3: the ABI has no say over a string's bytes; a client can send any.
  auto tx = w.call_tx(contract, "note", Json::array({node::hex(patient), "ZZ"}), 1'000'000);
  REQUIRE(tx.ok());
  auto at = std::search(tx->args.begin(), tx->args.end(), std::begin("ZZ"), std::begin("ZZ") + 2);
  REQUIRE(at != tx->args.end());
  at[0] = 0xff;
  at[1] = 0xfe;
  tx->sign(key);
  auto sent = t.api->post("/v1/transactions", Json::parse(submit_body(*tx, true)));
  REQUIRE_MESSAGE(sent.ok(), (sent.ok() ? "" : sent.error().describe()));
  REQUIRE((*sent)["committed"].get<bool>());
  CHECK((*sent)["receipt"]["ok"].get<bool>());

  auto events = t.api->get("/v1/events?identity=" + node::hex(patient));
  REQUIRE_MESSAGE(events.ok(), (events.ok() ? "" : events.error().describe()));
  REQUIRE((*events)["events"].size() == 1);
  CHECK((*events)["events"][0]["fields"]["text"] == "\xef\xbf\xbd\xef\xbf\xbd");  // U+FFFD twice
  auto got = t.api->get("/v1/transactions/" + (*sent)["hash"].get<std::string>());
  REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().describe()));
  CHECK((*got)["receipt"]["events"][0]["name"] == "Noted");
}

TEST_CASE("hostile: slow connections and waiting clients do not starve others") {
  HostileNode t("hostile-slow",
                [](node::ApiConfig& c) { c.http.request_timeout = std::chrono::seconds(2); });
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);

  // Row 4: 500 connections, 50 from each of ten addresses, each sending a header byte now
  // and then. Row 5: 200 submits waiting for receipts that cannot come (a nonce gap).
  std::vector<RawConnection> slow;
  for (int i = 0; i < 500; ++i) {
    slow.emplace_back(t.port, "127.0.0.1" + std::to_string(i % 10));
    REQUIRE(slow.back().ok());
    REQUIRE(slow.back().send("G"));
  }
  // (200 senders: the queue holds at most 16 gapped transactions of one.)
  std::vector<RawConnection> waiting;
  for (int i = 0; i < 200; ++i) {
    const node::KeyPair key = new_key();
    node::Wallet gapped(*t.api, key);
    const Json args = Json::array({node::hex(key.public_key()), "x"});
    REQUIRE(gapped.call_tx(contract, "note", args, 1'000'000).ok());  // nonce 0: never sent
    auto tx = gapped.call_tx(contract, "note", args, 1'000'000);
    REQUIRE(tx.ok());
    waiting.emplace_back(t.port, "127.0.0.2" + std::to_string(i % 4));
    REQUIRE(waiting.back().ok());
    REQUIRE(waiting.back().send(
        http_request("POST", "/v1/transactions", submit_body(*tx, true, 8000))));
  }

  // Meanwhile another client is answered, every time, quickly.
  std::vector<double> latencies;
  for (int round = 0; round < 20; ++round) {
    for (auto& s : slow)
      (void)s.send("E");  // a byte every ~100 ms: never a whole request
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(t.status_ok());
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  MESSAGE("status under 500 slow connections and 200 waiters: worst "
          << *std::max_element(latencies.begin(), latencies.end()) << " ms");

  // The slow connections are closed at the request deadline (2 s), whatever they send.
  for (auto& s : slow) {
    bool closed = false;
    (void)s.read_all(std::chrono::seconds(5), closed);
    CHECK(closed);
  }
  auto metrics_text = httplib::Client(t.url).Get("/metrics");
  REQUIRE(metrics_text);
  CHECK(metrics_text->body.find("assent_http_timeouts_total 500") != std::string::npos);
  // The waiters hold no thread; each is answered "not committed" when its time is up.
  for (auto& c : waiting) {
    bool closed = false;
    const std::string answer = c.read_all(std::chrono::seconds(15), closed);
    CHECK(status_of(answer) == 202);
    CHECK(Json::parse(body_of(answer))["committed"] == false);
  }
}

TEST_CASE(
    "hostile: connections beyond the per-address bound are refused; a full server makes room") {
  HostileNode t("hostile-conns", [](node::ApiConfig& c) {
    c.http.max_connections_per_address = 20;
    c.http.max_connections = 30;
  });
  std::vector<RawConnection> held;
  for (int i = 0; i < 20; ++i) {
    held.emplace_back(t.port, "127.0.0.30");
    REQUIRE(held.back().ok());
  }
  // Wait until the server has taken all twenty, then one more from that address is refused.
  for (int i = 0; i < 200; ++i) {
    RawConnection extra(t.port, "127.0.0.30");
    bool closed = false;
    const std::string answer = extra.read_all(std::chrono::milliseconds(200), closed);
    if (status_of(answer) == 503) {
      CHECK(code_of(Json::parse(body_of(answer))) == "too_many_connections");
      CHECK(closed);
      break;
    }
    REQUIRE(i < 199);
  }
  // Every place taken (20 from .30 and 10 from .31, all sending nothing): a new client is
  // still served, because the connection that has waited longest for a request makes room.
  std::vector<RawConnection> more;
  for (int i = 0; i < 10; ++i) {
    more.emplace_back(t.port, "127.0.0.31");
    REQUIRE(more.back().ok());
  }
  // Newcomers from a third address: once the server holds all thirty, each one closes the
  // connection that has waited longest, the first of `held` first.
  std::vector<RawConnection> newcomers;
  bool closed = false;
  for (int i = 0; i < 50 && !closed; ++i) {
    newcomers.emplace_back(t.port, "127.0.0.32");
    (void)held.front().read_all(std::chrono::milliseconds(100), closed);
  }
  CHECK(closed);
  newcomers.clear();
  CHECK(t.status_ok());
  auto metrics = httplib::Client(t.url).Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("assent_http_evicted_total 0") == std::string::npos);
  held.clear();
  more.clear();
  // Closed connections give their places back.
  bool served = false;
  for (int i = 0; i < 200 && !served; ++i) {
    served = t.status_ok();
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(served);
}

TEST_CASE("hostile: waiting for receipts is bounded, and a refused wait queues nothing") {
  HostileNode t("hostile-waiters", [](node::ApiConfig& c) { c.max_waiters = 10; });
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  const node::KeyPair key = new_key();
  node::Wallet gapped(*t.api, key);
  auto first = gapped.call_tx(contract, "note", Json::array({node::hex(key.public_key()), "x"}),
                              1'000'000);  // nonce 0, never sent
  REQUIRE(first.ok());
  std::vector<RawConnection> waiting;
  for (int i = 0; i < 10; ++i) {
    auto tx = gapped.call_tx(contract, "note", Json::array({node::hex(key.public_key()), "x"}),
                             1'000'000);
    REQUIRE(tx.ok());
    waiting.emplace_back(t.port, "127.0.0.40");
    REQUIRE(waiting.back().send(
        http_request("POST", "/v1/transactions", submit_body(*tx, true, 3000))));
  }
  // The eleventh is refused before it is queued.
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    auto status = t.api->get("/v1/status");
    REQUIRE(status.ok());
    if ((*status)["queued"] != 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto tx = gapped.call_tx(contract, "note", Json::array({node::hex(key.public_key()), "x"}),
                             1'000'000);
    REQUIRE(tx.ok());
    auto [code, body] = raw_exchange(
        t.port, http_request("POST", "/v1/transactions", submit_body(*tx, true, 3000)));
    CHECK(code == 503);
    CHECK(code_of(body) == "too_many_waiting");
    refused = true;
  }
  REQUIRE(refused);
  CHECK((*t.api->get("/v1/status"))["queued"] == 10);
  for (auto& c : waiting) {
    bool closed = false;
    CHECK(status_of(c.read_all(std::chrono::seconds(10), closed)) == 202);
  }
}

TEST_CASE("hostile: views running at once from one address are bounded") {
  HostileNode t("hostile-views", [](node::ApiConfig& c) { c.max_pooled_per_address = 2; });
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  const std::string body =
      Json{{"contract", node::hex(contract)}, {"method", "burn"}, {"args", {100'000'000}}}.dump();
  // Row 10: six views at once from one address, each running until it is out of gas.
  bool saw_refusal = false;
  for (int round = 0; round < 5 && !saw_refusal; ++round) {
    std::vector<std::thread> clients;
    std::vector<std::pair<int, Json>> answers(6);
    for (int i = 0; i < 6; ++i)
      clients.emplace_back([&, i] {
        answers[i] = raw_exchange(t.port, http_request("POST", "/v1/view", body), "127.0.0.50");
      });
    for (auto& c : clients)
      c.join();
    for (const auto& [status, answer] : answers) {
      // Out of gas (422) or refused (429): nothing else.
      INFO(status << " " << answer.dump());
      CHECK((status == 422 || status == 429));
      if (status == 429) {
        saw_refusal = true;
        CHECK(code_of(answer) == "too_many_requests");
      }
    }
  }
  CHECK(saw_refusal);
  // Another address is not refused meanwhile.
  CHECK(t.status_ok());
}

TEST_CASE("hostile: one transaction cannot flood a patient's audit trail") {
  HostileNode t("hostile-fill", [](node::ApiConfig&) {});
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  const node::Identity patient = new_key().public_key();

  // Row 9: 200,000 events naming a patient were accepted in one transaction; now it fails at
  // the 1,025th and leaves none.
  auto spam = w.call_tx(contract, "spam", Json::array({node::hex(patient), 200'000}), 10'000'000);
  REQUIRE(spam.ok());
  auto spammed = w.send(*spam, true);
  REQUIRE(spammed.ok());
  CHECK_FALSE((*spammed)["receipt"]["ok"].get<bool>());
  CHECK((*spammed)["receipt"]["message"].get<std::string>().find("1024") != std::string::npos);
  auto events = t.api->get("/v1/events?identity=" + node::hex(patient));
  REQUIRE(events.ok());
  CHECK((*events)["events"].empty());
}

TEST_CASE("hostile: a revocation commits within a few blocks while 100 keys flood the node") {
  HostileNode t("hostile-flood", [](node::ApiConfig&) {});
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  // Row 6: 100 keys, each with 5 transactions that burn all of the most gas one may ask for.
  std::vector<std::unique_ptr<node::Wallet>> flooders;
  for (int k = 0; k < 100; ++k)
    flooders.push_back(std::make_unique<node::Wallet>(*t.api, new_key()));
  for (int n = 0; n < 5; ++n)
    for (auto& f : flooders) {
      auto tx = f->call_tx(contract, "flood", Json::array(), 10'000'000);
      REQUIRE(tx.ok());
      REQUIRE(f->send(*tx, false).ok());
    }
  // The patient's revocation (any small call of a sender the queue has not seen), with the
  // height at which it was sent.
  const node::KeyPair patient = new_key();
  node::Wallet p(*t.api, patient);
  auto revoke = p.call_tx(contract, "note",
                          Json::array({node::hex(patient.public_key()), "revoke"}), 200'000);
  REQUIRE(revoke.ok());
  const uint64_t sent_at = (*t.api->get("/v1/status"))["height"];
  const auto t0 = std::chrono::steady_clock::now();
  auto done = p.send(*revoke, true);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(done.ok());
  REQUIRE((*done)["committed"].get<bool>());
  const uint64_t height = (*done)["receipt"]["height"];
  const uint64_t queued = (*t.api->get("/v1/status"))["queued"];
  MESSAGE("the revocation committed " << height - sent_at << " block(s) after it was sent, " << ms
                                      << " ms, with " << queued << " flood calls queued");
  CHECK(height - sent_at <= 3);
  CHECK(queued > 0);  // the flood was still there
}

TEST_CASE("hostile: JSON bodies too deep or too wide are refused before they cost anything") {
  HostileNode t("hostile-json", [](node::ApiConfig&) {});
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  // 75,000 levels in a view's argument killed the node (the codec's error message dumped the
  // value recursively on a view thread's stack).
  const std::string deep = std::string(75'000, '[') + std::string(75'000, ']');
  auto [status, body] =
      raw_exchange(t.port, http_request("POST", "/v1/view",
                                        "{\"contract\":\"" + node::hex(contract) +
                                            "\",\"method\":\"burn\",\"args\":[" + deep + "]}"));
  CHECK(status == 400);
  CHECK(code_of(body) == "bad_json");
  CHECK(body["error"]["message"].get<std::string>().find("deeper than 64") != std::string::npos);
  // 64 levels are still JSON the node reads (and the codec refuses as an argument).
  const std::string ok_depth = std::string(62, '[') + std::string(62, ']');
  auto [status64, body64] =
      raw_exchange(t.port, http_request("POST", "/v1/view",
                                        "{\"contract\":\"" + node::hex(contract) +
                                            "\",\"method\":\"burn\",\"args\":[" + ok_depth + "]}"));
  CHECK(status64 == 400);
  CHECK(code_of(body64) == "bad_args");
  // 66,000 keys took 4.7 s of a thread to parse (ordered objects insert by a linear search);
  // 40,000 are what a body within its size limit holds here.
  std::string wide = "{";
  for (int i = 0; i < 40'000; ++i)
    wide += "\"k" + std::to_string(i) + "\":0,";
  wide += "\"tx\":\"00\"}";
  auto [wide_status, wide_body] =
      raw_exchange(t.port, http_request("POST", "/v1/transactions", wide));
  CHECK(wide_status == 400);
  CHECK(wide_body["error"]["message"].get<std::string>().find("more than 256 keys") !=
        std::string::npos);
  // Within every limit, 170,000 empty objects took 43 s of a thread (the parser's callback
  // scanned its containers at each object's end); now a linear first pass checks the limits.
  std::string many = "{\"tx\":\"00\",\"x\":[";
  for (int i = 0; i < 170'000; ++i)
    many += i == 0 ? "{}" : ",{}";
  many += "]}";
  const auto t0 = std::chrono::steady_clock::now();
  auto [many_status, many_body] =
      raw_exchange(t.port, http_request("POST", "/v1/transactions", many));
  MESSAGE(
      "170,000 empty objects answered in "
      << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()
      << " ms");
  CHECK(many_status == 400);
  CHECK(code_of(many_body) == "malformed");  // the transaction "00", not the body
  CHECK(t.status_ok());
}

TEST_CASE("hostile: an events query reads a bounded number of index entries") {
  HostileNode t("hostile-scan", [](node::ApiConfig&) {});
  node::Wallet w(*t.api, new_key());
  const node::Identity contract = t.deploy_hostile(w);
  const node::Identity patient = new_key().public_key();
  // 11 transactions of 1,000 events naming the patient: 11,000 index entries.
  for (int i = 0; i < 11; ++i) {
    auto tx = w.call_tx(contract, "spam", Json::array({node::hex(patient), 1000}), 10'000'000);
    REQUIRE(tx.ok());
    auto r = w.send(*tx, true);
    REQUIRE(r.ok());
    REQUIRE((*r)["receipt"]["ok"].get<bool>());
  }
  const std::string base = "/v1/events?identity=" + node::hex(patient) + "&limit=1";
  // Nothing matches a time after every block: the scan stops at 10,000 entries and says
  // where to go on; the next page finishes the index.
  auto first = t.api->get(base + "&from=9999999999");
  REQUIRE(first.ok());
  CHECK((*first)["events"].empty());
  REQUIRE(first->contains("next_after"));
  CHECK((*first)["next_after"] == 10'000);
  auto rest = t.api->get(base + "&from=9999999999&after=10000");
  REQUIRE(rest.ok());
  CHECK((*rest)["events"].empty());
  CHECK_FALSE(rest->contains("next_after"));
  // Events are in time order: a range that ends before them stops at the first.
  auto before = t.api->get(base + "&to=1");
  REQUIRE(before.ok());
  CHECK((*before)["events"].empty());
  CHECK_FALSE(before->contains("next_after"));
}

TEST_CASE("hostile: answers that clients do not read are bounded in bytes") {
  HostileNode t("hostile-unread", [](node::ApiConfig& c) {
    c.http.max_answer_bytes_per_address = 64 * 1024;
    c.http.write_timeout = std::chrono::seconds(2);
    c.http.socket_send_buffer = 8 * 1024;  // so that the kernel does not take the answers
  });
  node::Wallet w(*t.api, new_key());
  const node::Identity registry = deploy_consent(w);
  // The contract's module in hex, well over what the sockets' buffers take.
  auto module = t.api->get("/v1/contracts/" + node::hex(registry));
  REQUIRE(module.ok());
  const std::size_t answer = node::json_text(*module).size();
  REQUIRE(answer > 40 * 1024);
  // Clients from one address that ask and never read: the first answer is held until the
  // write deadline; the next ones find the address's bound taken (503).
  std::vector<RawConnection> readers;
  int busy = 0;
  for (int i = 0; i < 6; ++i) {
    readers.emplace_back(t.port, "127.0.0.60", 4096);
    REQUIRE(readers.back().send(http_request("GET", "/v1/contracts/" + node::hex(registry))));
  }
  for (auto& r : readers) {
    bool closed = false;
    const std::string got = r.read_all(std::chrono::seconds(5), closed);
    if (status_of(got) == 503) {
      ++busy;
      CHECK(code_of(Json::parse(body_of(got))) == "busy");
    }
  }
  MESSAGE(busy << " of 6 unread answers of " << answer << " bytes refused");
  CHECK(busy >= 1);
  CHECK(t.status_ok());
}

TEST_CASE("hostile: connections that ask to close are closed, and hold nothing after") {
  HostileNode t("hostile-close", [](node::ApiConfig&) {});
  // 100 requests with `Connection: close` (refused and answered ones): each connection ends
  // once its client has read the answer; none stays open, or spins, behind it.
  for (int i = 0; i < 100; ++i) {
    const std::string target = i % 2 == 0 ? "/v1/status" : "/v1/nothing";
    auto [status, body] = raw_exchange(t.port, http_request("GET", target));
    CHECK(status == (i % 2 == 0 ? 200 : 404));
  }
  // A 413 refusal while the client is still sending its body: the client reads the answer.
  {
    RawConnection c(t.port);
    REQUIRE(c.send("POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"));
    (void)c.send(std::string(600'000, 'x'));
    bool closed = false;
    const std::string answer = c.read_all(std::chrono::seconds(5), closed);
    CHECK(status_of(answer) == 413);
  }
  std::string gauge;
  for (int i = 0; i < 200; ++i) {
    auto metrics = httplib::Client(t.url).Get("/metrics");
    REQUIRE(metrics);
    const auto at = metrics->body.find("\nassent_http_connections ");
    REQUIRE(at != std::string::npos);
    gauge = metrics->body.substr(at + 25, metrics->body.find('\n', at + 1) - at - 25);
    if (std::stoi(gauge) <= 2) break;  // this request's own, and the test node's client
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(std::stoi(gauge) <= 2);
}
