"""osteon.losses (see docs/losses.md)."""
from ._C.losses import *  # noqa: F401,F403
