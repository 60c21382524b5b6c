#include "node/api/auth/clients.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "vm/hex.hpp"

namespace assent::node::auth {

void ClientList::add(const stdlib::Identity& client, RegisteredClient info) {
  clients_[client] = std::move(info);
}

ClientRegistry ClientList::registry() const {
  auto clients = std::make_shared<const std::map<stdlib::Identity, RegisteredClient>>(clients_);
  return [clients](const stdlib::Identity& id) -> std::optional<RegisteredClient> {
    auto it = clients->find(id);
    if (it == clients->end()) return std::nullopt;
    return it->second;
  };
}

Result<ClientList, std::string> ClientList::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail("cannot read the clients file `" + path + "`");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("clients") || !j["clients"].is_array())
    return fail("`" + path + "` is not {\"clients\": [{\"identity\": \"<64 hex>\", ...}, ...]}");
  ClientList list;
  std::size_t index = 0;
  for (const auto& c : j["clients"]) {
    const std::string where = "`" + path + "`, client " + std::to_string(index++);
    if (!c.is_object() || !c.contains("identity") || !c["identity"].is_string())
      return fail(where + ": no `identity` (64 hex digits)");
    auto bytes = parse_hex(c["identity"].get<std::string>());
    if (!bytes.ok() || bytes->size() != 32)
      return fail(where + ": `identity` is not 64 hex digits");
    stdlib::Identity id{};
    std::copy(bytes->begin(), bytes->end(), id.begin());
    RegisteredClient info;
    if (c.contains("name")) {
      if (!c["name"].is_string()) return fail(where + ": `name` is not a string");
      info.name = c["name"].get<std::string>();
    }
    if (c.contains("not_before")) {
      if (!c["not_before"].is_number_integer())
        return fail(where + ": `not_before` is not unix seconds");
      info.not_before = c["not_before"].get<int64_t>();
    }
    list.add(id, std::move(info));
  }
  return list;
}

}  // namespace assent::node::auth
