#include "node/cli/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace assent::node {

Result<std::vector<uint8_t>, std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open `" + path + "`: " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return fail("cannot read `" + path + "`: " + std::strerror(errno));
  return bytes;
}

Result<std::string, std::string> read_text_file(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes.ok()) return fail(bytes.error());
  return std::string(bytes->begin(), bytes->end());
}

Result<bool, std::string> write_file(const std::string& path, std::span<const uint8_t> bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return fail("cannot write `" + tmp + "`: " + std::strerror(errno));
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return fail("cannot write `" + tmp + "`: " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    return fail("cannot rename `" + tmp + "` to `" + path + "`: " + reason);
  }
  return true;
}

}  // namespace assent::node
