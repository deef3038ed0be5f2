# sgwatch — developer entry points. `make test` is what CI runs (.ci/run).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
WERROR ?= OFF
BENCH_SIZE_MB ?= 200

.PHONY: all deps build test demo sanitize bench fuzz format lint clean

all: build

deps:
	scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSGWATCH_WERROR=$(WERROR) $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The main job on the bundled examples (builds the sgwatch binary only).
demo: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target sgwatch
	scripts/demo $(BUILD)/src/cli/sgwatch

# The unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (CONTRACTS.md: CI may add
# "a sanitizer build of the unit tests" within its time budget). The binary runs whole (one
# process) rather than through ctest's process per test: under the sanitizers a process start
# costs ~0.4 s. Built with clang (the release build is GCC's, so CI compiles the libraries and the
# unit tests with both, warnings as errors) at -O0 with line tables only (-g1: file and line in the sanitizers' stack
# traces): clang compiles the sanitized, template-heavy code about twice as fast as GCC
# (src/engine/logs_engine.cpp: 13.7 s against 25.0 s; the unit tests: 6 min against 12), and
# the slower run (2.5 min against 1.5) costs less than that. Only the unit test binary and what it
# links are built; the CLI, whose code the unit tests do not run, and the conformance and
# integration tests (real servers, subprocesses) stay in the release run. Parsers are also
# covered by the fuzzers, which run under ASan+UBSan (make fuzz).
sanitize: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Sanitize \
	  -DCMAKE_CXX_FLAGS_SANITIZE="-O0 -g1" -DSGWATCH_SANITIZE=ON -DSGWATCH_WERROR=$(WERROR)
	cmake --build build-asan -j $(JOBS) --target sgwatch_unit_tests
	build-asan/tests/sgwatch_unit_tests --gtest_brief=1

bench: deps
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSGWATCH_BENCH=ON -DSGWATCH_TESTS=OFF
	cmake --build build-bench -j $(JOBS)
	scripts/run-bench build-bench
	build-bench/bench/sgwatch_logs_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
	scripts/bench-scan build-bench/src/cli/sgwatch build-bench/scan-corpora --size-mb $(BENCH_SIZE_MB) \
	  --gunzip build-bench/bench/sgwatch_gunzip_peer
	scripts/bench-serve build-bench build-bench/serve-work
	scripts/bench-audit build-bench/src/cli/sgwatch
	scripts/bench-latency build-bench/src/cli/sgwatch build-bench/latency-work
	tests/system/flood_test.py build-bench/src/cli/sgwatch ../shared --seconds 60 --read-back store --json build-bench/flood.json
	python3 tests/system/crash_test.py --sgwatch build-bench/src/cli/sgwatch --kills 200 --files 400 --push-batches 200 --alarms 20

# libFuzzer targets (clang). FUZZ_SECONDS per target; 0 replays the corpora only.
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSGWATCH_FUZZ=ON -DSGWATCH_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS)
	scripts/run-fuzz build-fuzz $(FUZZ_SECONDS)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

lint: $(BUILD)/build.ninja
	git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD) --quiet --extra-arg=-Wno-unknown-warning-option

clean:
	rm -rf $(BUILD) build-asan build-bench build-fuzz
