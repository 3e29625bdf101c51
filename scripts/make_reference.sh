#!/bin/sh
# Regenerate the committed ROC/AUC/DeLong reference fixtures in tests/data/.
# Run from anywhere:  sh scripts/make_reference.sh
# Needs: Rscript with pROC (Debian: r-cran-proc), /usr/bin/python3 with numpy + scikit-learn.
set -eu
cd "$(dirname "$0")/.."
Rscript scripts/make_reference_roc.R tests/data/roc_reference.json
/usr/bin/python3 scripts/make_reference_sklearn.py tests/data/roc_reference.json tests/data/sklearn_reference.json
