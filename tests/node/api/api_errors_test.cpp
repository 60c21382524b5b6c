// The API's error table (node/api/api_errors.hpp): docs/api.md lists exactly its codes with
// their statuses; the chain's codes are joined, not restated; a proposer's code keeps its
// meaning, and one this node does not know is `peer_refused`; a record that does not decode
// is `corrupt` (500), never "not found"; a client told something that is not JSON says so.
#include <httplib.h>

#include "tests/support/signed_http.hpp"

#include <map>
#include <regex>

#include "node/api/api_errors.hpp"
#include "node/api/client.hpp"
#include "node/api/http.hpp"
#include "node/orderer/etcd_orderer.hpp"
#include "tests/node/node_fixture.hpp"

using namespace assent;
using namespace assent::testing;

namespace {

// The rows of docs/api.md's "## Errors" table: code -> status.
std::map<std::string, int> documented_errors() {
  const std::string doc = read_source("docs/api.md");
  const std::size_t start = doc.find("\n## Errors\n");
  REQUIRE_MESSAGE(start != std::string::npos, "docs/api.md has no `## Errors` section");
  const std::size_t end = doc.find("\n## ", start + 1);
  const std::string section = doc.substr(start, end == std::string::npos ? end : end - start);
  std::map<std::string, int> rows;
  const std::regex row(R"(\n\| `([a-z_]+)` \| (\d+) \|)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row);
       it != std::sregex_iterator(); ++it) {
    const std::string code = (*it)[1];
    CHECK_MESSAGE(!rows.contains(code), "docs/api.md lists `" << code << "` twice");
    rows[code] = std::stoi((*it)[2]);
  }
  return rows;
}

std::pair<int, std::string> code_of(const httplib::Result& r) {
  REQUIRE(r);
  const Json body = Json::parse(r->body);
  return {r->status, body["error"]["code"].get<std::string>()};
}

}  // namespace

TEST_CASE("api errors: docs/api.md lists exactly the table's codes, with their statuses") {
  const std::map<std::string, int> documented = documented_errors();
  std::map<std::string, int> table;
  for (const node::ApiErrorInfo& row : node::kApiErrors)
    table[row.name] = row.status;
  for (const auto& [code, status] : table) {
    CHECK_MESSAGE(documented.contains(code), "docs/api.md does not list `" << code << "`");
    if (documented.contains(code))
      CHECK_MESSAGE(documented.at(code) == status, "docs/api.md gives `"
                                                       << code << "` " << documented.at(code)
                                                       << ", the table " << status);
  }
  for (const auto& [code, status] : documented)
    CHECK_MESSAGE(table.contains(code), "docs/api.md lists `" << code << "`, which is no code");
}

TEST_CASE("api errors: the chain's codes are the API's, each with one status") {
  for (const node::TxErrorInfo& tx : node::kTxErrors) {
    const node::ApiErrorInfo& api = node::api_error_info(node::api_code(tx.code));
    CHECK(std::string(api.name) == tx.name);
    CHECK(api.status == tx.status);
  }
  for (const node::ApiErrorInfo& row : node::kApiErrors) {
    CHECK(node::api_code_named(row.name) == row.code);
    CHECK(node::api_error_info(row.code).code == row.code);
    const node::HttpResponse r = node::error_response(row.code, "a message");
    CHECK(r.status == row.status);
    CHECK(Json::parse(r.body)["error"]["code"] == row.name);
  }
  CHECK(node::api_failure(node::ReadFailure{node::ReadError::Store, ""}).status() == 503);
  CHECK(node::api_failure(node::ReadFailure{node::ReadError::Corrupt, ""}).status() == 500);
}

TEST_CASE("api errors: a proposer's code keeps its meaning; an unknown one is peer_refused") {
  const node::TxRejection known{node::TxError::FromPeer, "the proposer at ... refused it", "busy"};
  CHECK(node::api_failure(known).code == node::ApiCode::Busy);
  const node::TxRejection unknown{node::TxError::FromPeer,
                                  "the proposer at http://p refused it with `shiny_new` (HTTP "
                                  "418): a message",
                                  "shiny_new"};
  const node::ApiFailure f = node::api_failure(unknown);
  CHECK(f.code == node::ApiCode::FromPeer);
  CHECK(f.status() == 502);
  CHECK(std::string(node::api_error_info(f.code).name) == "peer_refused");
  CHECK(f.message.find("shiny_new") != std::string::npos);
  CHECK(node::api_failure(node::TxRejection{node::TxError::Diverged, "stopped"}).code ==
        node::ApiCode::Diverged);
}

TEST_CASE("api errors: a forwarded transaction's refusal, as the follower answers it") {
  auto refused = [](int status, const std::string& body) {
    return node::api_failure(node::peer_refusal("http://proposer", status, body));
  };
  auto known = refused(409, R"({"error": {"code": "nonce_used", "message": "nonce 3 is used"}})");
  CHECK(known.code == node::ApiCode::NonceUsed);
  CHECK(known.message == "the proposer refused it: nonce 3 is used");
  CHECK(refused(503, R"({"error": {"code": "not_proposer", "message": "..."}})").code ==
        node::ApiCode::NotProposer);
  CHECK(refused(503, R"({"error": {"code": "busy", "message": "..."}})").code ==
        node::ApiCode::Busy);
  auto unknown = refused(418, R"({"error": {"code": "shiny_new", "message": "a newer refusal"}})");
  CHECK(unknown.code == node::ApiCode::FromPeer);
  CHECK(unknown.message ==
        "the proposer at http://proposer refused it with `shiny_new` (HTTP 418): a newer refusal");
  auto not_json = refused(502, "<html>bad gateway</html>");
  CHECK(not_json.code == node::ApiCode::FromPeer);
  CHECK(not_json.message ==
        "the proposer at http://proposer refused it with no code (HTTP 502): <html>bad "
        "gateway</html>");
}

TEST_CASE("api errors: an undecodable block or receipt is corrupt (500), not unknown (404)") {
  TestNode t("api-corrupt");
  node::Wallet registrar(*t.api, new_key());
  (void)t.deploy_consent(registrar);
  node::Chain& chain = t.node->chain();
  std::vector<uint8_t> block_one;
  std::string tx_hash;
  {
    auto read = chain.store().begin_read();
    REQUIRE(read.ok());
    auto block = chain.block(*read, 1);
    REQUIRE(block.ok());
    REQUIRE(*block);
    block_one = (*block)->encode();
    tx_hash = node::hex((*block)->txs.at(0).hash());
  }
  httplib::Client c(t.url);
  auto signed_get = [&](const std::string& target) {
    return c.Get(target, signed_headers(t.client, t.url, "GET", target));
  };
  CHECK(code_of(signed_get("/v1/blocks/999")) == std::pair<int, std::string>{404, "unknown_block"});
  {
    auto write = chain.store().begin_write();
    REQUIRE(write.ok());
    const std::vector<uint8_t> garbage = {1, 2, 3};
    REQUIRE_FALSE(write->put(chain.store().db().blocks, store::be64(1), garbage));
    REQUIRE_FALSE(write->commit());
  }
  auto block = signed_get("/v1/blocks/1");
  CHECK(code_of(block) == std::pair<int, std::string>{500, "corrupt"});
  CHECK(Json::parse(block->body)["error"]["message"].get<std::string>().find(
            "block 1 does not decode") != std::string::npos);
  CHECK(code_of(signed_get("/v1/transactions/" + tx_hash)) ==
        std::pair<int, std::string>{500, "corrupt"});
  {
    auto read = chain.store().begin_read();
    REQUIRE(read.ok());
    auto head = chain.head(*read);
    REQUIRE_FALSE(head.ok());
    CHECK(head.error().code == node::ReadError::Corrupt);
  }
  CHECK(code_of(c.Get("/v1/status")) == std::pair<int, std::string>{500, "corrupt"});
  // Put back, so that the node stops on a store it can read.
  auto write = chain.store().begin_write();
  REQUIRE(write.ok());
  REQUIRE_FALSE(write->put(chain.store().db().blocks, store::be64(1), block_one));
  REQUIRE_FALSE(write->commit());
}

TEST_CASE("api errors: the client reports an answer that is not JSON, whatever its status") {
  httplib::Server not_a_node;
  not_a_node.Get("/v1/status", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>a proxy's page</html>", "text/html");
  });
  const int port = not_a_node.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { not_a_node.listen_after_bind(); });
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  node::ApiClient client(url);
  auto r = client.get("/v1/status");
  not_a_node.stop();
  serving.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "not_json");
  CHECK(
      r.error().message.starts_with("the node at " + url + " answered something that is not JSON"));
  CHECK(r.error().message.find("a proxy's page") != std::string::npos);
}
