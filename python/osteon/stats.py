"""Statistics for results tables: paired tests (t, Wilcoxon signed-rank), linear regression and
Pearson correlation, Bland–Altman agreement, mean ± SD (see docs/stats.md).

Every function takes host arrays (numpy arrays, lists, pandas Series, tensors on any device —
copied to the host) and returns an osteon record (attributes, ``to_dict()``, ``to_frame()``);
numbers equal scipy.stats to 1e-10. Signatures and docstrings are the C++ binding's.
"""
from __future__ import annotations

import functools

from . import _convert, _cpp_module
from ._C import stats as _c
from ._results import Result, record

__all__ = [
    "paired_ttest", "wilcoxon_signed_rank", "linear_regression", "pearson", "bland_altman", "mean_sd",
    "PairedTTest", "WilcoxonSignedRank", "LinearRegression", "Pearson", "BlandAltman", "MeanSd",
]


@record
class MeanSd(Result):
    """Mean and standard deviation (see mean_sd); ``str()`` gives "0.92 ± 0.01826"."""

    mean: float
    sd: float
    n: int
    ddof: int

    def __str__(self) -> str:
        return f"{self.mean:.4g} ± {self.sd:.4g}"


@record
class PairedTTest(Result):
    """Result of paired_ttest (scipy.stats.ttest_rel)."""

    statistic: float
    p_value: float
    df: float
    mean_difference: float
    sd_difference: float
    ci_low: float
    ci_high: float
    level: float
    n: int


@record
class WilcoxonSignedRank(Result):
    """Result of wilcoxon_signed_rank (scipy.stats.wilcoxon)."""

    statistic: float
    p_value: float
    z: float
    method: str
    r_plus: float
    r_minus: float
    n: int
    n_zero: int
    has_ties: bool


@record
class LinearRegression(Result):
    """Result of linear_regression (scipy.stats.linregress)."""

    slope: float
    intercept: float
    r: float
    r2: float
    p_value: float
    slope_stderr: float
    intercept_stderr: float
    n: int


@record
class Pearson(Result):
    """Result of pearson (scipy.stats.pearsonr with its confidence interval)."""

    r: float
    p_value: float
    ci_low: float
    ci_high: float
    level: float
    n: int


@record
class BlandAltman(Result):
    """Result of bland_altman: bias, limits of agreement and their confidence intervals."""

    bias: float
    sd: float
    lower_limit: float
    upper_limit: float
    bias_ci_low: float
    bias_ci_high: float
    lower_limit_ci_low: float
    lower_limit_ci_high: float
    upper_limit_ci_low: float
    upper_limit_ci_high: float
    level: float
    n: int


def _sample(function, argument):
    return functools.partial(_convert.host, function=function, argument=argument)


def _alternative(function):
    return functools.partial(_convert.alternative, function=function)


def _wrap(name, result, samples, alternative=False):
    convert = {argument: _sample(name, argument) for argument in samples}
    if alternative:
        convert["alternative"] = _alternative(name)
    return _cpp_module.python_function(getattr(_c, name), name, __name__, convert=convert, result=result._from_cpp)


mean_sd = _wrap("mean_sd", MeanSd, ("values",))
paired_ttest = _wrap("paired_ttest", PairedTTest, ("a", "b"), alternative=True)
wilcoxon_signed_rank = _wrap("wilcoxon_signed_rank", WilcoxonSignedRank, ("a", "b"), alternative=True)
linear_regression = _wrap("linear_regression", LinearRegression, ("x", "y"))
pearson = _wrap("pearson", Pearson, ("x", "y"), alternative=True)
bland_altman = _wrap("bland_altman", BlandAltman, ("a", "b"))
