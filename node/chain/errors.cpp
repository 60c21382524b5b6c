#include "node/chain/errors.hpp"

#include "vm/table_rows.hpp"

namespace assent::node {

static_assert(rows_in_enum_order(kTxErrors), "kTxErrors is indexed by TxError");
static_assert(row_names_unique(kTxErrors), "a transaction error is named twice");

const TxErrorInfo& tx_error_info(TxError code) {
  return kTxErrors[static_cast<std::size_t>(code)];
}

std::optional<TxError> tx_error_named(std::string_view name) {
  return code_named(kTxErrors, name);
}

}  // namespace assent::node
