#include "node/cli/chain_commands.hpp"

#include <filesystem>
#include <iostream>

#include "node/api/json_views.hpp"
#include "node/api/wallet.hpp"
#include "node/cli/demo.hpp"
#include "node/cli/devnet.hpp"
#include "node/cli/files.hpp"
#include "node/node.hpp"
#include "node/cli/process.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

struct Common {
  std::string node;  // the API's URL
  std::string devnet = ".devnet";
  std::string key;  // a PEM file
  std::string as;   // a devnet identity
  bool json = false;
  uint64_t gas = 10'000'000;
};

Json devnet_of(const Common& c) {
  return read_devnet(c.devnet);
}

std::string url_of(const Common& c) {
  if (!c.node.empty()) return c.node;
  if (const char* env = std::getenv("ASSENT_NODE")) return env;
  Json d = devnet_of(c);
  if (d.contains("url")) return d["url"];
  return "http://127.0.0.1:8645";
}

// A contract by devnet name or address.
Result<Identity, std::string> contract_of(const Common& c, const std::string& text) {
  std::string hexed = text;
  Json d = devnet_of(c);
  if (d.contains("contracts") && d["contracts"].contains(text)) hexed = d["contracts"][text];
  auto bytes = parse_hex(hexed);
  if (!bytes.ok() || bytes->size() != 32)
    return fail("`" + text +
                "` is neither a contract address (64 hex digits) nor a devnet "
                "contract name");
  Identity id;
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

// "@name" strings in JSON arguments become the devnet identity (or contract) they name.
Result<Json, std::string> resolve_names(const Common& c, Json j) {
  if (j.is_string() && j.get<std::string>().starts_with("@")) {
    const std::string name = j.get<std::string>().substr(1);
    Json d = devnet_of(c);
    if (d.contains("identities") && d["identities"].contains(name))
      return Json(d["identities"][name]["identity"]);
    if (d.contains("contracts") && d["contracts"].contains(name)) return Json(d["contracts"][name]);
    return fail("`@" + name + "` names no devnet identity or contract (see " + c.devnet +
                "/devnet.json)");
  }
  if (j.is_array() || j.is_object())
    for (auto& v : j) {
      auto r = resolve_names(c, v);
      if (!r.ok()) return r;
      v = std::move(r).value();
    }
  return j;
}

Result<Json, std::string> parse_args(const Common& c, const std::string& text) {
  Json j;
  try {
    j = Json::parse(text.empty() ? "[]" : text);
  } catch (const std::exception& e) {
    return fail("arguments are not JSON: " + std::string(e.what()));
  }
  if (!j.is_array()) return fail(std::string("arguments are a JSON array: '[\"@patient\", 1]'"));
  return resolve_names(c, j);
}

Result<KeyPair, std::string> key_of(const Common& c) {
  if (!c.key.empty()) return KeyPair::load(c.key);
  if (!c.as.empty()) {
    Json d = devnet_of(c);
    if (d.contains("identities") && d["identities"].contains(c.as))
      return KeyPair::load(d["identities"][c.as]["key"]);
    return fail("`--as " + c.as + "`: no such devnet identity");
  }
  return fail(std::string("name the signer: --key FILE.pem, or --as NAME on a devnet"));
}

void add_common(CLI::App* cmd, Common& c, bool signs) {
  cmd->add_option("--node", c.node, "the node's API (default: the devnet's, or $ASSENT_NODE)");
  cmd->add_option("--devnet", c.devnet, "the devnet directory, for names")->capture_default_str();
  cmd->add_flag("--json", c.json, "print the node's JSON answer");
  if (signs) {
    cmd->add_option("--key", c.key, "the signer's private key (PEM)");
    cmd->add_option("--as", c.as, "the signer, a devnet identity (patient, provider, ...)");
    cmd->add_option("--gas", c.gas, "gas limit")->capture_default_str();
  }
}

int report(const Common& c, const Result<Json, ApiError>& r,
           const std::function<void(const Json&)>& human) {
  if (!r.ok()) {
    std::cerr << "error: " << r.error().describe() << "\n";
    return 1;
  }
  if (c.json)
    std::cout << r->dump(2) << "\n";
  else
    human(*r);
  return 0;
}

void print_receipt(const Json& answer) {
  std::cout << "transaction " << answer["hash"].get<std::string>() << "\n";
  if (!answer.value("committed", false)) {
    std::cout << "  queued (no receipt yet)\n";
    return;
  }
  const Json& r = answer["receipt"];
  std::cout << "  block " << r["height"] << ", " << (r["ok"].get<bool>() ? "ok" : "FAILED")
            << ", gas " << r["gas_used"] << "\n";
  if (r.contains("message")) std::cout << "  " << r["message"].get<std::string>() << "\n";
  if (r.contains("contract"))
    std::cout << "  contract " << r["contract"].get<std::string>() << "\n";
  if (r.contains("result")) std::cout << "  result " << r["result"].dump() << "\n";
  for (const auto& e : r["events"])
    std::cout << "  event " << e["name"].get<std::string>() << " " << e["fields"].dump() << "\n";
}

int send_tx(const Common& c, const std::function<Result<Transaction, ApiError>(Wallet&)>& build) {
  auto key = key_of(c);
  if (!key.ok()) {
    std::cerr << "error: " << key.error() << "\n";
    return 2;
  }
  ApiClient api(url_of(c));
  Wallet wallet(api, std::move(key).value());
  auto tx = build(wallet);
  if (!tx.ok()) {
    std::cerr << "error: " << tx.error().describe() << "\n";
    return tx.error().status == 0 && tx.error().code == "bad_input" ? 2 : 1;
  }
  auto r = wallet.send(*tx, true);
  const int code = report(c, r, print_receipt);
  if (code == 0 && r->contains("receipt") && !(*r)["receipt"]["ok"].get<bool>()) return 1;
  return code;
}

int fail_input(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return 2;
}

}  // namespace

void add_chain_commands(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<Common>();

  auto* key = app.add_subcommand("key", "Make or show an Ed25519 identity (PEM, mode 0600)");
  key->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* key_new = key->add_subcommand("new", "Write a new private key to FILE");
  key_new->add_option("file", *path, "where (never overwritten)")->required();
  key_new->callback([path, &exit_code] {
    auto k = KeyPair::generate();
    auto saved = k.ok() ? k->save(*path) : Result<bool, std::string>(fail(k.error()));
    if (!saved.ok()) {
      exit_code = fail_input(saved.error());
      return;
    }
    std::cout << "identity " << hex(k->public_key()) << "\n" << did_key(k->public_key()) << "\n";
  });
  auto* key_show = key->add_subcommand("show", "Print the identity of a private key");
  key_show->add_option("file", *path, "the key (PEM)")->required();
  key_show->callback([path, &exit_code] {
    auto k = KeyPair::load(*path);
    if (!k.ok()) {
      exit_code = fail_input(k.error());
      return;
    }
    std::cout << "identity " << hex(k->public_key()) << "\n" << did_key(k->public_key()) << "\n";
  });

  auto file = std::make_shared<std::string>();
  auto args = std::make_shared<std::string>();
  auto* deploy = app.add_subcommand("deploy", "Deploy a contract (.assent or .acm) through a node");
  deploy->add_option("file", *file, "the contract")->required();
  deploy->add_option("--args", *args, "init's arguments as a JSON array");
  add_common(deploy, *c, true);
  deploy->callback([c, file, args, &exit_code] {
    std::string module_path = *file;
    if (file->ends_with(".assent")) {
      module_path = (std::filesystem::temp_directory_path() /
                     ("assent-deploy-" + std::to_string(::getpid()) + ".acm"))
                        .string();
      auto p = run_process({sibling_program("assentc"), *file, "-o", module_path});
      if (p.exit_code != 0) {
        std::cerr << p.output;
        exit_code = 1;
        return;
      }
    }
    auto bytes = read_file(module_path);
    if (module_path != *file) std::filesystem::remove(module_path);
    if (!bytes.ok()) {
      exit_code = fail_input(bytes.error());
      return;
    }
    auto init = parse_args(*c, *args);
    if (!init.ok()) {
      exit_code = fail_input(init.error());
      return;
    }
    exit_code = send_tx(*c, [&](Wallet& w) { return w.deploy_tx(*bytes, *init, c->gas); });
  });

  auto contract = std::make_shared<std::string>();
  auto method = std::make_shared<std::string>();
  auto* call = app.add_subcommand("call", "Run an action of a contract, signed, in a block");
  call->add_option("contract", *contract, "address, or devnet name")->required();
  call->add_option("method", *method, "the action")->required();
  call->add_option("args", *args, "arguments as a JSON array; \"@name\" for devnet names");
  add_common(call, *c, true);
  call->callback([c, contract, method, args, &exit_code] {
    auto to = contract_of(*c, *contract);
    auto a = parse_args(*c, *args);
    if (!to.ok() || !a.ok()) {
      exit_code = fail_input(!to.ok() ? to.error() : a.error());
      return;
    }
    exit_code = send_tx(*c, [&](Wallet& w) { return w.call_tx(*to, *method, *a, c->gas); });
  });

  auto caller = std::make_shared<std::string>();
  auto* view = app.add_subcommand("view", "Run a view of a contract on the node's latest state");
  view->add_option("contract", *contract, "address, or devnet name")->required();
  view->add_option("method", *method, "the view")->required();
  view->add_option("args", *args, "arguments as a JSON array; \"@name\" for devnet names");
  view->add_option("--caller", *caller, "the identity the view sees as caller");
  add_common(view, *c, false);
  view->callback([c, contract, method, args, caller, &exit_code] {
    auto to = contract_of(*c, *contract);
    auto a = parse_args(*c, *args);
    if (!to.ok() || !a.ok()) {
      exit_code = fail_input(!to.ok() ? to.error() : a.error());
      return;
    }
    Json body = {{"contract", hex(*to)}, {"method", *method}, {"args", *a}};
    if (!caller->empty()) {
      auto who = resolve_names(*c, Json(*caller));
      if (!who.ok()) {
        exit_code = fail_input(who.error());
        return;
      }
      body["caller"] = *who;
    }
    ApiClient api(url_of(*c));
    exit_code = report(*c, api.post("/v1/view", body),
                       [](const Json& r) { std::cout << r["result"].dump() << "\n"; });
  });

  auto key_text = std::make_shared<std::string>();
  auto* tx = app.add_subcommand("tx", "Show a committed transaction and its receipt");
  tx->add_option("hash", *key_text, "the transaction hash")->required();
  add_common(tx, *c, false);
  tx->callback([c, key_text, &exit_code] {
    ApiClient api(url_of(*c));
    exit_code = report(*c, api.get("/v1/transactions/" + *key_text), [](const Json& r) {
      print_receipt({{"hash", r["tx"]["hash"]}, {"committed", true}, {"receipt", r["receipt"]}});
    });
  });

  auto* block = app.add_subcommand("block", "Show a block by height or hash");
  block->add_option("block", *key_text, "height or hash")->required();
  add_common(block, *c, false);
  block->callback([c, key_text, &exit_code] {
    ApiClient api(url_of(*c));
    exit_code = report(*c, api.get("/v1/blocks/" + *key_text), [](const Json& b) {
      std::cout << "block " << b["height"] << " " << b["hash"].get<std::string>() << "\n  time "
                << b["time"] << ", " << b["tx_count"] << " transactions, state root "
                << b["state_root"].get<std::string>() << "\n";
      for (const auto& t : b["transactions"])
        std::cout << "  " << t.get<std::string>() << "\n";
    });
  });

  auto filter = std::make_shared<std::map<std::string, std::string>>();
  auto* audit = app.add_subcommand("audit", "Events by contract or identity, in order, paged");
  for (const char* opt : {"contract", "identity", "name", "from", "to", "after", "limit"})
    audit->add_option(std::string("--") + opt, (*filter)[opt]);
  add_common(audit, *c, false);
  audit->callback([c, filter, &exit_code] {
    std::string query;
    for (const auto& [name, value] : *filter) {
      if (value.empty()) continue;
      std::string v = value;
      if (name == "contract") {
        auto id = contract_of(*c, v);
        if (!id.ok()) {
          exit_code = fail_input(id.error());
          return;
        }
        v = hex(*id);
      } else if (name == "identity") {
        auto id = resolve_names(*c, Json(v));
        if (!id.ok()) {
          exit_code = fail_input(id.error());
          return;
        }
        v = id->get<std::string>();
      }
      query += (query.empty() ? "?" : "&") + name + "=" + v;
    }
    ApiClient api(url_of(*c));
    exit_code = report(*c, api.get("/v1/events" + query), [](const Json& r) {
      for (const auto& e : r["events"])
        std::cout << "#" << e["seq"] << " block " << e["height"] << " t=" << e["time"] << " "
                  << e["name"].get<std::string>() << " " << e["fields"].dump() << "\n";
      if (r.contains("next_after")) std::cout << "(more: --after " << r["next_after"] << ")\n";
      if (r["events"].empty()) std::cout << "no events\n";
    });
  });

  auto* status = app.add_subcommand("status", "The node's chain, height and state root");
  add_common(status, *c, false);
  status->callback([c, &exit_code] {
    ApiClient api(url_of(*c));
    exit_code = report(*c, api.get("/v1/status"), [](const Json& s) {
      std::cout << "chain " << s["chain_id"].get<std::string>() << ", height " << s["height"]
                << ", " << s["queued"] << " queued\n  head " << s["head"].get<std::string>()
                << "\n  state root " << s["state_root"].get<std::string>() << "\n";
    });
  });

  auto devnet_options = std::make_shared<DevnetOptions>();
  auto* devnet = app.add_subcommand(
      "devnet", "Run a local devnet: one node, the reference contracts, demo identities");
  devnet->add_option("--data", devnet_options->data_dir, "data directory")->capture_default_str();
  devnet->add_option("--port", devnet_options->port, "API port (loopback)")->capture_default_str();
  devnet->add_option("--block-ms", devnet_options->block_ms, "block interval")
      ->capture_default_str();
  devnet->add_option("--contracts", devnet_options->contracts_dir, "the reference contracts");
  devnet->callback([devnet_options, &exit_code] { exit_code = run_devnet(*devnet_options); });

  auto node_config = std::make_shared<NodeConfig>();
  node_config->data_dir = "node-data";
  auto block_ms = std::make_shared<int>(100);
  auto* node = app.add_subcommand("node", "Run a node (solo orderer) with its data in a directory");
  node->add_option("--data", node_config->data_dir, "data directory")->capture_default_str();
  node->add_option("--port", node_config->api.port, "API port; 0 for any")->capture_default_str();
  node->add_option("--host", node_config->api.host, "API address")->capture_default_str();
  node->add_option("--chain-id", node_config->chain.chain_id,
                   "the chain's id: kept in the store at genesis, and checked at each start "
                   "(default: the store's; for a new chain, `assent-` and random hex)");
  node->add_option("--block-ms", *block_ms, "block interval")->capture_default_str();
  node->add_option("--block-txs", node_config->solo.max_txs, "most transactions in a block")
      ->capture_default_str();
  auto min_free_mib = std::make_shared<uint64_t>(node_config->solo.mempool.min_free_disk >> 20);
  node->add_option("--min-free-mib", *min_free_mib,
                   "refuse transactions while the store's disk has less free (MiB)")
      ->capture_default_str();
  node->add_option("--etcd", node_config->etcd,
                   "etcd client URLs: order blocks through etcd, as one node of a cluster")
      ->delimiter(',');
  node->add_option("--name", node_config->name, "this node's name in the cluster");
  node->add_option("--etcd-keep-blocks", node_config->etcd_keep_blocks,
                   "blocks kept in etcd below the slowest node")
      ->capture_default_str();
  auto proposers = std::make_shared<std::vector<std::string>>();
  node->add_option("--proposers", *proposers,
                   "the identities (hex) whose blocks a cluster node accepts, its own among "
                   "them if it may propose; default: any")
      ->delimiter(',');
  node->add_option("--advertise", node_config->advertise_url,
                   "the API URL other cluster nodes reach this one at (http://HOST:PORT; "
                   "default: where the API listens)");
  node->callback([node_config, block_ms, min_free_mib, proposers, &exit_code] {
    node_config->solo.interval = std::chrono::milliseconds(*block_ms);
    node_config->solo.mempool.min_free_disk = *min_free_mib << 20;
    auto ids = parse_identities(*proposers, "--proposers");
    if (!ids.ok()) {
      std::cerr << "error: " << ids.error() << "\n";
      exit_code = 2;
      return;
    }
    node_config->chain.proposers = *ids;
    exit_code = run_node(*node_config);
  });

  auto* demo = app.add_subcommand("demo", "Play a consent scenario against a running devnet");
  add_common(demo, *c, false);
  demo->callback([c, &exit_code] { exit_code = run_demo(url_of(*c), c->devnet); });
}

}  // namespace assent::node
