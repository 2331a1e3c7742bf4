# nuem: the README's two commands are `make run` and `make test`.
# Each installs missing Debian packages, configures, builds and runs.
BUILD   ?= build
ASAN    ?= build-asan
PREFIX  ?= /usr/local
JOBS    ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-asan install bench fuzz docs clean

all: build

deps:
	@./scripts/install-deps.sh build

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DNUEM_WERROR=ON \
	      -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/nuem

# Every test through ctest, then the suite once more under ASan + UBSan.
test: build test-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DNUEM_SANITIZE=ON -DNUEM_WERROR=ON >/dev/null
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -LE slow

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: build
	./$(BUILD)/bench/nuem_bench ./$(BUILD)/nuem
	/usr/bin/python3 bench/python_bench.py $(BUILD)

# libFuzzer targets for the config, unit and table parsers; FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz:
	@./scripts/install-deps.sh fuzz
	CC=clang cmake -S . -B fuzz-build -DNUEM_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build fuzz-build -j $(JOBS)
	for t in config units table; do \
	  mkdir -p fuzz-build/corpus-$$t; \
	  ./fuzz-build/fuzz/fuzz_$$t fuzz-build/corpus-$$t fuzz/seeds/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=4096 || exit 1; \
	done

# Regenerate docs/config.md, the README's Figure-3 picture and the atomic-model
# comparison (which needs the Ge response table: about a minute to build).
docs: build
	./$(BUILD)/nuem config --format markdown --out docs/config.md
	./$(BUILD)/nuem spectrum --set detector.threshold=300eV --plot docs/figure3.png --out /dev/null
	./$(BUILD)/nuem atomic build --element Ge --out $(BUILD)/Ge_response.dat
	./$(BUILD)/nuem ratios --models stepping,epa,ab-initio \
	  --set atomic.response_table=$(BUILD)/Ge_response.dat --set atomic.extrapolation=free \
	  --set output.t_max=90keV --set output.points=300 --plot docs/atomic-ratios.png --out /dev/null

clean:
	rm -rf $(BUILD) $(ASAN) fuzz-build
