# The two commands of the README: `make demo` and `make test`.
# Each installs missing Debian packages, configures, builds, then runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: deps configure build demo test bench clean

# `make test` also installs the test-only packages (chromium for the HTML report's browser
# tests): the target-specific DEPS_FLAGS below reaches `deps` through build and configure.
DEPS_FLAGS ?=

deps:
	@sh scripts/install-deps.sh $(DEPS_FLAGS)

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/perseval demo

test: DEPS_FLAGS = --test
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./$(BUILD)/perseval_bench

clean:
	rm -rf $(BUILD)
