// Timing, table printing and sizes shared by the benchmark programs. Timings are medians of
// repeated runs; ratios are taken between numbers measured in the same process, because
// the machines these run on are shared and noisy.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace assent::bench {

// Small mode, ASSENT_BENCH_SMALL=1 (`make bench-smoke`, which CI runs): every measurement
// runs once at sizes that take seconds, so that CI finds a benchmark that no longer runs or
// whose work fails. Its figures say nothing about performance.
inline bool small() {
  static const bool on = [] {
    const char* v = std::getenv("ASSENT_BENCH_SMALL");
    return v != nullptr && std::string(v) == "1";
  }();
  return on;
}

// `full`, or `reduced` in small mode: a size, a count of iterations or of repeats.
template <class T>
T pick(T full, T reduced) {
  return small() ? reduced : full;
}

// The count in environment variable `name` when it is set (it wins in small mode too), else
// pick(full, reduced). A value that is not a number above 0 ends the program with status 2.
inline uint64_t count_from_env(const char* name, uint64_t full, uint64_t reduced) {
  const char* v = std::getenv(name);
  if (v == nullptr) return pick(full, reduced);
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*v < '0' || *v > '9' || *end != '\0' || n == 0) {
    std::fprintf(stderr, "error: %s is `%s`; it must be a whole number above 0\n", name, v);
    std::exit(2);
  }
  return n;
}

// Runs `fn` `repeats` times (once in small mode) and returns the median wall time in seconds.
template <class Fn>
double median_seconds(int repeats, Fn&& fn) {
  std::vector<double> times;
  for (int i = 0; i < pick(repeats, 1); ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto end = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(end - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// A markdown table printed as rows arrive.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {
    std::string line = "|", rule = "|";
    for (const auto& h : headers_) {
      line += " " + h + " |";
      rule += "---|";
    }
    std::printf("%s\n%s\n", line.c_str(), rule.c_str());
  }
  void row(const std::vector<std::string>& cells) {
    std::string line = "|";
    for (const auto& c : cells)
      line += " " + c + " |";
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }

 private:
  std::vector<std::string> headers_;
};

// CPU time this process has used, every thread's, in seconds.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

inline std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace assent::bench
