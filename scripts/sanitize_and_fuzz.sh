#!/usr/bin/env bash
# ASan + UBSan build of the torch-free C++ test programs, run; then the libFuzzer targets, each for
# a bounded time on its committed seed corpus. Any sanitizer report, crash, hang or unexpected
# exception fails the script. Run by `make test-sanitize` (and so by `make test`).
#
#   scripts/sanitize_and_fuzz.sh [build-dir] [seconds-per-fuzzer]
# Environment: OSTEON_FUZZ_TORCH=1 also builds and runs the state-dict fuzzer (LibTorch with clang).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-sanitize}"
seconds="${2:-${OSTEON_FUZZ_SECONDS:-15}}"
jobs="${JOBS:-$(nproc)}"
# The tests build with g++ (clang-14 cannot capture structured bindings in lambdas, which doctest's
# macros are); the fuzzers need clang's libFuzzer.
cxx="${OSTEON_SANITIZE_CXX:-$(command -v g++)}"
fuzz_cxx="${OSTEON_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}"
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
torch_fuzz=OFF
[[ "${OSTEON_FUZZ_TORCH:-0}" == 1 ]] && torch_fuzz=ON
# -g1: line tables are enough for the reports, and full debug info of these templates is slow to emit.
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g1 -O1"
common=(-G Ninja -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" -DOSTEON_BUILD_PYTHON=OFF -DOSTEON_BUILD_BENCHMARKS=OFF
        -DOSTEON_BUILD_EXAMPLES=OFF)
configure() {  # configure <dir> <args...>
  local dir="$1"
  shift
  mkdir -p "$dir"
  cmake -S "$root" -B "$dir" "${common[@]}" "$@" > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
}
configure "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
configure "$build/fuzz" -DCMAKE_CXX_COMPILER="$fuzz_cxx" -DOSTEON_BUILD_TESTS=OFF -DOSTEON_BUILD_FUZZERS=ON \
  -DOSTEON_FUZZ_TORCH="$torch_fuzz"

# The torch-free programs (tests/cpp/core, stats, split, metrics/roc, metrics/classification).
programs=(osteon_test_core osteon_test_stats osteon_test_split osteon_test_roc osteon_test_classification)
fuzzers=(fuzz_roc fuzz_split fuzz_csv_manifest)
[[ "$torch_fuzz" == ON ]] && fuzzers+=(fuzz_state_dict)
cmake --build "$build" -j "$jobs" --target "${programs[@]}"
cmake --build "$build/fuzz" -j "$jobs" --target "${fuzzers[@]}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for program in "${programs[@]}"; do
  binary="$(find "$build/tests/cpp" -name "$program" -type f | head -n 1)"
  echo "== sanitized: $program"
  "$binary" --minimal
done

# Fuzzers: a fresh scratch corpus seeded from the committed one (the committed corpus stays small).
for fuzzer in "${fuzzers[@]}"; do
  corpus_name="${fuzzer#fuzz_}"
  [[ "$corpus_name" == csv_manifest ]] && corpus_name=csv
  work="$build/fuzz-corpus/$corpus_name"
  rm -rf "$work" && mkdir -p "$work"
  echo "== fuzzing: $fuzzer for ${seconds}s"
  "$build/fuzz/tests/fuzz/$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-$fuzzer-" "$work" "$root/tests/fuzz/corpus/$corpus_name" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE|==[0-9]+==ERROR|SUMMARY)" || true
  # libFuzzer exits non-zero on a finding and leaves a crash-/leak-/timeout- artifact
  if compgen -G "$build/fuzz-$fuzzer-*" > /dev/null; then
    echo "finding of $fuzzer:" "$build"/fuzz-"$fuzzer"-*
    exit 1
  fi
done
echo "sanitizers and fuzzers: no findings"
