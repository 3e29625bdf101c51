# Two commands for a new user: `make demo` and `make test`. Each installs what it needs.
PYTHON     ?= /usr/bin/python3
BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=

.PHONY: all deps configure build test test-cpp test-python test-sanitize demo bench fixtures docs-check clean

all: build

deps:
	@scripts/install-deps.sh build

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DPython_EXECUTABLE=$(PYTHON) -DPYTHON_EXECUTABLE=$(PYTHON) $(CMAKE_ARGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The doctest suite (through CTest, which also runs the find_package consumer test), then pytest.
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS)
	PYTHONPATH=$(CURDIR)/$(BUILD_DIR)/python $(PYTHON) -m pytest -q -p no:cacheprovider tests/python
	$(MAKE) test-sanitize

# ASan + UBSan build of the torch-free C++ tests, and each libFuzzer target for FUZZ_SECONDS on its
# seed corpus (tests/fuzz); clang-14 from scripts/install-deps.sh. Bounded: ~4 minutes on 2 cores.
FUZZ_SECONDS ?= 15
test-sanitize: deps
	JOBS=$(JOBS) scripts/sanitize_and_fuzz.sh $(CURDIR)/$(BUILD_DIR)-sanitize $(FUZZ_SECONDS)

test-cpp: build
	cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error -j $(JOBS)

test-python: build
	PYTHONPATH=$(CURDIR)/$(BUILD_DIR)/python $(PYTHON) -m pytest -q -p no:cacheprovider tests/python

# The main job: the hip-outcome study on the built-in synthetic cohort (split by patient, three
# ResNet-18 models trained, AUC / DeLong report written to reports/hip_outcome/report.md).
demo: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target hip_outcome_study
	$(BUILD_DIR)/examples/hip_outcome_study --out reports/hip_outcome

bench: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target osteon_benchmarks
	bench/run_all.sh $(BUILD_DIR)

# Regenerates the reference fixtures under tests/data (needs R's pROC: installed on demand).
fixtures:
	@scripts/install-deps.sh reference
	scripts/make_reference.sh

clean:
	rm -rf $(BUILD_DIR)
