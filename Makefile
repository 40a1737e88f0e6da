# Two commands do everything (see README.md): `make demo` and `make check`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PACKAGES := cmake make g++-12 clang-14 libclang-rt-14-dev pkg-config openssl curl \
            libssl-dev libboost-dev libcpp-httplib-dev nlohmann-json3-dev librapidcheck-dev libgtest-dev wrk \
            help2man dpkg-dev python3-jsonschema libhiredis-dev redis-server \
            nettle-dev libcurl4-openssl-dev uuid-dev rapidjson-dev clang-format-14
CMAKE_COMMON := -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: deps build build-asan build-tsan demo check bench install package format clean

deps:
	@scripts/install-deps.sh $(PACKAGES)

# Main build: g++-12.
build: deps
	@cmake -S . -B build $(CMAKE_COMMON) -DCMAKE_CXX_COMPILER=g++-12 >/dev/null
	@cmake --build build -j$(JOBS)

# Second compiler and the sanitizers in one tree: clang++-14 with ASan+UBSan.
build-asan: deps
	@cmake -S . -B build-asan $(CMAKE_COMMON) -DCMAKE_CXX_COMPILER=clang++-14 -DTIGRESS_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

# ThreadSanitizer tree (clang++-14): only the tests labelled "concurrent" (the case executor, the
# relay with its memory and Redis stores, the adversarial relay, the model's parallel workers),
# the only tests check runs there.
TSAN_TESTS := framework_test relay_test adversary_test model_test
build-tsan: deps
	@cmake -S . -B build-tsan $(CMAKE_COMMON) -DCMAKE_CXX_COMPILER=clang++-14 -DTIGRESS_TSAN=ON >/dev/null
	@cmake --build build-tsan -j$(JOBS) --target $(TSAN_TESTS)

demo: build
	@scripts/demo.sh build/bin

# All tests: the sanitizer trees first, the main tree last so ctest's summary closes the run.
# Many tests spend their time waiting (timeouts, expiry, silent relays under test), so ctest runs
# twice as many at once as there are cores (the few time bounds, such as "a silent relay ends
# well under 30 s", leave a wide margin).
TEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
check: build build-asan build-tsan
	@echo "== concurrent tests under ThreadSanitizer (clang++-14) =="
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir build-tsan -L concurrent --output-on-failure -j$(TEST_JOBS)
	@echo "== unit tests under ASan+UBSan (clang++-14) =="
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(TEST_JOBS)
	@echo "== all tests (g++-12) =="
	@ctest --test-dir build --output-on-failure -j$(TEST_JOBS)

# Programs to $(PREFIX)/bin, data to $(PREFIX)/share/tigress-suite, man pages; DESTDIR is honoured.
PREFIX ?= /usr/local
install: build
	@DESTDIR="$(DESTDIR)" cmake --install build --prefix "$(PREFIX)" --strip

# The Debian package (CPack), in build/package/.
package: build
	@cpack --config build/CPackConfig.cmake -G DEB -B "$(CURDIR)/build/package" >build/package.log || \
	  { tail -n 20 build/package.log; exit 1; }
	@ls -1 "$(CURDIR)"/build/package/*.deb

# BENCH_SCALE_FLAGS scales tigress-bench-scale up, e.g.
#   make bench BENCH_SCALE_FLAGS="--redis-store-mailboxes 10000,100000,1000000 --sweep-live 0,100000,1000000"
BENCH_SCALE_FLAGS ?=
bench: build
	@mkdir -p reports/bench
	@build/bin/tigress-bench --out reports/bench/relay.json
	@build/bin/tigress-bench-http --out reports/bench/http_layer.json
	@bench/netfuzz_bench.sh build/bin reports/bench/netfuzz.json
	@build/bin/tigress-bench-scale $(BENCH_SCALE_FLAGS) --out reports/bench/scale.json

# Fuzzing (fuzz/README.md): libFuzzer binaries in their own clang tree: build-fuzz/bin/fuzz_*. Only the fuzz targets are
# built there (no tests); the corpora are replayed by `make check` through the normal trees.
.PHONY: fuzz fuzz-smoke fuzz-report
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake -S . -B build-fuzz $(CMAKE_COMMON) -DCMAKE_CXX_COMPILER=clang++-14 -DTIGRESS_FUZZ=ON \
	  -DTIGRESS_TESTS=OFF >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target fuzz_all

# Runs every target FUZZ_SECONDS on a copy of its corpus and prints exec/s, cov and ft.
fuzz-smoke: fuzz
	@fuzz/smoke.sh build-fuzz/bin $(FUZZ_SECONDS)

# The long measurement: 10 minutes per target, recorded in reports/fuzz.json.
fuzz-report: fuzz
	@fuzz/smoke.sh build-fuzz/bin 600 reports/fuzz.json

# Lays the C++ sources out by .clang-format (make check verifies they are).
format:
	@scripts/format.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz
