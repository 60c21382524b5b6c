// Little-endian, bounds-checked reading and writing of byte strings. The reader never reads
// past its end: a read that would returns false and leaves the position unchanged.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vm/gcc_false_positives.hpp"

namespace assent {

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes, std::size_t base_offset = 0)
      : bytes_(bytes), base_(base_offset) {}

  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }
  // Offset of the next byte from the start of the whole input (for error messages).
  std::size_t offset() const { return base_ + pos_; }

  template <class T>
  [[nodiscard]] bool read(T& out) {
    static_assert(std::is_integral_v<T>);
    if (remaining() < sizeof(T)) return false;
    std::memcpy(&out, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }

  [[nodiscard]] bool read_bytes(std::size_t n, std::span<const uint8_t>& out) {
    if (remaining() < n) return false;
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

  [[nodiscard]] bool read_string(std::size_t n, std::string& out) {
    std::span<const uint8_t> raw;
    if (!read_bytes(n, raw)) return false;
    out.assign(reinterpret_cast<const char*>(raw.data()), raw.size());
    return true;
  }

 private:
  std::span<const uint8_t> bytes_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

// Appending to the vector: vm/gcc_false_positives.hpp (vector copies into small vectors).
ASSENT_GCC_FALSE_POSITIVE("-Wstringop-overflow")
ASSENT_GCC_FALSE_POSITIVE("-Warray-bounds")
class ByteWriter {
 public:
  template <class T>
  void write(T value) {
    static_assert(std::is_integral_v<T>);
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    bytes_.insert(bytes_.end(), raw, raw + sizeof(T));
  }
  void write_bytes(std::span<const uint8_t> raw) {
    bytes_.insert(bytes_.end(), raw.begin(), raw.end());
  }
  void write_bytes(std::string_view raw) { bytes_.insert(bytes_.end(), raw.begin(), raw.end()); }

  // Overwrites a previously written u32 at `at` (for lengths known only afterwards).
  void patch_u32(std::size_t at, uint32_t value) { std::memcpy(bytes_.data() + at, &value, 4); }

  std::size_t size() const { return bytes_.size(); }
  std::vector<uint8_t>& bytes() { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};
ASSENT_GCC_FALSE_POSITIVE_END
ASSENT_GCC_FALSE_POSITIVE_END

}  // namespace assent
