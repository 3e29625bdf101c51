#!/usr/bin/env bash
# The Python package installs with pip into a venv made with --system-site-packages from
# /usr/bin/python3 (no PyPI, no build isolation) and imports from outside the source tree.
#   tests/python_package_test.sh <source dir> <cmake build dir to reuse> <python>
set -euo pipefail
source_dir=$1 build_dir=$2 python=$3
venv="$build_dir/pip-install-test/venv"
rm -rf "$build_dir/pip-install-test"
"$python" -m venv --system-site-packages "$venv"
OSTEON_CMAKE_BUILD_DIR="$build_dir" "$venv/bin/python" -m pip install --quiet --no-build-isolation --no-deps \
  --no-index "$source_dir"
cd "$build_dir/pip-install-test"
"$venv/bin/python" - <<'PY'
import osteon, torch
assert osteon.__file__.find("site-packages") >= 0, osteon.__file__
assert osteon.metrics.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
print("pip-installed osteon imports from", osteon.__file__)
PY
