// Fuzz target: any bytes as an HTTP request to the node's API. The bytes go through the
// server's own parser and limits (read_request), then the API's router and handlers, on a
// real chain in a temporary LMDB store holding patient_consent (`@R` in an input names its
// address). Every request must be
// answered exactly once, with JSON for every answer but /metrics, and nothing may crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "compiler/compile.hpp"
#include "node/api/json_views.hpp"
#include "node/api/server.hpp"
#include "node/orderer/solo.hpp"

namespace {

using namespace assent;
namespace fs = std::filesystem;

struct World {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<node::Executor> exec;
  std::unique_ptr<node::Chain> chain;
  std::unique_ptr<node::SoloOrderer> orderer;
  std::unique_ptr<node::ApiServer> api;
  node::HttpLimits limits;
  std::string registry;  // the contract's address in hex; inputs name it `@R`

  World() {
    dir = fs::temp_directory_path() / ("assent-fuzz-http-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    store = std::move(store::Store::open(dir.string(), {std::size_t{1} << 30, false})).value();
    exec = std::make_unique<node::Executor>(*store);
    auto key = std::move(node::KeyPair::generate()).value();
    chain = std::make_unique<node::Chain>(*store, *exec, node::ChainConfig{}, key);
    // The registry's contract, so that views, events and transactions reach real ABIs.
    std::ifstream in(fs::path(ASSENT_CONTRACTS_DIR) / "patient_consent.assent");
    std::stringstream source;
    source << in.rdbuf();
    auto module = compiler::compile("patient_consent.assent", source.str());
    if (!module.ok) __builtin_trap();
    node::Transaction deploy;
    deploy.kind = node::TxKind::Deploy;
    deploy.chain_id = chain->config().chain_id;
    deploy.sender = key.public_key();
    deploy.gas_limit = chain->config().max_gas;
    deploy.code = module.bytes;
    deploy.sign(key);
    auto block = chain->commit_block({deploy}, 1'800'000'000);
    if (!block.ok() || !block->receipts.at(0).receipt.contract) __builtin_trap();
    registry = node::hex(*block->receipts[0].receipt.contract);
    orderer = std::make_unique<node::SoloOrderer>(*chain, node::SoloConfig{});
    node::ApiConfig config;
    config.max_wait = std::chrono::milliseconds(0);  // a waiting submit is answered at once
    config.pool_threads = 1;
    // Anonymous requests reach every handler; credentials an input carries (Signature,
    // Signature-Input, Authorization) still go through the authenticator, and are refused
    // there unless they prove someone (fuzz_auth fuzzes those parsers on their own).
    config.require_auth = false;
    limits = config.http;
    api = std::make_unique<node::ApiServer>(*chain, *orderer, config);
  }
  ~World() {
    api.reset();
    orderer.reset();
    chain.reset();
    exec.reset();
    store.reset();
    fs::remove_all(dir);
  }
};

World& world() {
  static World w;
  return w;
}

void name_registry(std::string& text, const std::string& registry) {
  for (std::size_t at = 0; (at = text.find("@R", at)) != std::string::npos; at += registry.size())
    text.replace(at, 2, registry);
}

void check_answer(const std::string& path, const node::HttpResponse& r) {
  if (r.status < 200 || r.status > 599) __builtin_trap();
  if (path == "/metrics" && r.status == 200) return;
  if (!node::Json::accept(r.body)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = world();
  node::HttpRequest request;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto refused = node::read_request(bytes, w.limits, request)) {
    check_answer("", *refused);
    return 0;
  }
  request.remote = "127.0.0.1";
  name_registry(request.path, w.registry);
  name_registry(request.body, w.registry);
  for (auto& [_, value] : request.params)
    name_registry(value, w.registry);
  const std::string path = request.path;
  auto answered = std::make_shared<std::promise<node::HttpResponse>>();
  auto future = answered->get_future();
  w.api->handle(std::move(request), [answered](node::HttpResponse r) {
    answered->set_value(std::move(r));  // a second answer would throw here: a bug
  });
  // Views and waits answer from other threads; every request is answered, and soon.
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) __builtin_trap();
  check_answer(path, future.get());
  return 0;
}
