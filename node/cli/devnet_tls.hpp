// A devnet's TLS: `assent devnet --tls` makes a CA and certificates for the loopback names in
// DIR/tls (OpenSSL's C API, node/tls/certificates.hpp), or takes the files given; its own
// client, and the CLI's for the devnet's URL (devnet.json's "tls"), trust that CA.
#pragma once

#include <string>

#include "node/api/server.hpp"
#include "node/cli/devnet.hpp"

namespace assent::node {

// Sets `api.tls` as `options` ask (HTTPS with the files made or given, else nothing): whom the
// devnet's own client trusts and what it presents, or what is wrong with the files.
Result<ClientTls, std::string> devnet_tls(const DevnetOptions& options, ApiConfig& api);

// Records in `devnet` (devnet.json) the CA and client certificate the CLI uses for the
// devnet's URL; none for a plain HTTP devnet.
void record_devnet_tls(Json& devnet, const ClientTls& client, const ApiConfig& api);

}  // namespace assent::node
