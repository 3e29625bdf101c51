"""osteon: deep-learning studies for musculoskeletal imaging, on LibTorch.

torch is imported first: the compiled core binds torch modules and tensors, and pybind11 must
find torch's types registered before osteon._C loads.
"""
import torch  # noqa: F401  (must precede the extension)

from . import _C  # noqa: F401
from . import data, losses, metrics, nn, progress, split, stats, train
from . import plots  # matplotlib is imported only when a figure is drawn
from ._results import Result

__version__ = _C.__version__  # include/osteon/version.hpp, through the compiled core

__all__ = ["data", "losses", "metrics", "nn", "plots", "progress", "split", "stats", "train", "Result",
           "__version__"]
