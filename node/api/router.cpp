#include "node/api/router.hpp"

#include <atomic>
#include <memory>

namespace assent::node {

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 Access access) {
  routes_.push_back({method, std::regex(pattern), std::move(handler), access});
}

void Router::add_sync(const std::string& method, const std::string& pattern, SyncHandler handler,
                      Access access) {
  add(
      method, pattern,
      [h = std::move(handler)](const HttpRequest& req, Respond respond) {
        HttpResponse res;
        h(req, res);
        respond(std::move(res));
      },
      access);
}

void Router::handle(HttpRequest request, Respond respond) const {
  // Whatever the handler does (answer, throw after answering, throw before), the client gets
  // one answer.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond once = [answered, respond](HttpResponse r) {
    if (!answered->exchange(true)) respond(std::move(r));
  };
  try {
    // Long paths are refused before any pattern sees them (std::regex recurses per byte).
    if (request.path.size() > kMaxPathBytes)
      return once(error_response(ApiCode::PathTooLong,
                                 "the path is " + std::to_string(request.path.size()) +
                                     " bytes; at most " + std::to_string(kMaxPathBytes)));
    bool path_known = false;
    for (const auto& route : routes_) {
      std::smatch m;
      if (!std::regex_match(request.path, m, route.pattern)) continue;
      path_known = true;
      if (route.method != request.method) continue;
      request.matches.assign(m.begin(), m.end());
      if (guard_)
        if (auto refused = guard_(request, route.access)) return once(std::move(*refused));
      route.handler(request, once);
      return;
    }
    if (path_known)
      return once(error_response(ApiCode::MethodNotAllowed,
                                 request.method + " is not allowed on " + request.path +
                                     " (docs/api.md lists the endpoints)"));
    once(error_response(ApiCode::NotFound, "no endpoint " + request.method + " " + request.path +
                                               " (docs/api.md lists them)"));
  } catch (const std::exception& e) {
    once(error_response(ApiCode::Internal, std::string("the node failed to answer: ") + e.what()));
  } catch (...) {
    once(error_response(ApiCode::Internal, "the node failed to answer"));
  }
}

}  // namespace assent::node
