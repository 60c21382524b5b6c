// The HTTP(S) clients of the node and its CLI, on cpp-httplib: the CLI's and the demo's
// (node/api/client), a cluster's forwarding and block fetching, and the etcd client. An
// https:// URL is verified: the server's certificate against the CA given (else the system's
// store), and its name or IP address against the URL's host. A client certificate is
// presented when one is given.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "node/tls/tls.hpp"

namespace assent::node {

// A client of `url` (http:// or https://) with `tls`. Check the files first
// (check_client_tls) to say what is wrong with them: a client whose files do not load answers
// nothing (its requests fail with SSLConnection).
std::unique_ptr<httplib::Client> make_http_client(const std::string& url, const ClientTls& tls);

// Why a request to `url` got no answer, in words: the connection refused, or the TLS
// handshake's reason (the server's certificate not signed by the CA, expired, for another
// name; a client certificate required; a plain HTTP server), with what to do about it.
// Call it on the thread that made the request, right after (OpenSSL's reasons are kept per
// thread).
std::string describe_http_failure(const httplib::Client& client, httplib::Error error,
                                  const std::string& url, const ClientTls& tls);

}  // namespace assent::node
