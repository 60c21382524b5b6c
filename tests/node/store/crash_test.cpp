// Crash safety: a process killed with SIGKILL at any moment while it commits blocks
// reopens to exactly its last committed block, with the state root that block had. Each
// round starts the child on the same store, kills it after a random (seeded) delay, then
// compares the reopened store with a replay of the same history in a fresh store.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "crash_blocks.hpp"

namespace fs = std::filesystem;
using namespace assent;

TEST_CASE("crash: SIGKILL mid-write reopens to the last committed block, same root") {
  const fs::path dir = fs::temp_directory_path() / ("assent-crash-" + std::to_string(::getpid()));
  const fs::path ref_dir = dir.string() + "-reference";
  fs::remove_all(dir);
  fs::remove_all(ref_dir);
  auto reference = store::Store::open(ref_dir.string(), {std::size_t{1} << 30, false});
  REQUIRE(reference.ok());
  node::Executor ref_exec(**reference);
  uint64_t ref_head = 0;

  std::mt19937 rng(2026);
  const int rounds = 25;
  uint64_t last_head = 0;
  int advanced = 0;
  for (int round = 0; round < rounds; ++round) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      execl(ASSENT_CRASH_CHILD, ASSENT_CRASH_CHILD, dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + rng() % 150));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK_MESSAGE(WIFSIGNALED(status), "the child ended on its own (status " << status << ")");

    auto reopened = store::Store::open(dir.string(), {std::size_t{1} << 30, true});
    REQUIRE_MESSAGE(reopened.ok(), reopened.error().message);
    auto txn = (*reopened)->begin_read();
    REQUIRE(txn.ok());
    const uint64_t head = store::meta_u64(*txn, (*reopened)->db(), "head").value().value_or(0);
    CHECK(head >= last_head);  // nothing committed is ever lost
    if (head > last_head) ++advanced;
    last_head = head;
    while (ref_head < head)
      REQUIRE(crash::run_block(ref_exec, **reference, ++ref_head));
    auto ref_txn = (*reference)->begin_read();
    REQUIRE(ref_txn.ok());
    CAPTURE(round);
    CAPTURE(head);
    CHECK((*reopened)->tree().root(*txn, head)->hash ==
          (*reference)->tree().root(*ref_txn, head)->hash);
    // Nothing of a block past the head is visible: its version has no root yet.
    CHECK((*reopened)->tree().root(*txn, head + 1)->kind == store::NodeKind::Empty);
  }
  MESSAGE("crash test: " << rounds << " kills, head reached " << last_head << ", advanced in "
                         << advanced << " rounds");
  CHECK(advanced >= rounds / 2);
  reference->reset();
  fs::remove_all(dir);
  fs::remove_all(ref_dir);
}
