#include "node/cli/verify_command.hpp"

#include <filesystem>
#include <iostream>

#include "node/api/json_views.hpp"
#include "node/chain/chain_id.hpp"
#include "node/chain/verify.hpp"
#include "node/node.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

struct VerifyOptions {
  std::string data_dir = ".devnet";
  std::string chain_id;  // empty: the store's
  std::vector<std::string> proposers;
  bool json = false;
};

int run_verify(const VerifyOptions& o) {
  auto error = [&](const std::string& message) {
    if (o.json)
      std::cout << Json{{"ok", false}, {"error", message}}.dump() << "\n";
    else
      std::cerr << "error: " << message << "\n";
    return 1;
  };
  auto proposers = parse_identities(o.proposers, "--proposers");
  if (!proposers.ok()) return error(proposers.error());
  const std::string dir = o.data_dir + "/store";
  if (!std::filesystem::exists(dir + "/data.mdb"))
    return error("`" + o.data_dir + "` holds no node store (" + dir +
                 "/data.mdb); give a node's --data directory");
  // A reader beside a running node is fine: LMDB readers see one committed snapshot.
  auto store = store::Store::open(dir, {0, false});
  if (!store.ok()) return error("cannot open the store in `" + dir + "`: " + store.error().message);
  if (auto wrong = (*store)->format_problem()) return error(*wrong);
  auto key = KeyPair::generate();  // the chain's own proposer key is not needed to check it
  if (!key.ok()) return error(key.error());
  Executor exec(**store);
  ChainConfig config;
  config.chain_id = o.chain_id;
  if (config.chain_id.empty()) {
    // The store's own; a store made before ids were kept ran the old default.
    auto read = (*store)->begin_read();
    if (!read.ok()) return error("cannot read the store in `" + dir + "`: " + read.error().message);
    auto kept = stored_chain_id(**store, *read);
    if (!kept.ok()) return error("cannot read the store in `" + dir + "`: " + kept.error().message);
    config.chain_id = kept->value_or(std::string(kOldDefaultChainId));
  }
  config.proposers = *proposers;
  Chain chain(**store, exec, config, std::move(key).value());
  auto check = check_store(chain);
  if (!check.ok()) return error("cannot read the store in `" + dir + "`: " + check.error());
  if (o.json) {
    Json j = {{"ok", !check->problem},
              {"height", check->height},
              {"blocks", check->blocks},
              {"records", check->records},
              {"state_root", to_hex(check->state_root)},
              {"seconds", check->seconds}};
    if (check->problem) j["problem"] = *check->problem;
    std::cout << j.dump() << "\n";
  } else if (check->problem) {
    std::cerr << "error: `" << o.data_dir << "` does not match its chain: " << *check->problem
              << "\n";
  } else {
    std::cout << "ok: " << check->blocks << " blocks (height " << check->height << ") and "
              << check->records << " state records match; state root " << to_hex(check->state_root)
              << " (" << check->seconds << " s)\n";
  }
  return check->problem ? 1 : 0;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<VerifyOptions>();
  auto* verify = app.add_subcommand(
      "verify", "Check a node's data against its chain: blocks, signatures, state root");
  verify->add_option("--data", o->data_dir, "the node's data directory")->capture_default_str();
  verify->add_option("--chain-id", o->chain_id,
                     "the chain's id its transactions must have (default: the one the store "
                     "keeps)");
  verify
      ->add_option("--proposers", o->proposers,
                   "the identities (hex) whose blocks are accepted; default: any")
      ->delimiter(',');
  verify->add_flag("--json", o->json, "print the result as JSON");
  verify->callback([o, &exit_code] { exit_code = run_verify(*o); });
}

}  // namespace assent::node
