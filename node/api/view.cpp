// POST /v1/view (docs/api.md): runs a contract's view on the latest state, as the next block
// would see it, within the chain's view gas.
#include "node/api/json_views.hpp"
#include "node/api/requests.hpp"
#include "node/api/server.hpp"
#include "vm/hex.hpp"

namespace assent::node {

namespace {

// What a view request asks for, checked as far as it can be without the contract.
struct ViewCall {
  Identity contract{};
  Identity caller{};  // the zero identity unless given
  std::string method;
  Json args;
};

ApiResult<ViewCall> view_call(const HttpRequest& req) {
  auto body = json_object(req);
  if (!body) return fail(body.error());
  if (!body->contains("contract") || !(*body)["contract"].is_string() ||
      !body->contains("method") || !(*body)["method"].is_string())
    return fail(ApiFailure{ApiCode::BadView, "a view names `contract` (hex) and `method`"});
  ViewCall call;
  auto contract = hex32((*body)["contract"].get<std::string>(), ApiCode::BadContract, "contract");
  if (!contract) return fail(contract.error());
  call.contract = *contract;
  if (body->contains("caller")) {
    if (!(*body)["caller"].is_string())
      return fail(ApiFailure{ApiCode::BadCaller, "`caller` must be 64 hex digits"});
    auto caller = hex32((*body)["caller"].get<std::string>(), ApiCode::BadCaller, "caller");
    if (!caller) return fail(caller.error());
    call.caller = *caller;
  }
  call.method = (*body)["method"].get<std::string>();
  call.args = body->value("args", Json::array());
  if (!call.args.is_array())
    return fail(ApiFailure{ApiCode::BadArgs, "`args` must be a JSON array"});
  return call;
}

uint64_t wall_seconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

ApiServer::Answer ApiServer::view(const HttpRequest& req) {
  // A replica that diverged holds state nobody else has: it answers no question about it.
  if (auto f = orderer_.fault()) return fail(ApiFailure{ApiCode::Diverged, *f});
  auto call = view_call(req);
  if (!call) return fail(call.error());
  auto read = snapshot(chain_);
  if (!read) return fail(read.error());
  auto program = chain_.executor().program_of(*read, call->contract);
  if (!program.ok())
    return fail(ApiFailure{program.error().code == ExecOutcome::StoreFailed     ? ApiCode::Store
                           : program.error().code == ExecOutcome::BadStoredCode ? ApiCode::Corrupt
                                                                                : ApiCode::UnknownContract,
                           program.error().message});
  const vm::Module& m = (*program)->module();
  const vm::Export* e = m.find_export(call->method);
  if (e == nullptr || e->kind != vm::ExportKind::View) {
    std::string views;
    for (const auto& x : m.exports)
      if (x.kind == vm::ExportKind::View) views += (views.empty() ? "" : ", ") + x.name;
    return fail(ApiFailure{ApiCode::UnknownMethod,
                           "the contract has no view `" + call->method + "`; its views: " + views});
  }
  auto encoded = abi::fields_from_json(e->params, m.abi, call->args);
  if (!encoded.ok()) return fail(ApiFailure{ApiCode::BadArgs, encoded.error()});
  // A view answers for the next block: what a transaction sent now would see (so a
  // revocation committed in the head block already holds).
  auto head = chain_.head(*read);
  if (!head) return fail(api_failure(head.error()));
  ++metrics_.views;
  Receipt r = chain_.executor().view(
      *read, {head->height + 1, std::max(wall_seconds(), head->time)}, call->caller, call->contract,
      call->method, *encoded, chain_.config().max_view_gas);
  if (r.status == ExecOutcome::StoreFailed) return fail(ApiFailure{ApiCode::Store, r.message});
  if (!r.ok()) return fail(ApiFailure{ApiCode::ViewFailed, r.describe()});
  std::size_t used = 0;
  auto result = abi::to_json(e->result, m.abi, r.return_data, used);
  return json_response(200, {{"result", result.ok() ? *result : Json(hex(r.return_data))},
                             {"gas_used", r.gas_used},
                             {"height", head->height}});
}

}  // namespace assent::node
