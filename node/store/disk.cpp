#include "node/store/disk.hpp"

#include <sys/statvfs.h>

namespace assent::store {

DiskUsage disk_usage(const std::string& path) {
  struct statvfs s{};
  if (::statvfs(path.c_str(), &s) != 0) return {};
  return {static_cast<uint64_t>(s.f_bavail) * s.f_frsize,
          static_cast<uint64_t>(s.f_blocks) * s.f_frsize, true};
}

DiskUsage DiskWatch::usage() {
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  const int64_t every =
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(every_).count();
  const int64_t last = read_at_.load(std::memory_order_relaxed);
  if (last == INT64_MIN || now - last >= every) {
    const DiskUsage u = disk_usage(path_);
    available_.store(u.available, std::memory_order_relaxed);
    total_.store(u.total, std::memory_order_relaxed);
    known_.store(u.known, std::memory_order_relaxed);
    read_at_.store(now, std::memory_order_relaxed);
    return u;
  }
  return {available_.load(std::memory_order_relaxed), total_.load(std::memory_order_relaxed),
          known_.load(std::memory_order_relaxed)};
}

}  // namespace assent::store
