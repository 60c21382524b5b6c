// Routes a request to its handler by method and path (a regular expression whose groups land
// in `HttpRequest::matches`), and is the API's protected boundary: a handler that throws is
// answered with a JSON 500, never a dead process, and every request is answered exactly once.
// Each route says who may use it (Access); the guard the server sets establishes who sent a
// request (`HttpRequest::principal`) and refuses it before its handler runs.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "node/api/http.hpp"

namespace assent::node {

// Who may use a route: anyone (its credentials are not read), or an authenticated sender
// whose credentials allow reads, or submits.
enum class Access { Open, Read, Write };

class Router {
 public:
  static constexpr std::size_t kMaxPathBytes = 2048;

  // A handler that answers before it returns.
  using SyncHandler = std::function<void(const HttpRequest&, HttpResponse&)>;
  // Sets `request.principal` for a route of `access`, or gives the refusal to answer instead.
  using Guard = std::function<std::optional<HttpResponse>(HttpRequest& request, Access access)>;

  void add(const std::string& method, const std::string& pattern, Handler handler,
           Access access = Access::Read);
  void add_sync(const std::string& method, const std::string& pattern, SyncHandler handler,
                Access access = Access::Read);
  void set_guard(Guard guard) { guard_ = std::move(guard); }

  // Answers `request` through `respond`: its route's handler, or a 404 (no such path) or a
  // 405 (the path exists for other methods). Never throws.
  void handle(HttpRequest request, Respond respond) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
    Access access;
  };
  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace assent::node
