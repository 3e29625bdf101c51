"""Metrics: ROC / AUC / DeLong, threshold and multi-class metrics, segmentation metrics.

Host inputs (numpy arrays, lists, pandas Series) run in double precision on the CPU; torch
tensors are computed on their own device and tensor results come back there. Results with more
than one number are osteon records (attributes, ``to_dict()``, ``to_frame()``).
"""
from . import _metrics_classification, _metrics_roc, _metrics_segmentation
from ._metrics_classification import *  # noqa: F401,F403  (each module lists its __all__)
from ._metrics_roc import *  # noqa: F401,F403
from ._metrics_segmentation import *  # noqa: F401,F403
from . import _metrics_study
from ._metrics_study import *  # noqa: F401,F403
from . import _roc_compare
from ._roc_compare import *  # noqa: F401,F403

__all__ = [*_metrics_roc.__all__, *_metrics_classification.__all__, *_metrics_segmentation.__all__,
           *_metrics_study.__all__, *_roc_compare.__all__]

for _name in __all__:
    _object = globals()[_name]
    if getattr(_object, "__module__", "").startswith(("osteon._metrics", "osteon._roc_compare")):
        _object.__module__ = __name__
del _name, _object
