#include "node/chain/errors.hpp"

#include <cstddef>
#include <iterator>

namespace assent::node {

namespace {

constexpr bool rows_in_enum_order() {
  for (std::size_t i = 0; i < std::size(kTxErrors); ++i)
    if (static_cast<std::size_t>(kTxErrors[i].code) != i) return false;
  return true;
}
static_assert(rows_in_enum_order(), "kTxErrors is indexed by TxError");

}  // namespace

const TxErrorInfo& tx_error_info(TxError code) {
  return kTxErrors[static_cast<std::size_t>(code)];
}

std::optional<TxError> tx_error_named(std::string_view name) {
  for (const TxErrorInfo& row : kTxErrors)
    if (name == row.name) return row.code;
  return std::nullopt;
}

}  // namespace assent::node
