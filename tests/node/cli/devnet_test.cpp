// `make devnet`'s command and the CLI over it, as a user runs them: `assent devnet` in a
// temporary directory, then demo, status, view, call, audit, tx, block, key, deploy and
// verify.
#include "tests/node/node_fixture.hpp"
#include "tests/support/shell.hpp"

using namespace assent::testing;

namespace {

Output run(const std::string& args) {
  return shell(std::string(ASSENT_BIN_DIR) + "/assent " + args);
}

std::string read_source_at(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("devnet: the reference contracts, demo identities, the demo and every CLI command") {
  const fs::path dir = fs::temp_directory_path() / ("assent-devnet-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Child devnet({std::string(ASSENT_BIN_DIR) + "/assent", "devnet", "--data", dir.string(), "--port",
                "0", "--block-ms", "20"});
  const std::string banner = devnet.read_until("Ctrl-C stops the node");
  INFO(banner);
  REQUIRE(banner.find("API: http://127.0.0.1:") != std::string::npos);
  for (const char* name : {"patient_consent", "data_sharing_agreement", "access_log",
                           "trial_consent", "did:key:z6Mk", "assent demo"})
    CHECK(banner.find(name) != std::string::npos);
  const std::string d = " --devnet " + dir.string();

  Output demo = run("demo" + d);
  INFO(demo.out);
  CHECK(demo.code == 0);
  CHECK(demo.out.find("refused: the patient's consent does not permit this access") !=
        std::string::npos);
  CHECK(demo.out.find("Revoked") != std::string::npos);

  // The devnet's chain has an id of its own (row 11: no two devnets share one).
  const std::string status_out = run("status" + d).out;
  const Json devnet_json = Json::parse(read_source_at(dir / "devnet.json"));
  const std::string chain_id = devnet_json["chain_id"];
  CHECK(chain_id.starts_with("assent-"));
  CHECK(chain_id != "assent-devnet");
  CHECK(status_out.find("chain " + chain_id + ",") != std::string::npos);
  Output view =
      run("view patient_consent decide '[\"@patient\", \"@provider\", \"Access\", "
          "\"Encounter\", \"TREAT\"]'" +
          d);
  CHECK(view.code == 0);
  CHECK(view.out == "true\n");
  Output call =
      run("call patient_consent set_default '[\"@patient\", \"Permit\"]' --as patient --json" + d);
  CHECK(call.code == 0);
  const Json receipt = Json::parse(call.out);
  CHECK(receipt["receipt"]["ok"] == true);
  const std::string hash = receipt["hash"];
  CHECK(run("tx " + hash + d).out.find("ok, gas") != std::string::npos);
  CHECK(run("block 1" + d).out.find("block 1 ") != std::string::npos);
  CHECK(run("audit --identity @patient" + d).out.find("DefaultSet") != std::string::npos);

  // Curl's way in: a bearer token for a devnet identity (docs/api.md, Authentication).
  Output token = run("token --as patient" + d);
  INFO(token.out);
  CHECK(token.code == 0);
  const std::string patient = devnet_json["identities"]["patient"]["identity"];
  const std::string url = devnet_json["url"];
  const std::string accounts = "curl -s " + url + "/v1/accounts/" + patient;
  Output with_token = shell(accounts + " -H 'Authorization: Bearer " +
                            token.out.substr(0, token.out.find('\n')) + "'");
  CHECK(with_token.out.find("\"next_nonce\"") != std::string::npos);
  Output without = shell(accounts);
  CHECK(without.out.find("\"unauthenticated\"") != std::string::npos);
  CHECK(run("token --as nobody" + d).code == 2);
  // Reads that name no one go as the devnet's default identity; --as names another.
  CHECK(run("audit --identity @patient --as auditor" + d).out.find("DefaultSet") !=
        std::string::npos);

  // A stranger's call fails in its block, and says why; bad input is refused before sending.
  Output stranger =
      run("call patient_consent set_default '[\"@patient\", \"Deny\"]' --as researcher" + d);
  CHECK(stranger.code == 1);
  CHECK(stranger.out.find("only the patient or a current delegate") != std::string::npos);
  Output typo = run("call patient_consent set_default '[\"@nobody\", \"Deny\"]' --as patient" + d);
  CHECK(typo.code == 2);
  CHECK(typo.out.find("`@nobody` names no devnet identity") != std::string::npos);

  // A new identity deploys a contract from source.
  const std::string key = (dir / "mine.pem").string();
  Output made = run("key new " + key);
  CHECK(made.code == 0);
  CHECK((fs::status(key).permissions() & fs::perms::group_read) == fs::perms::none);
  CHECK(run("key new " + key).code == 2);  // never overwritten
  // It is no member of the devnet's consortium, so its deploy is refused before the queue;
  // the registrar's is not.
  const std::string source = std::string(ASSENT_SOURCE_DIR) + "/contracts/research_opt_in.assent";
  Output refused = run("deploy " + source + " --key " + key + d);
  CHECK(refused.code == 1);
  CHECK(refused.out.find("403 not_permitted") != std::string::npos);
  Output deployed = run("deploy " + source + " --as registrar" + d);
  INFO(deployed.out);
  CHECK(deployed.code == 0);
  CHECK(deployed.out.find("contract ") != std::string::npos);
  Output members = run("consortium" + d);
  CHECK(members.code == 0);
  CHECK(members.out.find("Devnet Hospital") != std::string::npos);
  CHECK(members.out.find("patient_consent") != std::string::npos);

  // The devnet's data checks against its chain, beside the running node.
  Output verified = run("verify --data " + dir.string());
  INFO(verified.out);
  CHECK(verified.code == 0);
  CHECK(verified.out.starts_with("ok: "));
  Output as_json = run("verify --json --data " + dir.string());
  CHECK(as_json.code == 0);
  const Json check = Json::parse(as_json.out);
  CHECK(check["ok"] == true);
  CHECK(check["blocks"] == check["height"]);
  CHECK(check["blocks"].get<uint64_t>() >= 5);
  CHECK(run("verify --data " + (dir / "keys").string()).out.find("holds no node store") !=
        std::string::npos);

  // `assent verify` takes the chain's id from the store; another one names the difference.
  Output wrong = run("verify --data " + dir.string() + " --chain-id assent-other");
  CHECK(wrong.code == 1);
  CHECK(wrong.out.find("is for chain `" + chain_id + "`, not `assent-other`") != std::string::npos);

  const int status = devnet.end(SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // Resumed, the devnet keeps its chain's id.
  {
    Child resumed({std::string(ASSENT_BIN_DIR) + "/assent", "devnet", "--data", dir.string(),
                   "--port", "0", "--block-ms", "20"});
    const std::string again = resumed.read_until("Ctrl-C stops the node");
    CHECK(again.find("chain `" + chain_id + "`") != std::string::npos);
    CHECK(WEXITSTATUS(resumed.end(SIGTERM)) == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("devnet --tls: HTTPS with a CA made in its directory, the demo and the CLI over it") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-devnet-tls-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Child devnet({std::string(ASSENT_BIN_DIR) + "/assent", "devnet", "--tls", "--data", dir.string(),
                "--port", "0", "--block-ms", "20"});
  const std::string banner = devnet.read_until("Ctrl-C stops the node");
  INFO(banner);
  REQUIRE(banner.find("API: https://127.0.0.1:") != std::string::npos);
  CHECK(banner.find("HTTPS (TLS 1.2+") != std::string::npos);
  for (const char* file : {"ca.pem", "node.pem", "client.pem"})
    CHECK(fs::exists(dir / "tls" / file));
  // Keys are the owner's alone.
  for (const char* key : {"ca-key.pem", "node-key.pem", "client-key.pem"})
    CHECK((fs::status(dir / "tls" / key).permissions() &
           (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  const std::string d = " --devnet " + dir.string();
  Output demo = run("demo" + d);
  INFO(demo.out);
  CHECK(demo.code == 0);
  CHECK(demo.out.find("Revoked") != std::string::npos);
  CHECK(run("status" + d).code == 0);

  const Json devnet_json = Json::parse(read_source_at(dir / "devnet.json"));
  const std::string url = devnet_json["url"];
  CHECK(devnet_json["tls"]["ca"] == (dir / "tls" / "ca.pem").string());
  // Named by URL, the node is trusted with --ca, and refused with another CA or none.
  Output with_ca = run("status --node " + url + " --ca " + (dir / "tls" / "ca.pem").string() +
                       " --devnet /nonexistent");
  CHECK(with_ca.code == 0);
  Output untrusted = run("status --node " + url + " --devnet /nonexistent");
  CHECK(untrusted.code == 1);
  CHECK(untrusted.out.find("certificate does not verify") != std::string::npos);
  Output plain = run("status --node http" + url.substr(5) + " --devnet /nonexistent");
  CHECK(plain.code == 1);
  CHECK(plain.out.find("serves HTTPS only") != std::string::npos);
  CHECK(WEXITSTATUS(devnet.end(SIGTERM)) == 0);
  fs::remove_all(dir);
}

TEST_CASE(
    "assent node: plain HTTP off loopback, and TLS files that do not do, are refused at start") {
  const fs::path dir =
      fs::temp_directory_path() / ("assent-node-tls-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string node = "node --data " + dir.string() + " --port 0";
  Output open = run(node + " --host 0.0.0.0");
  CHECK(open.code == 1);
  CHECK(open.out.find("refusing to serve plain HTTP on 0.0.0.0") != std::string::npos);
  Output missing = run(node + " --tls-cert " + (dir / "none.pem").string() + " --tls-key " +
                       (dir / "none-key.pem").string());
  CHECK(missing.code == 1);
  CHECK(missing.out.find("tls unreadable: `" + (dir / "none.pem").string() + "`") !=
        std::string::npos);
  fs::remove_all(dir);
}
