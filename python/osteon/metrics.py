"""Metrics: ROC / AUC / DeLong, threshold and multi-class metrics, segmentation metrics.

Host inputs (numpy arrays, lists) run in double precision on the CPU; torch tensors are computed on
their own device and tensor results come back there.
"""
from ._C.metrics import *  # noqa: F401,F403  (the compiled functions)
from ._metrics_roc import *  # noqa: F401,F403
from ._metrics_classification import *  # noqa: F401,F403
from ._metrics_segmentation import *  # noqa: F401,F403
from ._metrics_study import *  # noqa: F401,F403
