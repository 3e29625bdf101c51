#!/bin/sh
# Regenerates the committed reference fixtures in tests/data/ (`make fixtures`).
# Run from anywhere:  sh scripts/make_reference.sh
#
# Always (Debian packages only: r-cran-proc, python3-sklearn, python3-scipy, python3-torchvision):
#   pROC 1.18 ROC/DeLong, scikit-learn ROC, pROC/R classification, scipy stats, torchvision ResNet.
# With MONAI_SRC=<a MONAI source tree> (MONAI is not a Debian package; fetch it outside the
# repository and never commit it), also the MONAI parity fixtures of losses, segmentation metrics
# and V-Net/UNet. Each of those scripts names the MONAI version it was produced with.
set -eu
cd "$(dirname "$0")/.."
PYTHON=/usr/bin/python3

Rscript scripts/make_reference_roc.R tests/data/roc_reference.json
$PYTHON scripts/make_reference_sklearn.py tests/data/roc_reference.json tests/data/sklearn_reference.json
Rscript scripts/make_reference_classification.R
$PYTHON scripts/make_reference_stats.py
$PYTHON tests/data/nn_resnet/make_fixtures.py
Rscript scripts/make_reference_power.R
Rscript scripts/make_reference_calibration.R
$PYTHON scripts/make_reference_calibration_sklearn.py
Rscript scripts/make_reference_coords.R
$PYTHON scripts/make_reference_weighted_sklearn.py
Rscript scripts/make_reference_roc_methods.R      # bootstrap references: a few minutes
Rscript scripts/make_reference_roc_point_tests.R  # bootstrap references: a few minutes
Rscript scripts/make_reference_roc_venkatraman.R  # permutation references: about two minutes
$PYTHON scripts/make_reference_multiclass_sklearn.py

if [ -n "${MONAI_SRC:-}" ]; then
  PYTHONPATH="$MONAI_SRC" $PYTHON scripts/make_reference_losses.py
  PYTHONPATH="$MONAI_SRC" $PYTHON scripts/make_reference_segmentation.py
  PYTHONPATH="$MONAI_SRC" $PYTHON scripts/make_reference_nn_monai.py
  PYTHONPATH="$MONAI_SRC" $PYTHON scripts/make_reference_data_monai.py
else
  echo "MONAI_SRC not set: MONAI parity fixtures (losses, segmentation, nn_monai) left as they are"
fi
