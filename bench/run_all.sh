#!/usr/bin/env bash
# Runs every benchmark program of a build and the side-by-side anchor scripts.
#   bench/run_all.sh <build dir>
set -uo pipefail
build=${1:-build}
export PYTHONPATH="$(cd "$build" && pwd)/python${PYTHONPATH:+:$PYTHONPATH}"
for program in "$build"/bench/bench_*; do
  [[ -x "$program" ]] || continue
  echo "== $program"
  "$program" --benchmark_min_time=0.2
done
for script in bench/*_vs_*.py; do
  echo "== $script"
  /usr/bin/python3 "$script"
done
