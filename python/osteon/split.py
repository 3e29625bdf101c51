"""osteon.split (see docs/split.md)."""
from ._C.split import *  # noqa: F401,F403
