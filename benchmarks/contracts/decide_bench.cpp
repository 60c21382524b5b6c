// Consent decision benchmark: PatientConsent.decide() as a view on a real LMDB store, with
// 1, 10 and 100 provisions for one patient, nested 1 to 4 deep, against the same evaluation
// written in C++ over the same provisions in memory (the native baseline, run in this
// process). Every provision applies to the request, so each one is walked to the top of its
// chain: the worst case for the contract's evaluation.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/compile.hpp"
#include "harness.hpp"
#include "node/executor/executor.hpp"
#include "stdlib/abi_codec.hpp"
#include "stdlib/hierarchy_table.hpp"

namespace fs = std::filesystem;
using namespace assent;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string hex_identity(uint8_t tag) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    const uint8_t b = i == 0 ? tag : 0;
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

// Bits of the codes that cover `code` (itself and its ancestors), by table index.
uint64_t cover_mask(const std::vector<stdlib::TableRow>& rows, std::string code) {
  uint64_t mask = 0;
  while (!code.empty()) {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i].code == code) {
        mask |= uint64_t{1} << i;
        code = rows[i].parent;
        break;
      }
  }
  return mask;
}

uint64_t bit_of(const std::vector<stdlib::TableRow>& rows, const std::string& code) {
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].code == code) return uint64_t{1} << i;
  return 0;
}

// The native baseline: the same provisions and the same deepest-wins, deny-on-tie rule.
struct NativeProvision {
  bool permit;
  uint64_t actions, categories, purposes, from, until, data_from, data_until;
  uint64_t parent;
};

bool native_decide(const std::vector<NativeProvision>& ps, uint64_t action_bit,
                   uint64_t category_cover, uint64_t purpose_cover, uint64_t now) {
  auto applies = [&](const NativeProvision& p) {
    return (p.actions == 0 || (p.actions & action_bit)) &&
           (p.categories == 0 || (p.categories & category_cover)) &&
           (p.purposes == 0 || (p.purposes & purpose_cover)) && now >= p.from &&
           (p.until == 0 || now < p.until) &&
           // data of unknown date, as decide() asks: only a Deny with a data period speaks
           ((p.data_from == 0 && p.data_until == 0) || !p.permit);
  };
  uint64_t best = 0;
  bool permit = false;
  for (std::size_t id = 1; id <= ps.size(); ++id) {
    uint64_t depth = 0;
    for (uint64_t at = id; at != 0; at = ps[at - 1].parent) {
      if (!applies(ps[at - 1])) {
        depth = 0;
        break;
      }
      ++depth;
    }
    if (depth > best) {
      best = depth;
      permit = ps[id - 1].permit;
    } else if (depth > 0 && depth == best && !ps[id - 1].permit) {
      permit = false;
    }
  }
  return permit;
}

}  // namespace

int main() {
  const fs::path source = ASSENT_SOURCE_DIR;
  auto compiled = compiler::compile("patient_consent.assent",
                                    read(source / "contracts/patient_consent.assent"));
  if (!compiled.ok) {
    std::fprintf(stderr, "%s", compiled.diagnostics.c_str());
    return 1;
  }
  auto categories = stdlib::parse_table("data_categories.txt",
                                        read(source / "stdlib/tables/data_categories.txt"));
  auto purposes =
      stdlib::parse_table("purpose_of_use.txt", read(source / "stdlib/tables/purpose_of_use.txt"));
  if (!categories.ok() || !purposes.ok()) return 1;

  std::printf("PatientConsent.decide() as a view, against the same rule in native C++\n\n");
  bench::Table table(
      {"provisions", "nesting", "gas", "view µs (median)", "native µs", "view / native"});
  const fs::path dir =
      fs::temp_directory_path() / ("assent-decide-bench-" + std::to_string(::getpid()));
  for (const int count : {1, 10, 100}) {
    for (const int nesting : {1, 2, 4}) {
      if (nesting > count) continue;
      fs::remove_all(dir);
      auto store = store::Store::open(dir.string(), {std::size_t{1} << 30, false});
      if (!store.ok()) return 1;
      node::Executor exec(**store);
      const node::Identity registrar{0x11}, patient{0x50};
      const node::Identity actor{0x61};
      std::optional<node::Identity> contract;
      std::vector<NativeProvision> native;
      {
        auto block = exec.begin_block({1, 1'700'000'000});
        if (!block.ok()) {
          std::fprintf(stderr, "cannot begin a block: %s\n", block.error().message.c_str());
          return 1;
        }
        auto r = (*block)->deploy(registrar, 0, compiled.bytes, {}, 10'000'000, {});
        if (!r.ok() || !r.contract) {
          std::fprintf(stderr, "deploy failed: %s\n", r.describe().c_str());
          return 1;
        }
        contract = r.contract;
        const vm::Export* grant = compiled.module.find_export("grant");
        for (int i = 0; i < count; ++i) {
          const uint64_t parent = i % nesting == 0 ? 0 : static_cast<uint64_t>(i);
          const bool permit = (i % nesting) % 2 == 0;
          const std::string json =
              "[\"" + hex_identity(0x50) + "\", " + std::to_string(parent) + ", {\"decision\": \"" +
              (permit ? "Permit" : "Deny") + "\", \"actor\": \"" + hex_identity(0x61) +
              "\", \"anyone\": true, \"roles\": [], \"actions\": [\"Use\"], \"categories\": "
              "[\"Observation\"], \"purposes\": [\"HRESCH\"], \"from\": 0, \"until\": 0, "
              "\"data_from\": 0, \"data_until\": 0}]";
          auto args =
              abi::fields_from_json(grant->params, compiled.module.abi, abi::Json::parse(json));
          if (!args.ok()) {
            std::fprintf(stderr, "grant arguments: %s\n", args.error().c_str());
            return 1;
          }
          auto g = (*block)->call(patient, *contract, "grant", *args, 10'000'000, {});
          if (!g.ok()) {
            std::fprintf(stderr, "grant failed: %s\n", g.describe().c_str());
            return 1;
          }
          native.push_back({permit, 1u << 2, bit_of(*categories, "Observation"),
                            bit_of(*purposes, "HRESCH"), 0, 0, 0, 0, parent});
        }
        if (!(*block)->finish().ok() || (*block)->commit()) return 1;
      }
      const vm::Export* decide = compiled.module.find_export("decide");
      auto args = abi::fields_from_json(
          decide->params, compiled.module.abi,
          abi::Json::parse("[\"" + hex_identity(0x50) + "\", \"" + hex_identity(0x61) +
                           "\", \"Use\", \"LabResult\", \"CLINTRCH\"]"));
      if (!args.ok()) {
        std::fprintf(stderr, "decide arguments: %s\n", args.error().c_str());
        return 1;
      }
      auto txn = (*store)->begin_read();
      node::Receipt receipt;
      const int calls = bench::pick(2000 / count + 50, 1);
      const double view =
          bench::median_seconds(15,
                                [&] {
                                  for (int i = 0; i < calls; ++i)
                                    receipt = exec.view(*txn, {2, 1'700'000'100}, actor, *contract,
                                                        "decide", *args, 10'000'000);
                                }) /
          calls;
      if (!receipt.ok()) {
        std::fprintf(stderr, "decide failed: %s\n", receipt.describe().c_str());
        return 1;
      }
      const uint64_t category_cover = cover_mask(*categories, "LabResult");
      const uint64_t purpose_cover = cover_mask(*purposes, "CLINTRCH");
      volatile bool sink = false;
      const int native_calls = bench::pick(200000 / count, 100);
      const double base =
          bench::median_seconds(15,
                                [&] {
                                  for (int i = 0; i < native_calls; ++i)
                                    sink = native_decide(
                                        native, 1u << 2, category_cover, purpose_cover,
                                        1'700'000'100 + static_cast<uint64_t>(sink));
                                }) /
          native_calls;
      const bool native_permit =
          native_decide(native, 1u << 2, category_cover, purpose_cover, 1'700'000'100);
      const bool view_permit = receipt.return_data.size() == 1 && receipt.return_data[0] == 1;
      if (native_permit != view_permit) {
        std::fprintf(stderr,
                     "the contract and the native rule disagree (%d provisions, nesting %d)\n",
                     count, nesting);
        return 1;
      }
      table.row({std::to_string(count), std::to_string(nesting), std::to_string(receipt.gas_used),
                 bench::fmt("%.2f", view * 1e6), bench::fmt("%.3f", base * 1e6),
                 bench::fmt("%.0fx", view / base)});
      txn->abort();  // before the store it reads closes
      store->reset();
    }
  }
  fs::remove_all(dir);
  return 0;
}
