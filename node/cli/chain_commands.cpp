#include "node/cli/chain_commands.hpp"

#include <filesystem>
#include <iostream>

#include "node/api/json_views.hpp"
#include "node/api/token_client.hpp"
#include "node/api/wallet.hpp"
#include "node/chain/consortium.hpp"
#include "node/cli/demo.hpp"
#include "node/cli/devnet.hpp"
#include "node/cli/files.hpp"
#include "node/cli/node_command.hpp"
#include "node/cli/process.hpp"
#include "node/node.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

struct Common {
  std::string node;  // the API's URL
  ClientTls tls;     // --ca, --client-cert, --client-key
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

// Whom the client trusts over https:// and what it presents: the flags', else $ASSENT_CA,
// else, for the devnet's own URL, the devnet's CA and client certificate (devnet.json);
// without a CA, the system's store.
ClientTls tls_of(const Common& c) {
  ClientTls tls = c.tls;
  if (tls.ca_file.empty())
    if (const char* env = std::getenv("ASSENT_CA")) tls.ca_file = env;
  Json d = devnet_of(c);
  if (d.contains("tls") && d.value("url", "") == url_of(c)) {
    if (tls.ca_file.empty()) tls.ca_file = d["tls"].value("ca", "");
    if (tls.cert_file.empty() && tls.key_file.empty()) {
      tls.cert_file = d["tls"].value("cert", "");
      tls.key_file = d["tls"].value("key", "");
    }
  }
  return tls;
}

// The address registered as `name` in the chain's consortium (GET /v1/consortium), if any.
Result<std::unique_ptr<ApiClient>, std::string> reader_client(const Common& c);

std::optional<std::string> registered_address(const Common& c, const std::string& name) {
  auto api = reader_client(c);
  if (!api.ok()) return std::nullopt;
  auto answer = (*api)->get("/v1/consortium");
  if (!answer.ok() || !answer->contains("registry")) return std::nullopt;
  for (const auto& entry : (*answer)["registry"])
    if (entry.value("name", "") == name) return entry.value("contract", "");
  return std::nullopt;
}

// A contract by its address, its name in the chain's registry, or its devnet name.
Result<Identity, std::string> contract_of(const Common& c, const std::string& text) {
  std::string hexed = text;
  Json d = devnet_of(c);
  if (d.contains("contracts") && d["contracts"].contains(text)) {
    hexed = d["contracts"][text];
  } else if (text.size() != 64) {
    if (auto registered = registered_address(c, text)) hexed = *registered;
  }
  auto bytes = parse_hex(hexed);
  if (!bytes.ok() || bytes->size() != 32)
    return fail("`" + text +
                "` is neither a contract address (64 hex digits) nor a name in the chain's "
                "registry (`assent consortium` lists them) or the devnet's");
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

Result<KeyPair, std::string> devnet_key(const Common& c, const std::string& name,
                                        const std::string& given_as) {
  Json d = devnet_of(c);
  if (d.contains("identities") && d["identities"].contains(name))
    return KeyPair::load(d["identities"][name]["key"]);
  return fail(given_as + ": `" + name + "` is no devnet identity (see " + c.devnet +
              "/devnet.json)");
}

Result<KeyPair, std::string> key_of(const Common& c) {
  if (!c.key.empty()) return KeyPair::load(c.key);
  if (!c.as.empty()) return devnet_key(c, c.as, "--as");
  return fail(std::string("name the signer: --key FILE.pem, or --as NAME on a devnet"));
}

// Who a command that only reads is sent as (docs/api.md, "Authentication"): --key or --as;
// else $ASSENT_AS (a devnet identity); else the devnet's default identity (devnet.json's
// `default_identity`: the registrar); else no one, which the node answers for status only.
Result<std::optional<KeyPair>, std::string> reader_key(const Common& c) {
  if (!c.key.empty() || !c.as.empty()) {
    auto key = key_of(c);
    if (!key.ok()) return fail(key.error());
    return std::optional<KeyPair>(std::move(key).value());
  }
  if (const char* env = std::getenv("ASSENT_AS"); env != nullptr && *env != '\0') {
    auto key = devnet_key(c, env, "$ASSENT_AS");
    if (!key.ok()) return fail(key.error());
    return std::optional<KeyPair>(std::move(key).value());
  }
  Json d = devnet_of(c);
  if (d.contains("default_identity") && d["default_identity"].is_string()) {
    auto key = devnet_key(c, d["default_identity"], "the devnet's default_identity");
    if (!key.ok()) return fail(key.error());
    return std::optional<KeyPair>(std::move(key).value());
  }
  return std::optional<KeyPair>();
}

// A client of the node that signs each request as reader_key says.
Result<std::unique_ptr<ApiClient>, std::string> reader_client(const Common& c) {
  auto key = reader_key(c);
  if (!key.ok()) return fail(key.error());
  auto api = std::make_unique<ApiClient>(url_of(c), tls_of(c));
  if (*key) api->sign_with(std::move(**key));
  return api;
}

void add_common(CLI::App* cmd, Common& c, bool signs) {
  cmd->add_option("--node", c.node, "the node's API (default: the devnet's, or $ASSENT_NODE)");
  cmd->add_option("--ca", c.tls.ca_file,
                  "the CA (PEM) that signed the node's certificate, for https:// (default: "
                  "$ASSENT_CA, the devnet's, or the system's)");
  cmd->add_option("--client-cert", c.tls.cert_file,
                  "a client certificate (PEM), for a node that asks for one");
  cmd->add_option("--client-key", c.tls.key_file, "the client certificate's key (PEM)");
  cmd->add_option("--devnet", c.devnet, "the devnet directory, for names")->capture_default_str();
  cmd->add_flag("--json", c.json, "print the node's JSON answer");
  cmd->add_option("--key", c.key,
                  signs ? "the signer's private key (PEM)"
                        : "ask as this key's identity (PEM; default: $ASSENT_AS, or the "
                          "devnet's default identity)");
  cmd->add_option("--as", c.as,
                  signs ? "the signer, a devnet identity (patient, provider, ...)"
                        : "ask as this devnet identity (patient, provider, ...)");
  if (signs) cmd->add_option("--gas", c.gas, "gas limit")->capture_default_str();
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
  ApiClient api(url_of(c), tls_of(c));
  api.sign_with(*key);  // the request is sent as the transaction's signer
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

// Each command below: its options, read into a struct that its callback owns, and a function
// that runs it and returns the exit code (2 for what the user gave wrong, 1 for what failed).

int print_identity(const KeyPair& k) {
  std::cout << "identity " << hex(k.public_key()) << "\n" << did_key(k.public_key()) << "\n";
  return 0;
}

int key_new(const std::string& path) {
  auto k = KeyPair::generate();
  auto saved = k.ok() ? k->save(path) : Result<bool, std::string>(fail(k.error()));
  if (!saved.ok()) return fail_input(saved.error());
  return print_identity(*k);
}

int key_show(const std::string& path) {
  auto k = KeyPair::load(path);
  if (!k.ok()) return fail_input(k.error());
  return print_identity(*k);
}

void add_key_command(CLI::App& app, int& exit_code) {
  auto* key = app.add_subcommand("key", "Make or show an Ed25519 identity (PEM, mode 0600)");
  key->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* made = key->add_subcommand("new", "Write a new private key to FILE");
  made->add_option("file", *path, "where (never overwritten)")->required();
  made->callback([path, &exit_code] { exit_code = key_new(*path); });
  auto* shown = key->add_subcommand("show", "Print the identity of a private key");
  shown->add_option("file", *path, "the key (PEM)")->required();
  shown->callback([path, &exit_code] { exit_code = key_show(*path); });
}

// Compiles an .assent file to `module` with the assentc beside this program; false (with what
// assentc said printed) if it would not.
bool compile_module(const std::string& source, const std::string& module) {
  auto p = run_process({sibling_program("assentc"), source, "-o", module});
  if (p.exit_code == 0) return true;
  std::cerr << p.output;
  return false;
}

struct Deploy {
  Common c;
  std::string file, args;
};

int deploy(const Deploy& d) {
  std::string module_path = d.file;
  if (d.file.ends_with(".assent")) {
    module_path = (std::filesystem::temp_directory_path() /
                   ("assent-deploy-" + std::to_string(::getpid()) + ".acm"))
                      .string();
    if (!compile_module(d.file, module_path)) return 1;
  }
  auto bytes = read_file(module_path);
  if (module_path != d.file) std::filesystem::remove(module_path);
  if (!bytes.ok()) return fail_input(bytes.error());
  auto init = parse_args(d.c, d.args);
  if (!init.ok()) return fail_input(init.error());
  return send_tx(d.c, [&](Wallet& w) { return w.deploy_tx(*bytes, *init, d.c.gas); });
}

void add_deploy_command(CLI::App& app, int& exit_code) {
  auto d = std::make_shared<Deploy>();
  auto* cmd = app.add_subcommand("deploy", "Deploy a contract (.assent or .acm) through a node");
  cmd->add_option("file", d->file, "the contract")->required();
  cmd->add_option("--args", d->args, "init's arguments as a JSON array");
  add_common(cmd, d->c, true);
  cmd->callback([d, &exit_code] { exit_code = deploy(*d); });
}

// `call` and `view`: a contract, a method and its arguments.
struct Invoke {
  Common c;
  std::string contract, method, args;
};

void add_invoke_options(CLI::App* cmd, Invoke& i, const char* method_is) {
  cmd->add_option("contract", i.contract, "address, or devnet name")->required();
  cmd->add_option("method", i.method, method_is)->required();
  cmd->add_option("args", i.args, "arguments as a JSON array; \"@name\" for devnet names");
}

int call(const Invoke& i) {
  auto to = contract_of(i.c, i.contract);
  auto a = parse_args(i.c, i.args);
  if (!to.ok() || !a.ok()) return fail_input(!to.ok() ? to.error() : a.error());
  return send_tx(i.c, [&](Wallet& w) { return w.call_tx(*to, i.method, *a, i.c.gas); });
}

void add_call_command(CLI::App& app, int& exit_code) {
  auto i = std::make_shared<Invoke>();
  auto* cmd = app.add_subcommand("call", "Run an action of a contract, signed, in a block");
  add_invoke_options(cmd, *i, "the action");
  add_common(cmd, i->c, true);
  cmd->callback([i, &exit_code] { exit_code = call(*i); });
}

int view(const Invoke& i) {
  auto to = contract_of(i.c, i.contract);
  auto a = parse_args(i.c, i.args);
  if (!to.ok() || !a.ok()) return fail_input(!to.ok() ? to.error() : a.error());
  // The view runs as whoever sends it (--as, --key): a node takes no caller the client names.
  Json body = {{"contract", hex(*to)}, {"method", i.method}, {"args", *a}};
  auto api = reader_client(i.c);
  if (!api.ok()) return fail_input(api.error());
  return report(i.c, (*api)->post("/v1/view", body),
                [](const Json& r) { std::cout << r["result"].dump() << "\n"; });
}

void add_view_command(CLI::App& app, int& exit_code) {
  auto i = std::make_shared<Invoke>();
  auto* cmd = app.add_subcommand("view", "Run a view of a contract on the node's latest state");
  add_invoke_options(cmd, *i, "the view");
  add_common(cmd, i->c, false);
  cmd->callback([i, &exit_code] { exit_code = view(*i); });
}

// `tx` and `block`: one thing the node has, by hash or height.
struct Lookup {
  Common c;
  std::string key;
};

void print_tx(const Json& r) {
  print_receipt({{"hash", r["tx"]["hash"]}, {"committed", true}, {"receipt", r["receipt"]}});
}

void print_block(const Json& b) {
  std::cout << "block " << b["height"] << " " << b["hash"].get<std::string>() << "\n  time "
            << b["time"] << ", " << b["tx_count"] << " transactions, state root "
            << b["state_root"].get<std::string>() << "\n";
  for (const auto& t : b["transactions"])
    std::cout << "  " << t.get<std::string>() << "\n";
}

// A command that GETs `path` and the key it is given, and prints the answer with `print`.
struct LookupCommand {
  const char* name;
  const char* about;
  const char* key_name;
  const char* key_is;
  const char* path;
  void (*print)(const Json&);
};

const LookupCommand kTx{"tx",
                        "Show a committed transaction and its receipt",
                        "hash",
                        "the transaction hash",
                        "/v1/transactions/",
                        print_tx};
const LookupCommand kBlock{"block",       "Show a block by height or hash",
                           "block",       "height or hash",
                           "/v1/blocks/", print_block};

void add_lookup_command(CLI::App& app, int& exit_code, const LookupCommand& spec) {
  auto l = std::make_shared<Lookup>();
  auto* cmd = app.add_subcommand(spec.name, spec.about);
  cmd->add_option(spec.key_name, l->key, spec.key_is)->required();
  add_common(cmd, l->c, false);
  cmd->callback([l, spec, &exit_code] {
    auto api = reader_client(l->c);
    exit_code = api.ok() ? report(l->c, (*api)->get(spec.path + l->key), spec.print)
                         : fail_input(api.error());
  });
}

struct Audit {
  Common c;
  std::map<std::string, std::string> filter;  // option name -> value
};

// The query string of an audit's filter, names resolved; or what is wrong with it.
Result<std::string, std::string> audit_query(const Audit& a) {
  std::string query;
  for (const auto& [name, value] : a.filter) {
    if (value.empty()) continue;
    std::string v = value;
    if (name == "contract") {
      auto id = contract_of(a.c, v);
      if (!id.ok()) return fail(id.error());
      v = hex(*id);
    } else if (name == "identity") {
      auto id = resolve_names(a.c, Json(v));
      if (!id.ok()) return fail(id.error());
      v = id->get<std::string>();
    }
    query += (query.empty() ? "?" : "&") + name + "=" + v;
  }
  return query;
}

void print_events(const Json& r) {
  for (const auto& e : r["events"])
    std::cout << "#" << e["seq"] << " block " << e["height"] << " t=" << e["time"] << " "
              << e["name"].get<std::string>() << " " << e["fields"].dump() << "\n";
  if (r.contains("next_after")) std::cout << "(more: --after " << r["next_after"] << ")\n";
  if (r["events"].empty()) std::cout << "no events\n";
}

int audit(const Audit& a) {
  auto query = audit_query(a);
  if (!query.ok()) return fail_input(query.error());
  auto api = reader_client(a.c);
  if (!api.ok()) return fail_input(api.error());
  return report(a.c, (*api)->get("/v1/events" + *query), print_events);
}

void add_audit_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<Audit>();
  auto* cmd = app.add_subcommand("audit", "Events by contract or identity, in order, paged");
  for (const char* opt : {"contract", "identity", "name", "from", "to", "after", "limit"})
    cmd->add_option(std::string("--") + opt, a->filter[opt]);
  add_common(cmd, a->c, false);
  cmd->callback([a, &exit_code] { exit_code = audit(*a); });
}

void print_status(const Json& s) {
  std::cout << "chain " << s["chain_id"].get<std::string>() << ", height " << s["height"] << ", "
            << s["queued"] << " queued\n  head " << s["head"].get<std::string>()
            << "\n  state root " << s["state_root"].get<std::string>() << "\n";
}

void add_status_command(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<Common>();
  auto* cmd = app.add_subcommand("status", "The node's chain, height and state root");
  add_common(cmd, *c, false);
  cmd->callback([c, &exit_code] {
    ApiClient api(url_of(*c), tls_of(*c));
    exit_code = report(*c, api.get("/v1/status"), print_status);
  });
}

// `govern`: a change to the chain's consortium, signed by a registrar.
struct Govern {
  Common c;
  std::string operation, args;
};

void add_govern_command(CLI::App& app, int& exit_code) {
  auto g = std::make_shared<Govern>();
  auto* cmd = app.add_subcommand(
      "govern", "Change the chain's consortium (members, deployers, registry), as a registrar");
  cmd->add_option("operation", g->operation, governance_signatures())->required();
  cmd->add_option("args", g->args, "its arguments as a JSON array; \"@name\" for devnet names");
  add_common(cmd, g->c, true);
  cmd->callback([g, &exit_code] {
    auto a = parse_args(g->c, g->args);
    if (!a.ok()) {
      exit_code = fail_input(a.error());
      return;
    }
    exit_code = send_tx(g->c, [&](Wallet& w) { return w.govern_tx(g->operation, *a, g->c.gas); });
  });
}

void print_consortium(const Json& r) {
  if (r["open"].get<bool>()) {
    std::cout << "an open chain: no consortium (made without a genesis); anyone may deploy\n";
    return;
  }
  std::cout << "members (governed by: " << r["rule"].get<std::string>() << ")\n";
  for (const auto& m : r["members"]) {
    std::string roles;
    for (const auto& role : m["roles"]) {
      if (!roles.empty()) roles += ',';
      roles += role.get<std::string>();
    }
    std::cout << "  " << m["name"].get<std::string>() << "  " << m["key"].get<std::string>()
              << "  roles " << (roles.empty() ? "-" : roles)
              << (m["deploy"].get<bool>() ? ", deploys" : "") << "\n";
  }
  std::cout << "registry\n";
  for (const auto& e : r["registry"])
    std::cout << "  " << e["name"].get<std::string>() << "  " << e["contract"].get<std::string>()
              << "\n";
  if (r["registry"].empty()) std::cout << "  (no contract registered)\n";
}

void add_consortium_command(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<Common>();
  auto* cmd = app.add_subcommand("consortium", "The chain's members, their roles and registry");
  add_common(cmd, *c, false);
  cmd->callback([c, &exit_code] {
    auto api = reader_client(*c);
    if (!api.ok()) {
      exit_code = fail_input(api.error());
      return;
    }
    exit_code = report(*c, (*api)->get("/v1/consortium"), print_consortium);
  });
}

// `assent token`: a bearer token for the identity --as or --key names (POST /v1/token), for
// curl: curl -H "Authorization: Bearer $(assent token --as patient)" ...
struct TokenOptions {
  Common c;
  std::string scope;
};

int token(const TokenOptions& t) {
  auto key = key_of(t.c);
  if (!key.ok()) return fail_input(key.error());
  ApiClient api(url_of(t.c), tls_of(t.c));
  auto token = request_token(api, *key, t.scope);
  if (!token.ok()) {
    std::cerr << "error: " << token.error().describe() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

void add_token_command(CLI::App& app, int& exit_code) {
  auto t = std::make_shared<TokenOptions>();
  auto* cmd = app.add_subcommand(
      "token", "Print a bearer token for an identity the node has registered (for curl)");
  cmd->add_option("--node", t->c.node, "the node's API (default: the devnet's, or $ASSENT_NODE)");
  cmd->add_option("--devnet", t->c.devnet, "the devnet directory, for names")
      ->capture_default_str();
  cmd->add_option("--key", t->c.key, "the client's private key (PEM)");
  cmd->add_option("--as", t->c.as, "the client, a devnet identity (patient, provider, ...)");
  cmd->add_option("--ca", t->c.tls.ca_file,
                  "the CA (PEM) that signed the node's certificate, for https:// (default: "
                  "$ASSENT_CA, the devnet's, or the system's)");
  cmd->add_option("--scope", t->scope, "system/*.read, system/*.write or both (default: both)");
  cmd->callback([t, &exit_code] { exit_code = token(*t); });
}

void add_devnet_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DevnetOptions>();
  auto* cmd = app.add_subcommand(
      "devnet", "Run a local devnet: one node, the reference contracts, demo identities");
  cmd->add_option("--data", o->data_dir, "data directory")->capture_default_str();
  cmd->add_option("--port", o->port, "API port (loopback)")->capture_default_str();
  cmd->add_option("--block-ms", o->block_ms, "block interval")->capture_default_str();
  cmd->add_option("--contracts", o->contracts_dir, "the reference contracts");
  cmd->add_flag("--tls", o->tls,
                "serve HTTPS, with a CA and certificates made in DATA/tls (the CLI trusts them "
                "for this devnet)");
  add_server_tls_options(cmd, o->server_tls);
  cmd->add_option("--ca", o->client_tls.ca_file,
                  "with --tls-cert: the CA the devnet's own client verifies it with (default: "
                  "the system's)");
  cmd->add_option("--client-cert", o->client_tls.cert_file,
                  "with --tls-client-ca: the devnet's own client certificate");
  cmd->add_option("--client-key", o->client_tls.key_file, "its key");
  cmd->callback([o, &exit_code] { exit_code = run_devnet(*o); });
}

void add_demo_command(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<Common>();
  auto* cmd = app.add_subcommand("demo", "Play a consent scenario against a running devnet");
  add_common(cmd, *c, false);
  cmd->callback([c, &exit_code] { exit_code = run_demo(url_of(*c), tls_of(*c), c->devnet); });
}

}  // namespace

void add_chain_commands(CLI::App& app, int& exit_code) {
  add_key_command(app, exit_code);
  add_deploy_command(app, exit_code);
  add_call_command(app, exit_code);
  add_view_command(app, exit_code);
  add_lookup_command(app, exit_code, kTx);
  add_lookup_command(app, exit_code, kBlock);
  add_audit_command(app, exit_code);
  add_status_command(app, exit_code);
  add_consortium_command(app, exit_code);
  add_govern_command(app, exit_code);
  add_token_command(app, exit_code);
  add_devnet_command(app, exit_code);
  add_node_command(app, exit_code);
  add_demo_command(app, exit_code);
}

}  // namespace assent::node
