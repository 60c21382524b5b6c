// What the cluster's orderer asks of other nodes' APIs: transactions this node does not queue
// itself go to the proposer (POST /v1/transactions, marked as forwarded), and blocks etcd no
// longer holds come from the proposer (GET /v1/blocks/{height}/raw), each signed with this
// node's key. Over HTTPS, the proposer's certificate is verified against the cluster's CA
// (`peer_tls`), its name against its advertised URL's, and this node presents its own
// certificate when the proposer asks.
#include "node/api/auth/authenticator.hpp"
#include "node/orderer/etcd_orderer.hpp"
#include "node/tls/http_client.hpp"
#include "vm/hex.hpp"

namespace assent::node {

using abi::Json;

namespace {

// A request to a peer's API, signed with this node's key (docs/api.md, "Authentication"):
// the proposer serves only authenticated requests, and knows who forwarded what.
httplib::Headers signed_by(const KeyPair& key, const std::string& url, const std::string& method,
                           const std::string& target, const std::string& body) {
  const std::string authority = auth::authority_of_url(url);
  httplib::Headers headers;
  for (auto& [name, value] : auth::sign_request(key, method, authority, target, body,
                                                auth::system_seconds(), auth::new_nonce()))
    headers.emplace(name, value);
  headers.emplace("Host", authority);
  return headers;
}

}  // namespace

TxRejection peer_refusal(const std::string& url, int status, const std::string& body) {
  std::string code, message;
  try {
    const Json answer = Json::parse(body);
    code = answer.at("error").value("code", "");
    message = answer.at("error").value("message", "");
  } catch (...) {
    message = body.substr(0, 200);
  }
  if (auto known = tx_error_named(code)) return {*known, "the proposer refused it: " + message};
  return {TxError::FromPeer,
          "the proposer at " + url + " refused it with " +
              (code.empty() ? std::string("no code") : "`" + code + "`") + " (HTTP " +
              std::to_string(status) + "): " + message,
          code};
}

Result<Hash, TxRejection> EtcdOrderer::submit(Transaction tx, bool forwarded) {
  if (auto f = fault()) return fail(TxRejection{TxError::Diverged, "this node has stopped: " + *f});
  if (leader_) return mempool_.submit(std::move(tx));
  if (auto checked = chain_.check(tx); !checked.ok()) return fail(checked.error());
  if (forwarded)
    return fail(TxRejection{TxError::NotProposer,
                            "this node is not the proposer (any more); try again shortly"});
  return forward(tx);
}

Result<Hash, TxRejection> EtcdOrderer::forward(const Transaction& tx) {
  std::string url;
  {
    std::lock_guard lock(mutex_);
    url = leader_url_;
  }
  if (url.empty() || url == api_url()) {
    // The lease loop learns a new proposer within half a second; ask etcd now instead.
    EtcdClient etcd(config_.endpoints, config_.etcd_tls);
    if (auto who = etcd.get(key("proposer")); who.ok() && *who) {
      learn_proposer((*who)->value);
      std::lock_guard lock(mutex_);
      url = leader_url_;
    }
  }
  if (url.empty() || url == api_url())
    return fail(TxRejection{TxError::NoProposer,
                            "no proposer is known right now (one is being chosen); try again "
                            "shortly"});
  // One kept-alive connection to the proposer per thread.
  thread_local std::unique_ptr<httplib::Client> client;
  thread_local std::string client_url;
  if (!client || client_url != url) {
    client = make_http_client(url, config_.peer_tls);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_connection_timeout(2, 0);
    client_url = url;
  }
  const std::string body = Json{{"tx", to_hex(tx.encode())}}.dump();
  httplib::Headers headers = signed_by(chain_.proposer(), url, "POST", "/v1/transactions", body);
  headers.emplace("X-Assent-Forwarded", config_.name);
  auto r = client->Post("/v1/transactions", headers, body, "application/json");
  if (!r)
    return fail(TxRejection{TxError::ProposerUnreachable,
                            "the proposer at " + url + " does not answer (" +
                                describe_http_failure(*client, r.error(), url, config_.peer_tls) +
                                "); try again shortly"});
  if (r->status == 202 || r->status == 200) return tx.hash();
  return fail(peer_refusal(url, r->status, r->body));
}

Result<std::string, std::string> EtcdOrderer::fetch_from_peer(uint64_t height) {
  std::string url;
  {
    std::lock_guard lock(mutex_);
    url = leader_url_;
  }
  if (url.empty() || url == api_url()) return fail(std::string("no proposer is known"));
  auto c = make_http_client(url, config_.peer_tls);
  c->set_connection_timeout(2, 0);
  const std::string target = "/v1/blocks/" + std::to_string(height) + "/raw";
  auto r = c->Get(target, signed_by(chain_.proposer(), url, "GET", target, ""));
  if (!r)
    return fail("the proposer at " + url + " does not answer (" +
                describe_http_failure(*c, r.error(), url, config_.peer_tls) + ")");
  if (r->status != 200)
    return fail("the proposer at " + url + " answered HTTP " + std::to_string(r->status));
  try {
    auto bytes = parse_hex(Json::parse(r->body)["block"].get<std::string>());
    if (!bytes.ok()) return fail("the proposer's block is not hex: " + bytes.error());
    // Whatever a peer sends is checked like any block: hash chain, signature, state root.
    return std::string(bytes->begin(), bytes->end());
  } catch (const std::exception& e) {
    return fail("the proposer's answer is not a block in JSON: " + std::string(e.what()));
  }
}

}  // namespace assent::node
