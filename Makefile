# The two commands of the README: `make demo` and `make test`.
# Each installs missing Debian packages, configures, builds, then runs.
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Seconds per fuzz target in `make test`; empty: scripts/fuzz.sh's CI default (about a
# minute over all targets together). A longer pass: `make fuzz-smoke FUZZ_SECONDS=600`.
FUZZ_SECONDS ?=

.PHONY: deps configure build demo test test-quick test-asan fuzz-smoke test-tsan bench clean

# `make test` also installs the test-only packages (chromium, clang): the target-specific
# DEPS_FLAGS below reaches `deps` through build and configure.
DEPS_FLAGS ?=

deps:
	@sh scripts/install-deps.sh $(DEPS_FLAGS)

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/perseval demo

# Everything CI checks, in order: the suite; the suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer (clang) and a short libFuzzer pass over every parser of
# untrusted input (same clang build); the runner, adapter and store tests under
# ThreadSanitizer (gcc). The first failure stops it.
test: DEPS_FLAGS = --test
test: test-quick
	@$(MAKE) --no-print-directory test-asan fuzz-smoke test-tsan

# The plain test suite alone (what to run while developing).
test-quick: DEPS_FLAGS = --test
test-quick: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	@sh scripts/install-deps.sh --test
	@CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD) $(CMAKE_FLAGS) \
	  -DPERSEVAL_SANITIZE=address,undefined -DPERSEVAL_FUZZ=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target perseval perseval_tests perseval_test_server perseval_fuzz
	sh scripts/sanitizers/run-asan.sh $(ASAN_BUILD) $(JOBS)

fuzz-smoke: test-asan
	sh scripts/fuzz.sh $(ASAN_BUILD) $(FUZZ_SECONDS)

test-tsan:
	@sh scripts/install-deps.sh --test
	@cmake -S . -B $(TSAN_BUILD) $(CMAKE_FLAGS) -DPERSEVAL_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target perseval perseval_tests perseval_test_server
	bash scripts/sanitizers/run-tsan.sh $(TSAN_BUILD) $(JOBS)

bench: build
	./$(BUILD)/perseval_bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
