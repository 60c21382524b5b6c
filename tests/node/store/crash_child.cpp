// The process the crash test kills: opens the store in argv[1], resumes after its head and
// commits blocks until it is killed (or reaches argv[2] blocks).
#include <cstdio>
#include <cstdlib>

#include "crash_blocks.hpp"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const uint64_t limit = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : UINT64_MAX;
  auto store = assent::store::Store::open(argv[1], {std::size_t{1} << 30, true});
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  assent::node::Executor exec(**store);
  uint64_t head = 0;
  {
    auto txn = (*store)->begin_read();
    if (!txn.ok()) return 1;
    head = assent::store::meta_u64(*txn, (*store)->db(), "head").value().value_or(0);
  }
  for (uint64_t h = head + 1; h <= limit; ++h)
    if (!assent::crash::run_block(exec, **store, h)) return 1;
  return 0;
}
