// Timing and table printing shared by the benchmark programs. Timings are medians of
// repeated runs; ratios are taken between numbers measured in the same process, because
// the machines these run on are shared and noisy.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace assent::bench {

// Runs `fn` `repeats` times and returns the median wall time in seconds.
template <class Fn>
double median_seconds(int repeats, Fn&& fn) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
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

inline std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace assent::bench
