// Free space on the filesystem that holds a store, read with statvfs at most once per
// interval: cheap enough to ask before every transaction is queued, so that a node refuses new
// transactions while its disk runs low instead of stalling when it is full.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace assent::store {

struct DiskUsage {
  uint64_t available = 0;  // bytes an unprivileged writer may still use (f_bavail)
  uint64_t total = 0;      // the filesystem's size
  bool known = false;      // statvfs answered
};

// What statvfs says about the filesystem holding `path`, now.
DiskUsage disk_usage(const std::string& path);

// disk_usage(path), read again only when the last reading is older than `every`. Thread-safe:
// two threads may both read it again at the same moment, which is harmless.
class DiskWatch {
 public:
  explicit DiskWatch(std::string path,
                     std::chrono::milliseconds every = std::chrono::milliseconds(1000))
      : path_(std::move(path)), every_(every) {}
  DiskUsage usage();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::chrono::milliseconds every_;
  std::atomic<int64_t> read_at_{INT64_MIN};  // steady_clock ticks of the last reading
  std::atomic<uint64_t> available_{0}, total_{0};
  std::atomic<bool> known_{false};
};

}  // namespace assent::store
