# Thin wrapper over CMake. The README's two commands are `make devnet` and `make test`;
# every target installs what it needs first (scripts/setup-deps is quiet when all is there),
# and `make fresh-check` checks that they work on a fresh Debian 12 with only git and make.
SHELL := /bin/bash
BUILD ?= build
GCC_BUILD ?= build-gcc
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# Expanded when a recipe runs, after `deps` installed ccache: on a fresh machine the first build
# uses it too (`:=` would look before anything is installed, and the build directory keeps that).
CCACHE = $(shell command -v ccache 2>/dev/null)
CMAKE_FLAGS = -G Ninja -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  $(if $(CCACHE),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
FUZZERS := fuzz_module fuzz_program fuzz_assembler fuzz_frontend fuzz_programs fuzz_chain fuzz_http fuzz_sf fuzz_jwt

.PHONY: all deps build build-gcc test devnet fresh-check bench bench-smoke test-asan fuzz ci format clean

all: build

deps:
	@scripts/setup-deps

build: deps
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Release
	@cmake --build $(BUILD)

# Everything (tests and benchmarks) with Debian's default compiler, GCC 12, warnings as errors
# as with clang: what a plain `cmake -S . -B b && cmake --build b` builds on a fresh machine.
build-gcc: deps
	@test -f $(GCC_BUILD)/build.ninja || cmake -S . -B $(GCC_BUILD) -G Ninja -DCMAKE_C_COMPILER=gcc \
	  -DCMAKE_CXX_COMPILER=g++ $(if $(CCACHE),-DCMAKE_C_COMPILER_LAUNCHER=ccache \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) -DCMAKE_BUILD_TYPE=Release
	@cmake --build $(GCC_BUILD)

# The contracts' tests run last, outside CTest, so that their table shows in the log.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2 -E '^contracts$$'
	$(BUILD)/bin/assent test contracts

# `make devnet DEVNET_ARGS=--tls`: the same devnet over HTTPS (docs/security.md, "TLS");
# DEVNET_ARGS='--port 0': on any free port (it is in .devnet/devnet.json, where the CLI finds it).
devnet: build
	$(BUILD)/bin/assent devnet $(DEVNET_ARGS)

# The README's two commands in a fresh Debian 12 root (debootstrap) with only git and make
# added: `make test`, then `make devnet`, `assent demo` against it, Ctrl-C, and `make devnet`
# again. Needs root; caches in /var/cache/assent-fresh (scripts/fresh-check says more).
fresh-check:
	@scripts/fresh-check

bench: build
	@for b in $(BUILD)/benchmarks/*/*_bench; do echo; echo "== $$b"; $$b || exit 1; done

# Every benchmark once at small sizes (ASSENT_BENCH_SMALL=1, benchmarks/harness.hpp), in
# seconds: that each still runs and what it measures still works, not how fast.
bench-smoke: build
	@for b in $(BUILD)/benchmarks/*/*_bench; do echo; echo "== $$b (small)"; start=$$SECONDS; \
	  ASSENT_BENCH_SMALL=1 $$b || { echo "$$b failed"; exit 1; }; \
	  echo "($$(( SECONDS - start )) s)"; done

# The whole suite again, built with AddressSanitizer and UBSan.
test-asan: deps
	@test -f $(ASAN_BUILD)/build.ninja || cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASSENT_SANITIZE=ON -DASSENT_BENCHMARKS=OFF
	@cmake --build $(ASAN_BUILD)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j2

# Each libFuzzer target for FUZZ_SECONDS, from the seeds in tests/fuzz/corpus (copied, so
# that what the fuzzer finds stays in the build directory).
fuzz: deps
	@test -f $(FUZZ_BUILD)/build.ninja || cmake -S . -B $(FUZZ_BUILD) $(CMAKE_FLAGS) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASSENT_SANITIZE=ON -DASSENT_FUZZ=ON -DASSENT_BENCHMARKS=OFF
	@cmake --build $(FUZZ_BUILD) --target $(FUZZERS)
	@set -e; for f in $(FUZZERS); do \
	  corpus=$(FUZZ_BUILD)/corpus/$$f; mkdir -p $$corpus; \
	  cp -n tests/fuzz/corpus/$${f#fuzz_}/* $$corpus/ 2>/dev/null || true; \
	  if [ $$f = fuzz_frontend ]; then find tests/lang contracts -name '*.assent' -exec cp -n {} $$corpus/ \; ; fi; \
	  echo "== $$f for $(FUZZ_SECONDS)s"; \
	  $(FUZZ_BUILD)/tests/fuzz/$$f -seed=1 -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$f- $$corpus 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==|SUMMARY|ERROR)' || true; \
	  test "$${PIPESTATUS[0]}" = 0 || { echo "$$f failed; reproducer in $(FUZZ_BUILD)/"; exit 1; }; \
	done

# What CI runs (.ci/run): the suite runs in the fresh root (fresh-check), and again with the
# sanitizers on the host (test-asan).
ci: fresh-check build-gcc bench-smoke test-asan fuzz

format:
	clang-format-19 -i $$(git ls-files '*.cpp' '*.hpp' '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(GCC_BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
