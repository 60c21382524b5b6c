// The consent grants the state benchmarks run: the DESIGN.md sketch contract
// (tests/lang/storage/design_sketch.assent), its arguments, and small helpers.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.hpp"
#include "node/executor/executor.hpp"

namespace assent::bench_grants {

namespace fs = std::filesystem;
using node::Identity;
using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

inline Identity id_of(uint64_t n, uint8_t tag) {
  Identity id{};
  id[0] = tag;
  std::memcpy(id.data() + 8, &n, 8);
  return id;
}

inline void put(std::vector<uint8_t>& out, const void* p, std::size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

// grant(grantee: identity, categories: set<Category>, purposes: set<Purpose>, until: time)
inline std::vector<uint8_t> grant_args(uint64_t n) {
  std::vector<uint8_t> a;
  const Identity grantee = id_of(n % 997, 0x67);
  const uint64_t categories = 0b000110 | (n & 1), purposes = 0b000001 | ((n >> 1) & 8),
                 until = 2'000'000'000;
  put(a, grantee.data(), 32);
  put(a, &categories, 8);
  put(a, &purposes, 8);
  put(a, &until, 8);
  return a;
}

// permits(patient: identity, id: u64, actor: identity, category: Category, purpose: Purpose)
inline std::vector<uint8_t> permits_args(uint64_t patient, uint64_t id, uint64_t actor) {
  std::vector<uint8_t> a;
  const Identity p = id_of(patient, 0x70), g = id_of(actor % 997, 0x67);
  put(a, p.data(), 32);
  put(a, &id, 8);
  put(a, g.data(), 32);
  a.push_back(1);  // Labs
  a.push_back(0);  // Treatment
  return a;
}

inline std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The contract's module, compiled from its source (diagnostics on stderr when it fails).
inline std::optional<std::vector<uint8_t>> grants_module() {
  const auto compiled = compiler::compile(
      "design_sketch.assent",
      read(fs::path(ASSENT_SOURCE_DIR) / "tests/lang/storage/design_sketch.assent"));
  if (!compiled.ok) {
    std::fprintf(stderr, "%s", compiled.diagnostics.c_str());
    return std::nullopt;
  }
  return compiled.bytes;
}

}  // namespace assent::bench_grants
