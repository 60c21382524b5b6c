// Routes a request to its handler by method and path (a regular expression whose groups land
// in `HttpRequest::matches`), and is the API's protected boundary: a handler that throws is
// answered with a JSON 500, never a dead process, and every request is answered exactly once.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "node/api/http.hpp"

namespace assent::node {

class Router {
 public:
  static constexpr std::size_t kMaxPathBytes = 2048;

  // A handler that answers before it returns.
  using SyncHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

  void add(const std::string& method, const std::string& pattern, Handler handler);
  void add_sync(const std::string& method, const std::string& pattern, SyncHandler handler);

  // Answers `request` through `respond`: its route's handler, or a 404 (no such path) or a
  // 405 (the path exists for other methods). Never throws.
  void handle(HttpRequest request, Respond respond) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace assent::node
