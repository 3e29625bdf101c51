"""osteon.stats (see docs/stats.md)."""
from ._C.stats import *  # noqa: F401,F403
