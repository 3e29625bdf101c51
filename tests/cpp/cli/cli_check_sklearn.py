"""The numbers `osteon evaluate` / `osteon compare` wrote, recomputed with scikit-learn."""
import json
import sys

import numpy as np
import pandas as pd
from sklearn import metrics

cohort, evaluation, comparison = sys.argv[1:4]
table = pd.read_csv(cohort)
y = table["outcome"].to_numpy()
written = json.load(open(evaluation))["metrics"]["classification"]
for column in ("p_a", "p_b"):
    s = table[column].to_numpy()
    predicted = (s >= 0.5).astype(int)
    got = written[column]
    assert abs(got["auc"]["auc"] - metrics.roc_auc_score(y, s)) < 1e-12, column
    assert abs(got["at_threshold"]["accuracy"] - metrics.accuracy_score(y, predicted)) < 1e-12, column
    assert abs(got["at_threshold"]["precision"] - metrics.precision_score(y, predicted)) < 1e-12, column
    assert abs(got["at_threshold"]["recall"] - metrics.recall_score(y, predicted)) < 1e-12, column
    assert abs(got["at_threshold"]["f1"] - metrics.f1_score(y, predicted)) < 1e-12, column
compared = json.load(open(comparison))["metrics"]
assert abs(compared["auc"]["p_a"]["auc"] - metrics.roc_auc_score(y, table["p_a"])) < 1e-12
delong = compared["comparisons"][0]["delong"]
assert abs(delong["auc_a"] - delong["auc_b"] - (metrics.roc_auc_score(y, table["p_a"]) - metrics.roc_auc_score(y, table["p_b"]))) < 1e-12
print("scikit-learn agrees")
