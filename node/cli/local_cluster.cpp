#include "node/cli/local_cluster.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "node/chain/chain_id.hpp"
#include "node/cli/process.hpp"
#include "node/node.hpp"
#include "node/tls/certificates.hpp"
#include "node/tls/http_client.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace fs = std::filesystem;

namespace {

// Starts `argv` in a session of its own, its output appended to `log`.
Result<pid_t, std::string> spawn(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return fail(std::string("cannot fork"));
  if (pid == 0) {
    setsid();
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

std::string local(int port, bool tls) {
  return (tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port);
}

}  // namespace

int find_free_base_port(int start, int nodes) {
  auto free = [](int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  };
  for (int base = start; base < 60000; base += 1500) {
    bool all = true;
    for (int i = 0; i <= nodes && all; ++i)
      all = free(base + 2 * i) && free(base + 2 * i + 1) && free(base + 100 + i);
    if (all) return base;
  }
  return start;
}

bool wait_for_http(const std::string& url, const std::string& path, double seconds,
                   const ClientTls& tls) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(int(seconds * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    auto client = make_http_client(url, tls);
    httplib::Client& c = *client;
    c.set_connection_timeout(0, 200'000);
    c.set_read_timeout(1, 0);
    auto r = c.Get(path);
    if (r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

abi::Json LocalCluster::to_json() const {
  auto list = [](const std::vector<ClusterProcess>& ps) {
    abi::Json out = abi::Json::array();
    for (const auto& p : ps)
      out.push_back(
          {{"name", p.name}, {"url", p.url}, {"data", p.data}, {"log", p.log}, {"pid", p.pid}});
    return out;
  };
  return {{"dir", dir},           {"chain_id", chain_id},
          {"tls_dir", tls_dir},   {"members", list(members)},
          {"nodes", list(nodes)}, {"proposers", proposers}};
}

Result<LocalCluster, std::string> LocalCluster::read(const std::string& dir) {
  std::ifstream in(dir + "/cluster.json");
  if (!in) return fail("no cluster in `" + dir + "` (start one with `assent cluster up`)");
  try {
    const abi::Json j = abi::Json::parse(in);
    LocalCluster c;
    c.dir = dir;
    for (const char* kind : {"members", "nodes"})
      for (const auto& p : j[kind])
        (std::string(kind) == "members" ? c.members : c.nodes)
            .push_back({p["name"], p["url"], p["data"], p["log"], p["pid"].get<pid_t>()});
    c.proposers = j.value("proposers", std::vector<std::string>{});
    c.chain_id = j.value("chain_id", std::string());
    c.tls_dir = j.value("tls_dir", std::string());
    return c;
  } catch (const std::exception& e) {
    return fail("`" + dir + "/cluster.json` is damaged: " + e.what());
  }
}

ClientTls LocalCluster::client_tls() const {
  if (tls_dir.empty()) return {};
  return {tls_dir + "/ca.pem", tls_dir + "/client.pem", tls_dir + "/client-key.pem"};
}

std::vector<std::string> LocalCluster::etcd_urls() const {
  std::vector<std::string> urls;
  for (const auto& m : members)
    urls.push_back(m.url);
  return urls;
}

Result<pid_t, std::string> LocalCluster::start_member(std::size_t i,
                                                      const LocalClusterConfig& config) {
  const bool tls = !tls_dir.empty();
  std::string initial;
  for (std::size_t k = 0; k < members.size(); ++k)
    initial +=
        (k ? "," : "") + members[k].name + "=" + local(config.base_port + 2 * int(k) + 1, tls);
  const std::string peer = local(config.base_port + 2 * int(i) + 1, tls);
  std::vector<std::string> argv = {config.etcd,
                                   "--name",
                                   members[i].name,
                                   "--data-dir",
                                   members[i].data,
                                   "--listen-client-urls",
                                   members[i].url,
                                   "--advertise-client-urls",
                                   members[i].url,
                                   "--listen-peer-urls",
                                   peer,
                                   "--initial-advertise-peer-urls",
                                   peer,
                                   "--initial-cluster",
                                   initial,
                                   "--initial-cluster-token",
                                   "assent-local",
                                   "--heartbeat-interval",
                                   "50",
                                   "--election-timeout",
                                   "500",
                                   "--auto-compaction-mode",
                                   "revision",
                                   "--auto-compaction-retention",
                                   "10000"};
  if (tls) {
    // Clients and peers alike show a certificate the cluster's CA signed.
    const std::string cert = tls_dir + "/" + members[i].name + ".pem",
                      key = tls_dir + "/" + members[i].name + "-key.pem", ca = tls_dir + "/ca.pem";
    for (const char* a :
         {"--cert-file", cert.c_str(), "--key-file", key.c_str(), "--trusted-ca-file", ca.c_str(),
          "--client-cert-auth", "--peer-cert-file", cert.c_str(), "--peer-key-file", key.c_str(),
          "--peer-trusted-ca-file", ca.c_str(), "--peer-client-cert-auth"})
      argv.push_back(a);
  }
  auto pid = spawn(argv, members[i].log);
  if (pid.ok()) members[i].pid = *pid;
  return pid;
}

Result<pid_t, std::string> LocalCluster::start_node(std::size_t i,
                                                    const LocalClusterConfig& config) {
  // Each node asks its own etcd member first.
  std::string endpoints = members[i % members.size()].url;
  for (std::size_t k = 0; k < members.size(); ++k)
    if (k != i % members.size()) endpoints += "," + members[k].url;
  const std::string assent = config.assent.empty() ? sibling_program("assent") : config.assent;
  const std::string port = std::to_string(config.base_port + 100 + int(i));
  std::vector<std::string> argv = {assent,
                                   "node",
                                   "--data",
                                   nodes[i].data,
                                   "--port",
                                   port,
                                   "--etcd",
                                   endpoints,
                                   "--name",
                                   nodes[i].name,
                                   "--block-ms",
                                   std::to_string(config.block_ms),
                                   "--etcd-keep-blocks",
                                   std::to_string(config.keep_blocks)};
  if (!chain_id.empty()) {
    argv.push_back("--chain-id");
    argv.push_back(chain_id);
  }
  if (config.pin_proposers && !proposers.empty()) {
    std::string list;
    for (const auto& id : proposers)
      list += (list.empty() ? "" : ",") + id;
    argv.push_back("--proposers");
    argv.push_back(list);
  }
  if (!tls_dir.empty()) {
    // Its certificate serves its API and is its client certificate for etcd; etcd and the
    // other nodes are verified against the cluster's CA.
    const std::string cert = tls_dir + "/" + nodes[i].name + ".pem",
                      key = tls_dir + "/" + nodes[i].name + "-key.pem", ca = tls_dir + "/ca.pem";
    for (const char* a :
         {"--tls-cert", cert.c_str(), "--tls-key", key.c_str(), "--peer-ca", ca.c_str(),
          "--etcd-ca", ca.c_str(), "--etcd-cert", cert.c_str(), "--etcd-key", key.c_str()})
      argv.push_back(a);
  }
  if (!config.advertise_host.empty()) {
    argv.push_back("--advertise");
    argv.push_back((tls_dir.empty() ? "http://" : "https://") + config.advertise_host + ":" + port);
  }
  auto pid = spawn(argv, nodes[i].log);
  if (pid.ok()) nodes[i].pid = *pid;
  return pid;
}

Result<LocalCluster, std::string> cluster_up(const LocalClusterConfig& config) {
  std::error_code ec;
  fs::create_directories(config.dir, ec);
  if (ec) return fail("cannot create `" + config.dir + "`: " + ec.message());
  const std::string dir = fs::absolute(config.dir).string();
  LocalCluster c;
  c.dir = dir;
  // Every node of the cluster gets the same id: the one asked for, or the one the cluster had
  // (its nodes' stores keep it), or a new random one.
  c.chain_id = config.chain_id;
  if (c.chain_id.empty())
    if (auto before = LocalCluster::read(dir); before.ok()) c.chain_id = before->chain_id;
  if (c.chain_id.empty()) {
    auto made = random_chain_id();
    if (!made.ok()) return fail(made.error());
    c.chain_id = *made;
  }
  for (int i = 0; i < config.nodes; ++i) {
    const std::string n = std::to_string(i + 1);
    c.members.push_back({"etcd" + n, local(config.base_port + 2 * i, config.tls), dir + "/etcd" + n,
                         dir + "/etcd" + n + ".log", -1});
    c.nodes.push_back({"node" + n, local(config.base_port + 100 + i, config.tls), dir + "/node" + n,
                       dir + "/node" + n + ".log", -1});
    // Each node's key is made now, so that every node knows the chain's proposers.
    fs::create_directories(c.nodes.back().data, ec);
    if (ec) return fail("cannot create `" + c.nodes.back().data + "`: " + ec.message());
    auto key = load_or_create_key(c.nodes.back().data + "/node.pem");
    if (!key.ok()) return fail(key.error());
    c.proposers.push_back(to_hex(key->public_key()));
  }
  if (config.tls) {
    std::vector<std::string> names = {"client"};
    for (const auto* list : {&c.members, &c.nodes})
      for (const auto& p : *list)
        names.push_back(p.name);
    std::vector<std::string> hosts = loopback_hosts();
    if (!config.advertise_host.empty()) hosts.push_back(config.advertise_host);
    auto made = ensure_local_tls(dir + "/tls", names, hosts);
    if (!made.ok()) return fail(made.error().message());
    c.tls_dir = made->dir;
  }
  // Whatever fails, nothing started is left running.
  auto give_up = [&c](const std::string& why) {
    cluster_down(c);
    return fail(why);
  };
  for (std::size_t i = 0; i < c.members.size(); ++i)
    if (auto pid = c.start_member(i, config); !pid.ok()) return give_up(pid.error());
  for (const auto& m : c.members)
    if (!wait_for_http(m.url, "/health", 20, c.client_tls()))
      return give_up("etcd member " + m.name + " did not start (see " + m.log + ")");
  for (std::size_t i = 0; i < c.nodes.size(); ++i)
    if (auto pid = c.start_node(i, config); !pid.ok()) return give_up(pid.error());
  for (const auto& n : c.nodes)
    if (!wait_for_http(n.url, "/v1/status", 20, c.client_tls()))
      return give_up("node " + n.name + " did not start (see " + n.log + ")");
  std::ofstream(dir + "/cluster.json") << c.to_json().dump(2) << "\n";
  return c;
}

bool cluster_down(const LocalCluster& c) {
  std::vector<pid_t> pids;
  for (const auto* list : {&c.nodes, &c.members})
    for (const auto& p : *list)
      if (p.pid > 0 && ::kill(p.pid, SIGTERM) == 0) pids.push_back(p.pid);
  // Our own children are reaped; the processes of a cluster another command started are
  // gone when they no longer exist.
  auto gone = [](pid_t pid) {
    const pid_t r = waitpid(pid, nullptr, WNOHANG);
    if (r == pid || ::kill(pid, 0) != 0) return true;
    // A zombie nobody reaps (its parent, `cluster up`, has exited) has stopped too.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, name, state;
    stat >> pid_field >> name >> state;
    return state == "Z";
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool all = true;
  for (pid_t pid : pids) {
    while (!gone(pid) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!gone(pid)) {
      ::kill(pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      all = all && gone(pid);
    }
  }
  return all;
}

}  // namespace assent::node
