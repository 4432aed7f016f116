# todoke — every target installs what it needs (scripts/setup.sh), then configures and builds.
#   make demo    the forms and signatures, then the pipeline end to end against the simulator
#   make test    ctest on the normal build and on the ASan+UBSan build
#   make bench   benchmarks (Release), each printing ratios to a baseline of the same run
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
BENCH_BUILD ?= build-release

.PHONY: setup build build-asan build-release demo test test-fast bench format tidy clean

setup:
	@./scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTODOKE_SANITIZE=ON \
		-DTODOKE_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

build-release: setup
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DTODOKE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/gateway/todoke

test-fast: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test: build build-asan
	@echo "== tests (RelWithDebInfo) =="
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@echo "== tests (ASan+UBSan) =="
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: build-release
	@./$(BENCH_BUILD)/bench/signing_bench
	@echo
	@./$(BENCH_BUILD)/bench/forms_bench
	@echo
	@./$(BENCH_BUILD)/bench/pipeline_bench

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy: build
	@git ls-files 'common/*.cpp' 'signing/*.cpp' 'forms/*.cpp' 'adapters/*.cpp' 'gateway/*.cpp' | xargs clang-tidy -p $(BUILD) --quiet --extra-arg=-Wno-unknown-warning-option

clean:
	@rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD)
