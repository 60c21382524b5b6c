#include "node/cli/devnet.hpp"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "node/api/json_views.hpp"
#include "node/api/wallet.hpp"
#include "node/cli/devnet_tls.hpp"
#include "node/chain/genesis.hpp"
#include "node/cli/files.hpp"
#include "node/cli/process.hpp"
#include "node/node.hpp"
#include "vm/hex.hpp"
#include "vm/module.hpp"

#ifndef ASSENT_CONTRACTS_DIR
#define ASSENT_CONTRACTS_DIR "contracts"
#endif

namespace assent::node {

namespace fs = std::filesystem;

namespace {

const char* kContracts[] = {"patient_consent", "data_sharing_agreement", "access_log",
                            "trial_consent"};

// Compiles, deploys and configures the reference contracts as the registrar; their
// addresses by name.
Result<Json, std::string> deploy_contracts(ApiClient& api, const KeyPair& registrar,
                                           const std::map<std::string, KeyPair>& keys,
                                           const std::string& sources, const std::string& tmp) {
  Wallet wallet(api, registrar);
  Json contracts = Json::object();
  std::string registry;
  for (const char* name : kContracts) {
    const std::string out = tmp + "/" + name + ".acm";
    auto p = run_process({sibling_program("assentc"), sources + "/" + name + ".assent", "-o", out});
    if (p.exit_code != 0) return fail("cannot compile " + std::string(name) + ":\n" + p.output);
    auto module = read_file(out);
    if (!module.ok()) return fail(module.error());
    // The contracts after the registry take its address, when their init asks for one.
    auto m = vm::read_module(*module);
    const vm::Export* init = m.ok() ? m->find_export("init") : nullptr;
    const Json args =
        init != nullptr && !init->params.empty() ? Json::array({registry}) : Json::array();
    auto tx = wallet.deploy_tx(*module, args, 10'000'000);
    if (!tx.ok()) return fail(tx.error().describe());
    auto r = wallet.send(*tx, true);
    if (!r.ok()) return fail("deploying " + std::string(name) + ": " + r.error().describe());
    if (!(*r)["committed"].get<bool>() || !(*r)["receipt"]["ok"].get<bool>())
      return fail("deploying " + std::string(name) + " failed: " + r->dump());
    const std::string address = (*r)["receipt"]["contract"];
    contracts[name] = address;
    if (registry.empty()) registry = address;
    // Registered, its events are the consortium's: they appear in patients' audit trails.
    auto reg = wallet.govern_tx("register", Json::array({name, address}), 1'000'000);
    if (!reg.ok()) return fail(reg.error().describe());
    auto registered = wallet.send(*reg, true);
    if (!registered.ok() || !(*registered)["receipt"]["ok"].get<bool>())
      return fail("registering " + std::string(name) + " failed: " +
                  (registered.ok() ? registered->dump() : registered.error().describe()));
  }
  auto registry_id = parse_hex(registry);
  Identity id;
  std::copy(registry_id->begin(), registry_id->end(), id.begin());
  const std::pair<const char*, const char*> roles[] = {
      {"provider", "Physician"}, {"researcher", "Researcher"}, {"auditor", "Auditor"}};
  for (const auto& [who, role] : roles) {
    auto tx = wallet.call_tx(id, "assign_roles",
                             Json::array({hex(keys.at(who).public_key()), Json::array({role})}),
                             10'000'000);
    if (!tx.ok()) return fail(tx.error().describe());
    auto r = wallet.send(*tx, true);
    if (!r.ok() || !(*r)["receipt"]["ok"].get<bool>())
      return fail(std::string("assigning roles failed: ") +
                  (r.ok() ? r->dump() : r.error().describe()));
  }
  return contracts;
}

// The devnet's consortium: the registrar governs and deploys; the provider, the researcher
// and the auditor are member organizations with their roles; the patient is no member.
Genesis devnet_genesis(const std::map<std::string, KeyPair>& keys) {
  struct Org {
    const char* who;
    const char* name;
    MemberRole role;
    bool deploy;
  };
  const Org orgs[] = {{"registrar", "Devnet Registry", MemberRole::Registrar, true},
                      {"provider", "Devnet Hospital", MemberRole::Provider, false},
                      {"researcher", "Devnet Research Institute", MemberRole::Research, false},
                      {"auditor", "Devnet Audit Office", MemberRole::Auditor, false}};
  Json members = Json::array();
  for (const Org& o : orgs)
    members.push_back({{"name", o.name},
                       {"key", hex(keys.at(o.who).public_key())},
                       {"roles", Json::array({kMemberRoles[static_cast<int>(o.role)].name})},
                       {"deploy", o.deploy}});
  return parse_genesis(Json{{"members", members}}).value();
}

}  // namespace

std::string describe_consortium(Chain& chain) {
  auto read = chain.store().begin_read();
  if (!read.ok()) return "consortium: the store cannot be read: " + read.error().message;
  auto members = consortium::members(*read, chain.store().db());
  if (!members.ok()) return "consortium: " + members.error().message;
  if (members->empty())
    return "warning: an open chain (made without --genesis): anyone may deploy contracts, and "
           "every contract's events are in the audit trail";
  return "consortium: " + std::to_string(members->size()) +
         " members, governed by its registrars (assent consortium)";
}

Json read_devnet(const std::string& data_dir) {
  std::ifstream in(data_dir + "/devnet.json");
  if (!in) return Json::object();
  try {
    return Json::parse(in);
  } catch (...) {
    return Json::object();
  }
}

namespace {

// Signals are taken by sigwait, not by a handler; threads started later inherit the mask.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int run_node(const NodeConfig& config) {
  sigset_t signals = block_stop_signals();
  sigaddset(&signals, SIGUSR1);  // a divergence (below)
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto node = Node::open(config);
  if (!node.ok()) {
    std::cerr << "error: " << node.error() << "\n";
    return 1;
  }
  (*node)->orderer().on_fault = [](const std::string&) { ::kill(::getpid(), SIGUSR1); };
  if (auto problem = (*node)->check_state()) {
    std::cerr << "error: " << *problem << "\n";
    return 3;  // as a divergence
  }
  std::string error;
  if (!(*node)->start(error)) {
    std::cerr << "error: " << error << "\n";
    return 1;
  }
  std::cout << "node: chain `" << (*node)->chain().config().chain_id << "`, data in "
            << config.data_dir << "/, API " << (*node)->url() << "\n  " << (*node)->transport()
            << "\n"
            << describe_consortium((*node)->chain()) << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  if (sig == SIGUSR1) {
    // Diverged: the status endpoint says so for a moment, then the node exits non-zero;
    // it never serves the state it holds.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    (*node)->stop();
    return 3;
  }
  (*node)->stop();
  return 0;
}

int run_devnet(const DevnetOptions& options) {
  sigset_t signals = block_stop_signals();

  // The demo identities first: each is a registered client of the node (bearer tokens for
  // curl: `assent token --as patient`).
  fs::create_directories(options.data_dir + "/keys");
  std::map<std::string, KeyPair> keys;
  Json identities = Json::object();
  auth::ClientList clients;
  for (const char* who : kDevnetRoles) {
    const std::string path = options.data_dir + "/keys/" + who + ".pem";
    auto key = load_or_create_key(path);
    if (!key.ok()) {
      std::cerr << "error: " << key.error() << "\n";
      return 1;
    }
    identities[who] = {
        {"identity", hex(key->public_key())}, {"did", did_key(key->public_key())}, {"key", path}};
    clients.add(key->public_key(), {who, 0});
    keys.emplace(who, std::move(key).value());
  }
  Json devnet = read_devnet(options.data_dir);
  NodeConfig config;
  config.data_dir = options.data_dir;
  config.api.port = options.port;
  config.api.clients = clients.registry();
  config.solo.interval = std::chrono::milliseconds(options.block_ms);
  // A devnet made before chains had members keeps running as it was (an open chain).
  const bool legacy = devnet.contains("contracts") && !devnet.contains("genesis");
  if (!legacy) config.genesis = devnet_genesis(keys);
  auto client_tls = devnet_tls(options, config.api);
  if (!client_tls.ok()) {
    std::cerr << "error: " << client_tls.error() << "\n";
    return 1;
  }
  auto node = Node::open(config);
  if (!node.ok()) {
    std::cerr << "error: " << node.error() << "\n";
    return 1;
  }
  if (auto problem = (*node)->check_state()) {
    std::cerr << "error: " << *problem << "\n";
    return 3;
  }
  std::string error;
  if (!(*node)->start(error)) {
    std::cerr << "error: " << error << "\n";
    return 1;
  }
  const std::string url = (*node)->url();
  if (legacy) std::cout << describe_consortium((*node)->chain()) << "\n";
  if (config.genesis) devnet["genesis"] = genesis_to_json(*config.genesis);
  ApiClient api(url, *client_tls);
  api.sign_with(keys.at("registrar"));
  if (!devnet.contains("contracts")) {
    std::cout << "deploying the reference contracts..." << std::flush;
    const std::string sources =
        options.contracts_dir.empty() ? ASSENT_CONTRACTS_DIR : options.contracts_dir;
    auto contracts = deploy_contracts(api, keys.at("registrar"), keys, sources, options.data_dir);
    if (!contracts.ok()) {
      std::cerr << "\nerror: " << contracts.error() << "\n";
      return 1;
    }
    std::cout << " done\n";
    devnet["contracts"] = *contracts;
  }
  devnet["url"] = url;
  record_devnet_tls(devnet, *client_tls, config.api);
  devnet["identities"] = identities;
  // Who the CLI asks as when a read names no one (--as, --key, $ASSENT_AS).
  devnet["default_identity"] = "registrar";
  devnet["chain_id"] = (*node)->chain().config().chain_id;
  std::ofstream(options.data_dir + "/devnet.json") << devnet.dump(2) << "\n";

  std::cout << "\nAssent devnet: chain `" << devnet["chain_id"].get<std::string>() << "`, data in "
            << options.data_dir << "/\n"
            << "API: " << url << "  (docs/api.md), " << (*node)->transport()
            << "\n\nIdentities (keys in " << options.data_dir << "/keys/):\n";
  for (const auto& [who, id] : identities.items())
    std::cout << "  " << who << std::string(12 - who.size(), ' ') << id["did"].get<std::string>()
              << "\n";
  std::cout << "\nContracts:\n";
  for (const auto& [name, address] : devnet["contracts"].items())
    std::cout << "  " << name << std::string(24 - name.size(), ' ') << address.get<std::string>()
              << "\n";
  std::cout << "\nTry, in another terminal:\n"
            << "  build/bin/assent status\n"
            << "  build/bin/assent demo\n"
            << "  build/bin/assent view patient_consent decide '[\"@patient\", \"@researcher\", "
               "\"Use\", \"LabResult\", \"CLINTRCH\"]'\n"
            << "  build/bin/assent call patient_consent set_default '[\"@patient\", \"Permit\"]' "
               "--as patient\n"
            << "  build/bin/assent audit --identity @patient\n"
            << "  curl -s -H \"Authorization: Bearer $(build/bin/assent token --as patient)\" "
            << url << "/v1/accounts/" << identities["patient"]["identity"].get<std::string>()
            << "\n"
            << "\nCtrl-C stops the node; `make devnet` again resumes it.\n"
            << std::flush;
  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "\nstopping\n";
  (*node)->stop();
  return 0;
}

}  // namespace assent::node
