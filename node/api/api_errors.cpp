#include "node/api/api_errors.hpp"

#include "vm/table_rows.hpp"

namespace assent::node {

static_assert(rows_in_enum_order(kApiErrors), "kApiErrors is indexed by ApiCode");
// One status per code: a name in both tables (the API's own and the transaction's) would be
// two rows for one code.
static_assert(row_names_unique(kApiErrors), "an API error code is named twice");

const ApiErrorInfo& api_error_info(ApiCode code) {
  return kApiErrors[static_cast<std::size_t>(code)];
}

std::optional<ApiCode> api_code_named(std::string_view name) {
  return code_named(kApiErrors, name);
}

ApiCode api_code(TxError code) {
  switch (code) {
#define ASSENT_API_OF_TX(code, name, status, meaning) \
  case TxError::code:                                 \
    return ApiCode::code;
    ASSENT_TX_ERRORS(ASSENT_API_OF_TX)
#undef ASSENT_API_OF_TX
  }
  return ApiCode::Internal;  // not reached: the switch names every TxError
}

ApiCode api_code(ReadError code) {
  switch (code) {
    case ReadError::Store:
      return ApiCode::Store;
    case ReadError::Corrupt:
      return ApiCode::Corrupt;
  }
  return ApiCode::Internal;  // not reached
}

ApiFailure api_failure(const TxRejection& rejection) {
  // The proposer's code keeps its meaning when this node knows it (`busy`, say); only a code
  // it does not know is `peer_refused`.
  if (rejection.code == TxError::FromPeer)
    if (auto known = api_code_named(rejection.peer_code)) return {*known, rejection.message};
  return {api_code(rejection.code), rejection.message};
}

ApiFailure api_failure(const ReadFailure& failure) {
  return {api_code(failure.code), failure.message};
}

}  // namespace assent::node
