// A real node for tests: in process, on a loopback port of its own, with its data in a
// temporary directory, and the patient-consent contract deployed by a registrar.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "compiler/compile.hpp"
#include "node/api/json_views.hpp"
#include "node/api/wallet.hpp"
#include "node/node.hpp"
#include "vm/hex.hpp"

namespace assent::testing {

namespace fs = std::filesystem;
using node::Json;

inline std::string read_source(const std::string& relative) {
  std::ifstream in(fs::path(ASSENT_SOURCE_DIR) / relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline node::Identity id_of(const Json& hex_text) {
  node::Identity id{};
  auto bytes = parse_hex(hex_text.get<std::string>());
  REQUIRE(bytes.ok());
  REQUIRE(bytes->size() == 32);
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

// A real LMDB store and an executor over it, in a temporary directory removed at the end.
struct TempStore {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<node::Executor> exec;

  explicit TempStore(const std::string& name, node::ExecutorConfig config = {})
      : dir(fs::temp_directory_path() / ("assent-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    auto s = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
    REQUIRE(s.ok());
    store = std::move(s).value();
    exec = std::make_unique<node::Executor>(*store, config);
  }
  ~TempStore() {
    exec.reset();
    store.reset();
    fs::remove_all(dir);
  }
  // Closes the store's handle of contract state behind the executor's back: from now on every
  // read or write of contract state fails in LMDB (EINVAL), while the rest of the store works.
  // A store failure as a contract meets it, without filling a disk.
  void break_contract_state() {
    auto t = store->begin_read();
    REQUIRE(t.ok());
    MDB_env* env = mdb_txn_env(t->raw());
    t->abort();
    mdb_dbi_close(env, store->db().state);
  }
};

struct TestNode {
  fs::path dir;
  std::unique_ptr<node::Node> node;
  std::unique_ptr<node::ApiClient> api;
  std::string url;

  // `limits` sets the API's limits of a test's choosing.
  explicit TestNode(const std::string& name, int block_ms = 20,
                    const std::function<void(node::ApiConfig&)>& limits = {},
                    std::optional<node::Genesis> genesis = std::nullopt) {
    dir = fs::temp_directory_path() / ("assent-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    node::NodeConfig config;
    config.genesis = std::move(genesis);
    config.data_dir = dir.string();
    config.api.port = 0;
    config.sync = false;
    config.solo.interval = std::chrono::milliseconds(block_ms);
    if (limits) limits(config.api);
    auto n = node::Node::open(config);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error()));
    node = std::move(n).value();
    std::string error;
    REQUIRE_MESSAGE(node->start(error), error);
    url = node->url();
    api = std::make_unique<node::ApiClient>(url);
  }
  ~TestNode() {
    node.reset();
    fs::remove_all(dir);
  }

  node::Identity deploy_consent(node::Wallet& registrar);
};

// Compiles `source` and deploys it as `deployer`; its address.
inline node::Identity deploy_source(node::Wallet& deployer, const std::string& file,
                                    const std::string& source) {
  auto c = compiler::compile(file, source);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  auto tx = deployer.deploy_tx(c.bytes, Json::array(), 10'000'000);
  REQUIRE(tx.ok());
  auto r = deployer.send(*tx, true);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().describe()));
  REQUIRE((*r)["receipt"]["ok"].get<bool>());
  return id_of((*r)["receipt"]["contract"]);
}

// Deploys patient_consent as `registrar`; its address.
inline node::Identity deploy_consent(node::Wallet& registrar) {
  return deploy_source(registrar, "patient_consent.assent",
                       read_source("contracts/patient_consent.assent"));
}

inline node::Identity TestNode::deploy_consent(node::Wallet& registrar) {
  return testing::deploy_consent(registrar);
}

inline node::KeyPair new_key() {
  auto k = node::KeyPair::generate();
  REQUIRE(k.ok());
  return std::move(k).value();
}

inline Json permit_for(const node::Identity& actor) {
  return {{"decision", "Permit"},
          {"actor", node::hex(actor)},
          {"anyone", false},
          {"roles", Json::array()},
          {"actions", Json::array()},
          {"categories", Json::array()},
          {"purposes", Json::array()},
          {"from", 0},
          {"until", 0},
          {"data_from", 0},
          {"data_until", 0}};
}

}  // namespace assent::testing
