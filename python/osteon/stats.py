"""Statistics for results tables: paired tests (t, Wilcoxon signed-rank), linear regression and
Pearson correlation, Bland–Altman agreement, mean ± SD (see docs/stats.md).

Every function takes host arrays (numpy arrays, lists, CPU tensors) and returns a small record
with named fields (``_asdict()`` gives a dict); numbers equal scipy.stats to 1e-10.
"""
from ._C.stats import (  # noqa: F401
    BlandAltman, LinearRegression, MeanSd, PairedTTest, Pearson, WilcoxonSignedRank,
    bland_altman, linear_regression, mean_sd, paired_ttest, pearson, wilcoxon_signed_rank,
)

__all__ = [
    "paired_ttest", "wilcoxon_signed_rank", "linear_regression", "pearson", "bland_altman", "mean_sd",
    "PairedTTest", "WilcoxonSignedRank", "LinearRegression", "Pearson", "BlandAltman", "MeanSd",
]
