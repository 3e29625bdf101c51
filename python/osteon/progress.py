"""Progress bars for long loops (bootstrap, training, cross-validation), with tqdm: a notebook
widget in Jupyter (when ipywidgets is installed), a text bar in a terminal.

Where no bar can be drawn (stderr is not a terminal and this is not a notebook: a CI log, a
batch job, ``nohup``), training and cross-validation write one plain line per epoch or fold to
stderr instead (``epoch 3/10: train_loss 0.4128, val_auc 0.8125, 1.2 s``), so logs stay readable.

One switch silences every bar osteon draws: ``osteon.progress.set_enabled(False)`` (or the
environment variable ``OSTEON_PROGRESS=0`` before import); a function's ``progress=`` argument
overrides it for one call.

Example:
    >>> osteon.progress.set_enabled(False)        # a batch job: no bars
    >>> with osteon.progress.progress_bar(total=100, desc="bootstrap") as bar:
    ...     for _ in range(100):
    ...         bar.update(1)
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterable, Iterator, Optional, TypeVar

__all__ = ["set_enabled", "is_enabled", "progress_bar", "track", "disabled", "draws_bars", "log_line"]

T = TypeVar("T")
_enabled = os.environ.get("OSTEON_PROGRESS", "1").strip().lower() not in ("0", "false", "no", "off")


def set_enabled(enabled: bool) -> None:
    """Turns every osteon progress bar on or off (the one flag).

    Args:
        enabled: False silences all bars (a function's ``progress=True`` still shows its own).

    Returns:
        None.

    Example:
        >>> osteon.progress.set_enabled(False)
    """
    global _enabled
    _enabled = bool(enabled)


def is_enabled() -> bool:
    """Whether bars are shown by default.

    Returns:
        The current value of the flag.

    Example:
        >>> osteon.progress.is_enabled()
        True
    """
    return _enabled


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """A block without progress bars (the flag is restored after it).

    Returns:
        a context manager.

    Example:
        >>> with osteon.progress.disabled():
        ...     band = osteon.plots.sensitivity_band(y, p, n_boot=2000)
    """
    global _enabled
    previous, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = previous


def _tqdm():
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm.auto needs nothing else, but a broken notebook stack should not stop work
        from tqdm import tqdm
    return tqdm


def progress_bar(total: Optional[int] = None, desc: Optional[str] = None, enabled: Optional[bool] = None,
                 leave: bool = False, unit: str = "it"):
    """A tqdm bar (use as a context manager; ``bar.update(n)``), disabled when osteon's flag is off.

    Args:
        total: expected number of steps (None: unknown).
        desc: the bar's label.
        enabled: None follows the flag; True / False override it for this bar.
        leave: keep the finished bar on screen.
        unit: the step's unit in the rate display.

    Returns:
        a ``tqdm`` instance (a no-op one when disabled).

    Example:
        >>> with osteon.progress.progress_bar(total=10, desc="folds") as bar:
        ...     bar.update(1)
    """
    show = _enabled if enabled is None else bool(enabled)
    return _tqdm()(total=total, desc=desc, disable=not show, leave=leave, unit=unit, dynamic_ncols=True)


def track(iterable: Iterable[T], total: Optional[int] = None, desc: Optional[str] = None,
          enabled: Optional[bool] = None, leave: bool = False) -> Iterator[T]:
    """Iterates over ``iterable`` with a progress bar (osteon's flag decides whether it shows).

    Args:
        iterable: the loop's items.
        total: their number, when ``len()`` cannot tell.
        desc: the bar's label.
        enabled: None follows the flag; True / False override it.
        leave: keep the finished bar on screen.

    Returns:
        an iterator over the same items.

    Example:
        >>> for fold in osteon.progress.track(range(10), desc="cross-validation"):
        ...     pass
    """
    show = _enabled if enabled is None else bool(enabled)
    return iter(_tqdm()(iterable, total=total, desc=desc, disable=not show, leave=leave, dynamic_ncols=True))


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ipython = shell.get_ipython()
    except Exception:  # an IPython that cannot tell is treated as a terminal
        return False
    return ipython is not None and "IPKernelApp" in getattr(ipython, "config", {})


def draws_bars() -> bool:
    """Whether progress is drawn as tqdm bars (a notebook, or stderr is a terminal) rather than as
    plain lines (a log file, a CI job, a pipe).

    Returns:
        True in a Jupyter kernel or when ``sys.stderr`` is a terminal.

    Example:
        >>> osteon.progress.draws_bars()   # False under nohup or in CI
        False
    """
    if _in_notebook():
        return True
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def log_line(text: str, enabled: Optional[bool] = None) -> None:
    """Writes one plain progress line to stderr (the form progress takes where no bar can be
    drawn), unless osteon's flag (or ``enabled``) is off.

    Args:
        text: the line, without its newline.
        enabled: None follows the flag; True / False override it.

    Returns:
        None.

    Example:
        >>> osteon.progress.log_line("fold 2/5 done")
    """
    show = _enabled if enabled is None else bool(enabled)
    if show:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
