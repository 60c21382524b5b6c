#include "node/cli/devnet_tls.hpp"

#include <filesystem>

#include "node/tls/certificates.hpp"

namespace assent::node {

Result<ClientTls, std::string> devnet_tls(const DevnetOptions& options, ApiConfig& api) {
  api.tls = options.server_tls;
  ClientTls client = options.client_tls;
  if (options.tls && !api.tls.enabled()) {
    // The node's certificate, and a client certificate the CLI presents if the devnet asks
    // for one (--tls-client-ca DIR/tls/ca.pem).
    auto local = ensure_local_tls(options.data_dir + "/tls", {"node", "client"});
    if (!local.ok()) return fail(local.error().message());
    const std::string client_ca = api.tls.client_ca_file;
    api.tls = local->server("node");
    api.tls.client_ca_file = client_ca;
    if (client.ca_file.empty()) client.ca_file = local->ca_file;
    if (client.cert_file.empty() && client.key_file.empty()) {
      const ClientTls mine = local->client("client");
      client.cert_file = mine.cert_file;
      client.key_file = mine.key_file;
    }
  }
  if (api.tls.enabled())
    if (auto checked = check_client_tls(client); !checked.ok())
      return fail(checked.error().message());
  return client;
}

void record_devnet_tls(Json& devnet, const ClientTls& client, const ApiConfig& api) {
  if (!api.tls.enabled()) {
    devnet.erase("tls");
    return;
  }
  auto absolute = [](const std::string& path) {
    return path.empty() ? path : std::filesystem::absolute(path).string();
  };
  devnet["tls"] = {{"ca", absolute(client.ca_file)},
                   {"cert", absolute(client.cert_file)},
                   {"key", absolute(client.key_file)}};
}

}  // namespace assent::node
