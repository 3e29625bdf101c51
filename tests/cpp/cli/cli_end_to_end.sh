#!/usr/bin/env bash
# Usage: cli_end_to_end.sh OSTEON_BINARY WORK_DIR PYTHON CHECK_SCRIPT
set -uo pipefail
osteon=$1; work=$2; python=$3; check=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE PATTERN -- command...: exit code CODE, and (for code 2) exactly one stderr line matching PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  "$@" >stdout.txt 2>stderr.txt
  local rc=$?
  [[ $rc -eq $code ]] || fail "$* exited $rc, expected $code: $(cat stderr.txt)"
  if [[ $code -eq 2 ]]; then
    [[ $(wc -l <stderr.txt) -eq 1 ]] || fail "$*: stderr has $(wc -l <stderr.txt) lines, expected one: $(cat stderr.txt)"
    grep -q -- "$pattern" stderr.txt || fail "$*: stderr does not name '$pattern': $(cat stderr.txt)"
  fi
}

# A tiny cohort: 24 patients, two images each, deterministic scores (with ties).
{
  echo "image,patient,outcome,p_a,p_b"
  for p in $(seq 0 23); do
    y=$(( (p * 7) % 5 < 2 ? 1 : 0 ))
    for v in ap frog; do
      a=$(( (p * 37 + ${#v} * 11) % 60 + 40 * y )); b=$(( (p * 53 + ${#v} * 5) % 80 + 20 * y ))
      echo "p${p}_${v},p${p},${y},0.$(printf %02d $((a % 100))),0.$(printf %02d $((b % 100)))"
    done
  done
} >cohort.csv

expect 0 "" -- "$osteon" --help
grep -q "split" stdout.txt || fail "--help does not list split"
expect 0 "" -- "$osteon" --version
grep -q "^osteon [0-9]" stdout.txt || fail "--version prints $(cat stdout.txt)"
for sub in split evaluate compare; do
  expect 0 "" -- "$osteon" "$sub" --help
  grep -q "Usage: osteon $sub" stdout.txt || fail "$sub --help"
done
expect 2 "--bogus" -- "$osteon" split --bogus
expect 2 "nope.csv" -- "$osteon" split --manifest nope.csv
expect 2 "sample_id" -- "$osteon" split --manifest cohort.csv --label-column outcome
expect 2 "A subcommand is required" -- "$osteon"

# split: holdout and nested; the written manifests pass the leak audit.
expect 0 "" -- "$osteon" split --manifest cohort.csv --id-column image --label-column outcome --group-column patient \
  --seed 3 --out split.csv
[[ $(wc -l <split.csv) -eq 49 ]] || fail "split.csv has $(wc -l <split.csv) lines"
expect 0 "" -- "$osteon" split --check split.csv
expect 0 "" -- "$osteon" split --manifest cohort.csv --id-column image --label-column outcome --group-column patient \
  --folds 3 --holdout 0.2 --out nested.csv
expect 0 "" -- "$osteon" split --check nested.csv
# A split that puts one patient on both sides is refused, naming the group.
awk -F, 'BEGIN{OFS=","} NR==2{$3="train"} NR==3{$3="test"} {print}' split.csv >leaky.csv
expect 2 "p0" -- "$osteon" split --check leaky.csv

# evaluate / compare; numbers checked against scikit-learn.
expect 0 "" -- "$osteon" evaluate --predictions cohort.csv --label-column outcome --score-column p_a --score-column p_b --out eval
grep -q "| p_a | 48 |" stdout.txt || fail "evaluate table: $(cat stdout.txt)"
[[ -s eval/report.md && -s eval/metrics.json ]] || fail "evaluate --out wrote no report"
expect 2 "patient" -- "$osteon" evaluate --predictions cohort.csv --label-column patient --score-column p_a
expect 2 "p_c" -- "$osteon" evaluate --predictions cohort.csv --label-column outcome --score-column p_c
expect 0 "" -- "$osteon" compare --predictions cohort.csv --label-column outcome --score-column p_a --score-column p_b --out compare
grep -q "p_a vs p_b" stdout.txt || fail "compare table"
[[ $(head -c 4 compare/roc.png | tail -c 3) == "PNG" ]] || fail "compare/roc.png is not a PNG"
expect 2 "at least twice" -- "$osteon" compare --predictions cohort.csv --label-column outcome --score-column p_a
"$python" "$check" cohort.csv eval/metrics.json compare/metrics.json || fail "scikit-learn check"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
