// write_module: the canonical encoding of a Module (docs/module-format.md). Empty tables are
// omitted, so that every module has exactly one encoding.
#include "vm/byte_io.hpp"
#include "vm/module.hpp"
#include "vm/module_sections.hpp"

namespace assent::vm {

namespace {

void put_name(ByteWriter& w, std::string_view name) {
  w.write(static_cast<uint8_t>(name.size()));
  w.write_bytes(name);
}

void put_type(ByteWriter& w, const Type& t) {
  w.write(static_cast<uint8_t>(t.tag));
  switch (t.tag) {
    case TypeTag::List:
    case TypeTag::Set:
    case TypeTag::Optional:
      put_type(w, t.args.at(0));
      break;
    case TypeTag::Tuple:
      w.write(static_cast<uint8_t>(t.args.size()));
      for (const auto& a : t.args)
        put_type(w, a);
      break;
    case TypeTag::Named:
      w.write(t.index);
      break;
    default:
      break;
  }
}

void put_fields(ByteWriter& w, const std::vector<Field>& fields, bool event) {
  w.write(static_cast<uint32_t>(fields.size()));
  for (const auto& f : fields) {
    put_name(w, f.name);
    put_type(w, f.type);
    if (event) w.write(static_cast<uint8_t>(f.indexed ? 1 : 0));
  }
}

// Writes one section: id, a u32 size patched afterwards, then what `body` writes.
template <class Body>
void section(ByteWriter& w, uint8_t id, Body&& body) {
  w.write(id);
  const std::size_t size_at = w.size();
  w.write(uint32_t{0});
  body();
  w.patch_u32(size_at, static_cast<uint32_t>(w.size() - size_at - 4));
}

}  // namespace

std::vector<uint8_t> write_module(const Module& m) {
  ByteWriter w;
  w.write_bytes(std::span<const uint8_t>(kModuleMagic));
  w.write(kModuleVersion);
  w.write(uint16_t{0});

  if (!m.code.empty()) section(w, kCodeSection, [&] { w.write_bytes(m.code); });
  if (!m.rodata.empty()) section(w, kRodataSection, [&] { w.write_bytes(m.rodata); });
  if (!m.functions.empty())
    section(w, kFunctionsSection, [&] {
      w.write(static_cast<uint32_t>(m.functions.size()));
      for (const auto& f : m.functions) {
        put_name(w, f.name);
        w.write(f.entry);
      }
    });
  if (!m.imports.empty())
    section(w, kImportsSection, [&] {
      w.write(static_cast<uint32_t>(m.imports.size()));
      for (const auto& name : m.imports)
        put_name(w, name);
    });
  if (!m.abi.types.empty() || !m.abi.events.empty())
    section(w, kAbiSection, [&] {
      w.write(static_cast<uint32_t>(m.abi.types.size()));
      for (const auto& t : m.abi.types) {
        w.write(static_cast<uint8_t>(t.kind));
        put_name(w, t.name);
        if (t.kind == TypeDefKind::Record) {
          put_fields(w, t.fields, false);
        } else {
          w.write(static_cast<uint32_t>(t.variants.size()));
          for (const auto& v : t.variants)
            put_name(w, v);
        }
      }
      w.write(static_cast<uint32_t>(m.abi.events.size()));
      for (const auto& e : m.abi.events) {
        put_name(w, e.name);
        put_fields(w, e.fields, true);
      }
    });
  if (!m.exports.empty())
    section(w, kExportsSection, [&] {
      w.write(static_cast<uint32_t>(m.exports.size()));
      for (const auto& e : m.exports) {
        put_name(w, e.name);
        w.write(static_cast<uint8_t>(e.kind));
        w.write(e.function);
        put_fields(w, e.params, false);
        put_type(w, e.result);
      }
    });
  if (!m.metadata.empty())
    section(w, kMetadataSection, [&] {
      w.write(static_cast<uint32_t>(m.metadata.size()));
      for (const auto& entry : m.metadata) {
        put_name(w, entry.key);
        w.write(static_cast<uint32_t>(entry.value.size()));
        w.write_bytes(entry.value);
      }
    });
  if (!m.lines.empty())
    section(w, kLinesSection, [&] {
      w.write(static_cast<uint32_t>(m.lines.size()));
      for (const auto& l : m.lines) {
        w.write(l.pc);
        w.write(l.line);
        w.write(l.column);
      }
    });
  return w.take();
}

Result<std::vector<uint8_t>, LoadError> encode_module(const Module& module) {
  // The reader is the one definition of a valid module; checking by reading back keeps the
  // writer from growing a second, diverging set of rules.
  std::vector<uint8_t> bytes = write_module(module);
  auto parsed = read_module(bytes);
  if (!parsed.ok()) {
    LoadError e = parsed.error();
    e.message = "invalid module: " + e.message;
    return fail(std::move(e));
  }
  if (!(parsed.value() == module))
    return fail(LoadError{LoadErrorCode::NotCanonical, 0,
                          "invalid module: it does not read back as written (an overlong name?)"});
  return bytes;
}

}  // namespace assent::vm
