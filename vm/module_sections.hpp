// Facts about the .acm layout shared by the module reader and writer (internal to vm/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assent::vm {

inline constexpr uint8_t kCodeSection = 1;
inline constexpr uint8_t kRodataSection = 2;
inline constexpr uint8_t kFunctionsSection = 3;
inline constexpr uint8_t kImportsSection = 4;
inline constexpr uint8_t kAbiSection = 5;
inline constexpr uint8_t kExportsSection = 6;
inline constexpr uint8_t kMetadataSection = 7;
inline constexpr uint8_t kLinesSection = 8;
inline constexpr uint8_t kLastSection = kLinesSection;


std::string_view section_name(uint8_t id);

enum class NameKind : uint8_t {
  Identifier,  // [A-Za-z_][A-Za-z0-9_]*
  Syscall,     // identifier segments joined by '.', e.g. `storage.get`
  Key,         // [A-Za-z0-9_.-]+ (metadata keys)
};

// Why `name` is not a valid name of this kind, or nullopt when it is.
std::optional<std::string> check_name(std::string_view name, NameKind kind);

}  // namespace assent::vm
