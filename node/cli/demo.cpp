#include "node/cli/demo.hpp"

#include <iostream>

#include "node/api/json_views.hpp"
#include "node/api/wallet.hpp"
#include "node/cli/devnet.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

Identity identity_of(const std::string& text) {
  Identity id{};
  if (auto bytes = parse_hex(text); bytes.ok() && bytes->size() == 32)
    std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

class Demo {
 public:
  Demo(const std::string& url, const ClientTls& tls, Json devnet)
      : url_(url), tls_(tls), devnet_(std::move(devnet)) {}

  bool ok() const { return ok_; }

  std::string id(const std::string& who) { return devnet_["identities"][who]["identity"]; }
  Identity contract(const std::string& name) { return identity_of(devnet_["contracts"][name]); }

  // Each identity's requests are its own, signed with its key.
  ApiClient& api(const std::string& who) {
    auto it = apis_.find(who);
    if (it != apis_.end()) return *it->second;
    auto api = std::make_unique<ApiClient>(url_, tls_);
    api->sign_with(key(who));
    return *apis_.emplace(who, std::move(api)).first->second;
  }

  Wallet& wallet(const std::string& who) {
    auto it = wallets_.find(who);
    if (it != wallets_.end()) return it->second;
    return wallets_.emplace(who, Wallet(api(who), key(who))).first->second;
  }

  // Sends an action as `who`; the receipt (or null when it did not commit).
  Json act(const std::string& who, const std::string& contract_name, const std::string& method,
           const Json& args) {
    auto tx = wallet(who).call_tx(contract(contract_name), method, args, 10'000'000);
    if (!tx.ok()) return fail_with(tx.error().describe());
    auto r = wallet(who).send(*tx, true);
    if (!r.ok()) return fail_with(r.error().describe());
    if (!(*r)["committed"].get<bool>()) return fail_with("no receipt within the wait");
    return (*r)["receipt"];
  }

  // A view asked by `who`, who is its caller.
  Json view(const std::string& who, const std::string& contract_name, const std::string& method,
            const Json& args) {
    auto r = api(who).post(
        "/v1/view",
        {{"contract", devnet_["contracts"][contract_name]}, {"method", method}, {"args", args}});
    if (!r.ok()) return fail_with(r.error().describe());
    return (*r)["result"];
  }

  // The audit trail about `who`, asked by `who`.
  Json events_about(const std::string& who) {
    auto r = api(who).get("/v1/events?identity=" + id(who) + "&limit=1000");
    if (!r.ok()) return fail_with(r.error().describe());
    return (*r)["events"];
  }

 private:
  Json fail_with(const std::string& message) {
    std::cout << "  error: " << message << "\n";
    ok_ = false;
    return nullptr;
  }
  KeyPair key(const std::string& who) {
    auto key = KeyPair::load(devnet_["identities"][who]["key"]);
    if (!key.ok()) throw std::runtime_error(key.error());
    return std::move(key).value();
  }

  std::string url_;
  ClientTls tls_;
  std::map<std::string, std::unique_ptr<ApiClient>> apis_;
  Json devnet_;
  std::map<std::string, Wallet> wallets_;
  bool ok_ = true;
};

Json provision(const std::string& actor, const Json& actions, const Json& categories,
               const Json& purposes) {
  return {{"decision", "Permit"},   {"actor", actor},     {"anyone", false},
          {"roles", Json::array()}, {"actions", actions}, {"categories", categories},
          {"purposes", purposes},   {"from", 0},          {"until", 0},
          {"data_from", 0},         {"data_until", 0}};
}

}  // namespace

int run_demo(const std::string& url, const ClientTls& tls, const std::string& devnet_dir) {
  Json devnet = read_devnet(devnet_dir);
  if (!devnet.contains("contracts") || !devnet.contains("identities")) {
    std::cerr << "error: no devnet in `" << devnet_dir
              << "` (start one with `make devnet`, or name it with --devnet DIR)\n";
    return 2;
  }
  try {
    Demo d(url, tls, devnet);
    const std::string patient = d.id("patient"), provider = d.id("provider"),
                      researcher = d.id("researcher");
    std::cout << "1. The patient consents: the provider may access clinical data for "
                 "treatment;\n   the researcher may use observations for health research.\n";
    Json g1 = d.act("patient", "patient_consent", "grant",
                    {patient, 0, provision(provider, {"Access"}, {"Clinical"}, {"TREAT"})});
    Json g2 = d.act("patient", "patient_consent", "grant",
                    {patient, 0, provision(researcher, {"Use"}, {"Observation"}, {"HRESCH"})});
    if (!d.ok()) return 1;
    std::cout << "   provisions " << g1["result"] << " and " << g2["result"] << " (block "
              << g2["height"] << ")\n";

    std::cout << "2. The provider opens the patient's encounter record for treatment.\n";
    Json a = d.act("provider", "access_log", "record_access", {patient, "Encounter", "TREAT"});
    if (!d.ok()) return 1;
    std::cout << "   "
              << (a["ok"].get<bool>() ? "recorded as access " + a["result"].dump()
                                      : "refused: " + a["message"].get<std::string>())
              << "\n";

    std::cout << "3. Research query: may the researcher use lab results for a clinical trial?\n";
    Json q = d.view("researcher", "patient_consent", "explain",
                    {patient, researcher, "Use", "LabResult", "CLINTRCH"});
    if (!d.ok()) return 1;
    std::cout << "   " << (q["permitted"].get<bool>() ? "yes" : "no") << ", by provision "
              << q["provision"] << " (research covers clinical-trial research)\n";

    std::cout << "4. The patient revokes the research consent.\n";
    Json r = d.act("patient", "patient_consent", "revoke", {patient, g2["result"]});
    if (!d.ok()) return 1;
    Json after = d.view("researcher", "patient_consent", "decide",
                        {patient, researcher, "Use", "LabResult", "CLINTRCH"});
    std::cout << "   revoked in block " << r["height"]
              << "; the same query now: " << (after.get<bool>() ? "yes" : "no") << "\n";

    std::cout << "5. The researcher tries to open the patient's lab results anyway.\n";
    Json denied =
        d.act("researcher", "access_log", "record_access", {patient, "LabResult", "HRESCH"});
    if (!d.ok()) return 1;
    std::cout << "   "
              << (denied["ok"].get<bool>() ? "let in (unexpected)"
                                           : "refused: " + denied["message"].get<std::string>())
              << "\n";

    std::cout << "6. The audit trail: every event about the patient, in order.\n";
    Json events = d.events_about("patient");
    if (!d.ok()) return 1;
    for (const auto& e : events)
      std::cout << "   block " << e["height"] << "  " << e["name"].get<std::string>() << " "
                << e["fields"].dump() << "\n";
    const bool as_expected = a["ok"].get<bool>() && q["permitted"].get<bool>() &&
                             !after.get<bool>() && !denied["ok"].get<bool>();
    std::cout << (as_expected ? "\nThe chain enforced the patient's choices at every step.\n"
                              : "\nSomething did not go as the scenario expects (above).\n");
    return as_expected ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace assent::node
