// A small client of etcd's v3 JSON gateway (POST /v3/kv/range, put, txn, deleterange;
// /v3/lease/grant, keepalive): what the etcd orderer needs, with keys and values as bytes.
// Several endpoints may be given; a call tries them in turn until one answers. https://
// endpoints are verified against `tls`'s CA, and its client certificate is presented (etcd's
// --client-cert-auth).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "node/tls/tls.hpp"
#include "stdlib/abi_codec.hpp"
#include "vm/result.hpp"

namespace assent::node {

struct EtcdKv {
  std::string key, value;
  int64_t create_revision = 0, mod_revision = 0;
};

// One operation of a transaction's success branch.
struct EtcdPut {
  std::string key, value;
  int64_t lease = 0;
};

// A comparison of a transaction: the key's value equals `value`, or (when `exists` is set)
// the key exists or not.
struct EtcdCompare {
  std::string key;
  std::optional<std::string> value;
  std::optional<bool> exists;
};

class EtcdClient {
 public:
  explicit EtcdClient(std::vector<std::string> endpoints, ClientTls tls = {});
  ~EtcdClient();

  Result<std::optional<EtcdKv>, std::string> get(const std::string& key);
  // Keys from `from` (inclusive) below `to`, at most `limit`, in key order.
  Result<std::vector<EtcdKv>, std::string> range(const std::string& from, const std::string& to,
                                                 int64_t limit);
  Result<int64_t, std::string> put(const EtcdPut& put);  // the new revision
  // All `compares` hold: the puts are made; the revision, or nullopt when a compare failed.
  Result<std::optional<int64_t>, std::string> txn(const std::vector<EtcdCompare>& compares,
                                                  const std::vector<EtcdPut>& puts);
  // Removes the keys [from, to): how many there were.
  Result<int64_t, std::string> remove_range(const std::string& from, const std::string& to);
  Result<int64_t, std::string> grant_lease(int64_t ttl_seconds);
  Result<bool, std::string> keep_alive(int64_t lease);  // false: the lease has expired
  // Watches keys [from, to) from `start_revision`: `on_change` for each batch of events, until
  // `keep_going` says stop, a second passes without news, or etcd goes away (then the caller
  // watches again).
  void watch(const std::string& from, const std::string& to, int64_t start_revision,
             const std::function<bool()>& keep_going, const std::function<void()>& on_change);

 private:
  Result<abi::Json, std::string> call(const std::string& path, const abi::Json& body);
  std::vector<std::string> endpoints_;
  ClientTls tls_;
  std::size_t current_ = 0;
};

std::string base64(const std::string& bytes);
std::string unbase64(const std::string& text);

}  // namespace assent::node
