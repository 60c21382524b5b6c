#include "node/orderer/etcd_client.hpp"

#include <openssl/evp.h>

#include "node/tls/http_client.hpp"

namespace assent::node {

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(const std::string& text) {
  if (text.empty()) return {};
  std::string out(3 * text.size() / 4 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
    --len;
  out.resize(len);
  return out;
}

namespace {

int64_t as_int(const abi::Json& j, const char* name) {
  if (!j.contains(name)) return 0;
  const auto& v = j[name];
  if (v.is_string()) return std::strtoll(v.get<std::string>().c_str(), nullptr, 10);
  return v.is_number() ? v.get<int64_t>() : 0;
}

EtcdKv kv_of(const abi::Json& j) {
  return {unbase64(j.value("key", "")), unbase64(j.value("value", "")),
          as_int(j, "create_revision"), as_int(j, "mod_revision")};
}

abi::Json put_json(const EtcdPut& p) {
  abi::Json j = {{"key", base64(p.key)}, {"value", base64(p.value)}};
  if (p.lease != 0) j["lease"] = std::to_string(p.lease);
  return j;
}

}  // namespace

EtcdClient::EtcdClient(std::vector<std::string> endpoints, ClientTls tls)
    : endpoints_(std::move(endpoints)), tls_(std::move(tls)) {}
EtcdClient::~EtcdClient() = default;

Result<abi::Json, std::string> EtcdClient::call(const std::string& path, const abi::Json& body) {
  std::string last_error = "no etcd endpoint";
  for (std::size_t tried = 0; tried < endpoints_.size(); ++tried) {
    const std::string& url = endpoints_[current_];
    auto c = make_http_client(url, tls_);
    c->set_connection_timeout(1, 0);
    c->set_read_timeout(3, 0);
    auto r = c->Post(path, body.dump(), "application/json");
    if (r && r->status == 200) {
      try {
        abi::Json j = abi::Json::parse(r->body);
        if (j.is_object()) return j;
      } catch (...) {
      }
      return fail("etcd at " + url + " answered with something other than a JSON object");
    }
    last_error = r ? "etcd at " + url + ": HTTP " + std::to_string(r->status) + " " + r->body
                   : "etcd at " + url + " does not answer (" +
                         describe_http_failure(*c, r.error(), url, tls_) + ")";
    current_ = (current_ + 1) % endpoints_.size();
  }
  return fail(last_error);
}

Result<std::optional<EtcdKv>, std::string> EtcdClient::get(const std::string& key) {
  auto r = call("/v3/kv/range", {{"key", base64(key)}});
  if (!r.ok()) return fail(r.error());
  if (!r->contains("kvs") || (*r)["kvs"].empty()) return std::optional<EtcdKv>{};
  return std::optional<EtcdKv>(kv_of((*r)["kvs"][0]));
}

Result<std::vector<EtcdKv>, std::string> EtcdClient::range(const std::string& from,
                                                           const std::string& to, int64_t limit) {
  auto r =
      call("/v3/kv/range",
           {{"key", base64(from)}, {"range_end", base64(to)}, {"limit", std::to_string(limit)}});
  if (!r.ok()) return fail(r.error());
  std::vector<EtcdKv> out;
  if (r->contains("kvs"))
    for (const auto& kv : (*r)["kvs"])
      out.push_back(kv_of(kv));
  return out;
}

Result<int64_t, std::string> EtcdClient::put(const EtcdPut& p) {
  auto r = call("/v3/kv/put", put_json(p));
  if (!r.ok()) return fail(r.error());
  return as_int((*r)["header"], "revision");
}

Result<std::optional<int64_t>, std::string> EtcdClient::txn(
    const std::vector<EtcdCompare>& compares, const std::vector<EtcdPut>& puts) {
  abi::Json cmp = abi::Json::array(), success = abi::Json::array();
  for (const auto& c : compares) {
    if (c.value)
      cmp.push_back({{"key", base64(c.key)},
                     {"target", "VALUE"},
                     {"result", "EQUAL"},
                     {"value", base64(*c.value)}});
    else  // create_revision 0: the key does not exist
      cmp.push_back({{"key", base64(c.key)},
                     {"target", "CREATE"},
                     {"result", *c.exists ? "GREATER" : "EQUAL"},
                     {"create_revision", "0"}});
  }
  for (const auto& p : puts)
    success.push_back({{"request_put", put_json(p)}});
  auto r = call("/v3/kv/txn", {{"compare", cmp}, {"success", success}});
  if (!r.ok()) return fail(r.error());
  if (!r->value("succeeded", false)) return std::optional<int64_t>{};
  return std::optional<int64_t>(as_int((*r)["header"], "revision"));
}

Result<int64_t, std::string> EtcdClient::remove_range(const std::string& from,
                                                      const std::string& to) {
  auto r = call("/v3/kv/deleterange", {{"key", base64(from)}, {"range_end", base64(to)}});
  if (!r.ok()) return fail(r.error());
  return as_int(*r, "deleted");
}

Result<int64_t, std::string> EtcdClient::grant_lease(int64_t ttl_seconds) {
  auto r = call("/v3/lease/grant", {{"TTL", std::to_string(ttl_seconds)}});
  if (!r.ok()) return fail(r.error());
  return as_int(*r, "ID");
}

void EtcdClient::watch(const std::string& from, const std::string& to, int64_t start_revision,
                       const std::function<bool()>& keep_going,
                       const std::function<void()>& on_change) {
  auto client = make_http_client(endpoints_[current_], tls_);
  httplib::Client& c = *client;
  c.set_connection_timeout(1, 0);
  c.set_read_timeout(1, 0);
  httplib::Request req;
  req.method = "POST";
  req.path = "/v3/watch";
  req.set_header("Content-Type", "application/json");
  req.body = abi::Json{{"create_request",
                        {{"key", base64(from)},
                         {"range_end", base64(to)},
                         {"start_revision", std::to_string(start_revision)}}}}
                 .dump();
  // The answer is a stream of JSON objects, one per batch of events (the first confirms the
  // watch); any batch with events is news.
  req.content_receiver = [&](const char* data, std::size_t len, uint64_t, uint64_t) {
    if (std::string_view(data, len).find("\"events\"") != std::string_view::npos) on_change();
    return keep_going();
  };
  httplib::Response res;
  httplib::Error error;
  if (!c.send(req, res, error) && error != httplib::Error::Read)
    current_ = (current_ + 1) % endpoints_.size();  // away: the next watch tries another
}

Result<bool, std::string> EtcdClient::keep_alive(int64_t lease) {
  auto r = call("/v3/lease/keepalive", {{"ID", std::to_string(lease)}});
  if (!r.ok()) return fail(r.error());
  const abi::Json& result = r->contains("result") ? (*r)["result"] : *r;
  return as_int(result, "TTL") > 0;
}

}  // namespace assent::node
