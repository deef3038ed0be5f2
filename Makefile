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

# Every test under AddressSanitizer and UndefinedBehaviorSanitizer. The two test binaries run
# whole (one process each, side by side) rather than through ctest's process per test: under the
# sanitizers a process start costs ~0.4 s, which made 2,000 tests take 7 minutes instead of 1.
# Built at -O1 with line tables only (-g1: file and line in the sanitizers' stack traces) and only
# the targets the two binaries need, which halves the build against RelWithDebInfo.
sanitize: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
	  -DSGWATCH_SANITIZE=ON -DSGWATCH_WERROR=$(WERROR)
	cmake --build build-asan -j $(JOBS) --target sgwatch_unit_tests sgwatch_conformance_tests
	build-asan/tests/sgwatch_unit_tests --gtest_brief=1 & unit=$$!; \
	  build-asan/tests/sgwatch_conformance_tests --gtest_brief=1; conformance=$$?; \
	  wait $$unit; unit=$$?; \
	  echo "sanitize: unit tests exit $$unit, conformance tests exit $$conformance"; \
	  test $$unit -eq 0 && test $$conformance -eq 0

bench: deps
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSGWATCH_BENCH=ON -DSGWATCH_TESTS=OFF
	cmake --build build-bench -j $(JOBS)
	scripts/run-bench build-bench
	build-bench/bench/sgwatch_logs_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
	scripts/bench-scan build-bench/src/cli/sgwatch build-bench/scan-corpora --size-mb $(BENCH_SIZE_MB) \
	  --gunzip build-bench/bench/sgwatch_gunzip_peer
	scripts/bench-serve build-bench build-bench/serve-work
	scripts/bench-audit build-bench/src/cli/sgwatch

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
