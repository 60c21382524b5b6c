#include "node/executor/outcome.hpp"

#include <iterator>

namespace assent::node {

namespace {

constexpr OutcomeRow kRows[] = {
#define ASSENT_OUTCOME_VM_ROW(code, value, name) {ExecOutcome::code, name, {}},
    ASSENT_VM_STATUSES(ASSENT_OUTCOME_VM_ROW)
#undef ASSENT_OUTCOME_VM_ROW
#define ASSENT_OUTCOME_EXEC_ROW(code, value, name, meaning) {ExecOutcome::code, name, meaning},
        ASSENT_EXEC_OUTCOMES(ASSENT_OUTCOME_EXEC_ROW)
#undef ASSENT_OUTCOME_EXEC_ROW
};

constexpr bool values_distinct() {
  for (std::size_t i = 0; i < std::size(kRows); ++i)
    for (std::size_t j = i + 1; j < std::size(kRows); ++j)
      if (kRows[i].code == kRows[j].code) return false;
  return true;
}
static_assert(values_distinct(), "two outcomes share a stored value");

#define ASSENT_OUTCOME_VM_BELOW_64(code, value, name) static_assert(value < 64);
ASSENT_VM_STATUSES(ASSENT_OUTCOME_VM_BELOW_64)
#undef ASSENT_OUTCOME_VM_BELOW_64

const OutcomeRow* row_of(ExecOutcome outcome) {
  for (const OutcomeRow& row : kRows)
    if (row.code == outcome) return &row;
  return nullptr;
}

}  // namespace

vm::Status vm_status_of(ExecOutcome outcome) {
  switch (outcome) {
#define ASSENT_OUTCOME_TO_VM(code, value, name) \
  case ExecOutcome::code:                       \
    return vm::Status::code;
    ASSENT_VM_STATUSES(ASSENT_OUTCOME_TO_VM)
#undef ASSENT_OUTCOME_TO_VM
    default:
      return vm::Status::SyscallFailed;
  }
}

std::string_view to_string(ExecOutcome outcome) {
  const OutcomeRow* row = row_of(outcome);
  return row ? row->name : "unknown";
}

std::string_view meaning_of(ExecOutcome outcome) {
  const OutcomeRow* row = row_of(outcome);
  if (row == nullptr) return "unknown";
  return row->meaning.empty() ? row->name : row->meaning;
}

std::optional<ExecOutcome> outcome_from_value(uint8_t value) {
  for (const OutcomeRow& row : kRows)
    if (static_cast<uint8_t>(row.code) == value) return row.code;
  return std::nullopt;
}

std::span<const OutcomeRow> outcome_rows() {
  return kRows;
}

}  // namespace assent::node
