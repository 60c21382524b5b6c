// The .acm format: a full module round-trips byte for byte, and hostile bytes get a clear
// error (code, offset, message) without crashing.
#include <doctest/doctest.h>

#include <random>

#include "vm/byte_io.hpp"
#include "vm/module.hpp"
#include "vm_test_support.hpp"

namespace assent::vm {
namespace {

Type named(uint32_t i) {
  return Type{TypeTag::Named, i, {}};
}
Type scalar(TypeTag t) {
  return Type{t, 0, {}};
}

// A module that uses every section and every kind of type.
Module full_module() {
  Module m = test::assemble_ok(R"(
.rodata msg "denied"
.func grant action
    lddw r1, msg
    mov64 r2, 6
    jeq r0, 0, +1
    syscall vm.abort
    call helper
    exit
.func permits view
    mov64 r0, 1
    exit
.func helper
    exit
)");
  m.abi.types = {
      TypeDef{TypeDefKind::Enum, "Purpose", {}, {"Treatment", "Research"}},
      TypeDef{TypeDefKind::Record,
              "Provision",
              {Field{"grantee", scalar(TypeTag::Identity), false},
               Field{"purposes", Type{TypeTag::Set, 0, {named(0)}}, false},
               Field{"until", scalar(TypeTag::Time), false}},
              {}},
  };
  m.abi.events = {Event{"Granted",
                        {Field{"patient", scalar(TypeTag::Identity), true},
                         Field{"id", scalar(TypeTag::U64), false}}}};
  m.exports[0].params = {
      Field{"grantee", scalar(TypeTag::Identity), false},
      Field{"key", Type{TypeTag::Tuple, 0, {scalar(TypeTag::Identity), scalar(TypeTag::U64)}},
            false},
      Field{"list", Type{TypeTag::List, 0, {named(1)}}, false}};
  m.exports[0].result = scalar(TypeTag::U64);
  m.exports[1].result = Type{TypeTag::Optional, 0, {scalar(TypeTag::Bool)}};
  m.metadata = {{"compiler", "assentc 0.1.0"}, {"source.sha256", "00ff"}};
  m.lines = {{0, 3, 5}, {4, 7, 9}};
  return m;
}

TEST_CASE("module: write then read gives the same module and the same bytes") {
  const Module m = full_module();
  auto bytes = encode_module(m);
  REQUIRE_MESSAGE(bytes.ok(), bytes.error().describe());
  auto back = read_module(*bytes);
  REQUIRE_MESSAGE(back.ok(), back.error().describe());
  CHECK(*back == m);
  CHECK(write_module(*back) == *bytes);
  CHECK(format_type(m.exports[0].params[1].type, m.abi) == "(identity, u64)");
  CHECK(format_type(m.abi.types[1].fields[1].type, m.abi) == "set<Purpose>");
  CHECK(format_type(m.exports[0].params[2].type, m.abi) == "list<Provision>");
  CHECK(m.line_for(0)->line == 3);
  CHECK(m.line_for(3)->line == 3);
  CHECK(m.line_for(5)->line == 7);
  CHECK(verify(*back, test::core_registry()).ok());
}

TEST_CASE("module: every truncation is refused with an error, never a crash") {
  auto bytes = encode_module(full_module());
  REQUIRE(bytes.ok());
  int valid_prefixes = 0;
  for (std::size_t n = 0; n < bytes->size(); ++n) {
    CAPTURE(n);
    const std::span<const uint8_t> prefix(bytes->data(), n);
    auto r = read_module(prefix);
    if (r.ok()) {
      // Cut at a section boundary after the required sections: a smaller valid module.
      CHECK(write_module(*r) == std::vector<uint8_t>(prefix.begin(), prefix.end()));
      ++valid_prefixes;
      continue;
    }
    CHECK(!r.error().message.empty());
    CHECK(r.error().offset <= n);
  }
  CHECK(valid_prefixes == 5);  // after functions, imports, abi, exports, metadata
}

TEST_CASE("module: single-byte corruptions never crash the loader or verifier") {
  auto bytes = encode_module(full_module());
  REQUIRE(bytes.ok());
  std::mt19937 rng(12345);
  int loaded = 0;
  for (int i = 0; i < 4000; ++i) {
    std::vector<uint8_t> copy = *bytes;
    copy[rng() % copy.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    auto m = read_module(copy);
    if (!m.ok()) continue;
    ++loaded;
    auto p = verify(std::move(m).value(), test::core_registry());
    if (p.ok()) {
      Machine machine;
      (void)machine.run(*p, 0, {}, 10000);
    }
  }
  CHECK(loaded > 0);  // some flips land in code or names and still load
}

// Builds a file from raw sections, for the error cases.
std::vector<uint8_t> file(std::initializer_list<std::pair<uint8_t, std::vector<uint8_t>>> sections,
                          uint16_t version = 1) {
  ByteWriter w;
  w.write_bytes(std::string_view("ACM\0", 4));
  w.write(version);
  w.write(uint16_t{0});
  for (const auto& [id, body] : sections) {
    w.write(id);
    w.write(static_cast<uint32_t>(body.size()));
    w.write_bytes(body);
  }
  return w.take();
}

const std::vector<uint8_t> kExit = {0x95, 0, 0, 0, 0, 0, 0, 0};
const std::vector<uint8_t> kMainFunction = {1, 0, 0, 0, 4, 'm', 'a', 'i', 'n', 0, 0, 0, 0};

LoadError load_error(const std::vector<uint8_t>& bytes) {
  auto r = read_module(bytes);
  REQUIRE(!r.ok());
  return r.error();
}

TEST_CASE("module: each load error names its code and offset") {
  CHECK(read_module(file({{1, kExit}, {3, kMainFunction}})).ok());

  CHECK(load_error({'E', 'L', 'F', 0, 1, 0, 0, 0}).code == LoadErrorCode::BadMagic);
  CHECK(load_error(file({{1, kExit}, {3, kMainFunction}}, 2)).code == LoadErrorCode::BadVersion);

  auto e = load_error(file({{3, kMainFunction}, {1, kExit}}));
  CHECK(e.code == LoadErrorCode::BadSection);
  CHECK(e.offset == 8);

  e = load_error(file({{1, kExit}, {3, kMainFunction}, {3, kMainFunction}}));
  CHECK(e.code == LoadErrorCode::BadSection);
  CHECK(e.message.find("repeated or out of order") != std::string::npos);

  e = load_error(file({{1, kExit}, {3, kMainFunction}, {9, {1}}}));
  CHECK(e.message == "unknown section id 9");

  e = load_error(file({{1, {0x95, 0, 0}}, {3, kMainFunction}}));
  CHECK(e.message == "code is 3 bytes, not a multiple of 8");

  e = load_error(file({{1, kExit}}));
  CHECK(e.message == "the module has no functions section");

  e = load_error(file({{1, kExit}, {3, {1, 0, 0, 0, 4, 'm', 'a', 'i', 'n', 1, 0, 0, 0}}}));
  CHECK(e.code == LoadErrorCode::BadIndex);
  CHECK(e.message == "the first function must start at pc 0");

  e = load_error(file({{1, kExit}, {3, {1, 0, 0, 0, 4, 'm', '-', 'i', 'n', 0, 0, 0, 0}}}));
  CHECK(e.code == LoadErrorCode::BadName);
  CHECK(e.offset == 8 + 5 + 8 + 5 + 4);

  e = load_error(file({{1, kExit}, {3, {0xff, 0xff, 0, 0}}}));
  CHECK(e.code == LoadErrorCode::TooLarge);

  e = load_error(file({{1, kExit}, {3, {0, 0, 0, 0}}}));
  CHECK(e.message == "the function table is empty; omit its section instead");

  auto with_trailing = kMainFunction;
  with_trailing.push_back(7);
  e = load_error(file({{1, kExit}, {3, with_trailing}}));
  CHECK(e.code == LoadErrorCode::TrailingBytes);

  auto bytes = file({{1, kExit}, {3, kMainFunction}});
  bytes[9] = 0xff;  // section size far past the end
  e = load_error(bytes);
  CHECK(e.code == LoadErrorCode::Truncated);
  CHECK(e.message.find("claims") != std::string::npos);

  e = load_error(file({{1, kExit}, {3, kMainFunction}, {4, {2, 0, 0, 0, 1, 'a', 1, 'a'}}}));
  CHECK(e.code == LoadErrorCode::DuplicateName);
}

TEST_CASE("module: ABI types are checked") {
  Module m = full_module();
  SUBCASE("a set of a record") {
    m.abi.types[1].fields[1].type = Type{TypeTag::Set, 0, {named(1)}};
    auto r = encode_module(m);
    REQUIRE(!r.ok());
    CHECK(r.error().code == LoadErrorCode::BadIndex);  // a type may only name earlier types
  }
  SUBCASE("a set of a scalar") {
    m.exports[0].params[0].type = Type{TypeTag::Set, 0, {scalar(TypeTag::U64)}};
    auto r = encode_module(m);
    REQUIRE(!r.ok());
    CHECK(r.error().message == "invalid module: set element must be an enum type");
  }
  SUBCASE("an indexed field that is not an identity") {
    m.abi.events[0].fields[1].indexed = true;
    auto r = encode_module(m);
    REQUIRE(!r.ok());
    CHECK(r.error().message.find("must have type identity") != std::string::npos);
  }
  SUBCASE("too deep") {
    Type t = scalar(TypeTag::U64);
    for (int i = 0; i < 10; ++i)
      t = Type{TypeTag::List, 0, {t}};
    m.exports[0].result = t;
    CHECK(!encode_module(m).ok());
  }
  SUBCASE("metadata out of order") {
    std::swap(m.metadata[0], m.metadata[1]);
    auto r = encode_module(m);
    REQUIRE(!r.ok());
    CHECK(r.error().code == LoadErrorCode::NotCanonical);
  }
  SUBCASE("overlong name") {
    m.functions[0].name = std::string(300, 'a');
    CHECK(!encode_module(m).ok());
  }
}

}  // namespace
}  // namespace assent::vm
