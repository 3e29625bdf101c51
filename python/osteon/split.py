"""osteon.split: stratified, group-safe holdout and k-fold splits, nested designs, leakage
checks and CSV manifests (see docs/split.md for the algorithm).

Every sample of a group (patient, hip) lands on one side of every split; classes (and, with
``strata``, combinations such as outcome x sex) are balanced by group-level labels; a seed gives
the same split on every platform. Index arrays are numpy int64.
"""
from __future__ import annotations

import os
import re
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from . import _convert
from ._C import split as _c

_D = _c._split_defaults  # read from the C++ SplitOptions

__all__ = [
    "stratified_holdout", "repeated_stratified_holdout", "stratified_kfold", "repeated_stratified_kfold",
    "nested_split", "NestedSplit", "check_no_leakage", "write_manifest", "read_manifest", "content_hash",
    "StratifiedGroupKFold", "RepeatedStratifiedGroupKFold", "StratifiedGroupShuffleSplit", "Manifest",
]

Manifest = _c.Manifest
Split = Tuple[np.ndarray, np.ndarray]


class NestedSplit(NamedTuple):
    """A held-out test set plus k-fold cross-validation on the rest (indices into the full data).

    Attributes:
        development: samples used for cross-validation (everything not held out).
        test: held-out samples.
        folds: list of (train, test) pairs partitioning ``development``.
    """

    development: np.ndarray
    test: np.ndarray
    folds: List[Split]


# ---- input normalisation ---------------------------------------------------------------------

def _labels(y) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {arr.shape}")
    if arr.dtype.kind in "biuf":
        return np.ascontiguousarray(arr, dtype=np.float64)
    try:  # text or object labels ("normal", "osteopenia", ...): their sorted codes
        return np.unique(arr, return_inverse=True)[1].astype(np.float64)
    except TypeError as error:
        raise ValueError(f"y: labels must be numbers or strings of one type ({error})") from None


def _codes(values, name: str, n: int) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """int64 codes for ids of any type, and the unique values when the codes are not the ids."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
    if len(arr) != n:
        raise ValueError(f"{name} must have one entry per sample: len({name}) = {len(arr)}, len(y) = {n}")
    if arr.dtype.kind in "biu":
        return np.ascontiguousarray(arr, dtype=np.int64), None
    if arr.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise ValueError(f"{name}[{bad[0]}] is not a finite id ({arr[bad[0]]})")
    try:
        uniques, inverse = np.unique(arr, return_inverse=True)
    except TypeError as error:
        raise ValueError(f"{name}: ids must be of one sortable type ({error})") from None
    return inverse.astype(np.int64), uniques


def _strata(strata, n: int) -> List[np.ndarray]:
    if strata is None:
        return []
    if isinstance(strata, (list, tuple)) and len(strata) > 0 and np.ndim(strata[0]) == 1:
        keys = list(strata)
    else:
        arr = np.asarray(strata)
        if arr.ndim == 1:
            keys = [arr]
        elif arr.ndim == 2:
            keys = [arr[:, j] for j in range(arr.shape[1])]
        else:
            raise ValueError(f"strata must be one key per sample or an (n_samples, n_keys) table, got shape {arr.shape}")
    return [_codes(key, f"strata[{j}]", n)[0] for j, key in enumerate(keys)]


def _seed(seed, name: str = "seed") -> int:
    return _convert.seed(seed, "split", name)


def _inputs(y, groups, strata, seed):
    labels = _labels(y)
    group_codes = None if groups is None else _codes(groups, "groups", len(labels))[0]
    return labels, group_codes, _strata(strata, len(labels)), _seed(seed)


# ---- splitters -------------------------------------------------------------------------------

def stratified_holdout(y, groups=None, test_size: float = 0.25, strata=None, seed: int = _D["seed"], *,
                       shuffle: bool = _D["shuffle"], mixed_labels: str = _D["mixed_labels"]) -> Split:
    """Stratified, group-safe train/test split (3:1 by default).

    Args:
        y: class label per sample (numbers or strings).
        groups: group id per sample (patient, hip); all samples of a group go to one side.
            ``None``: every sample is its own group.
        test_size: fraction of samples in the test side, in (0, 1).
        strata: extra keys to balance jointly with ``y`` (e.g. sex): one array, a list of arrays
            or an (n_samples, n_keys) table.
        seed: seed of osteon's portable RNG; the same seed gives the same split everywhere.
        shuffle: ``False`` breaks ties deterministically without randomness (seed ignored).
        mixed_labels: ``"error"`` (default) refuses a group whose samples carry different labels;
            ``"majority"`` labels such a group by its most frequent label.

    Returns:
        (train, test): ascending int64 index arrays.

    Raises:
        ValueError: lengths that differ, NaN labels, a group with mixed labels (mixed_labels="error"),
            impossible sizes (a class with fewer groups than folds), or a seed outside [0, 2**64).

    Example:
        >>> train, test = osteon.split.stratified_holdout(outcome, groups=hip_id, seed=2024)
    """
    labels, group_codes, keys, seed = _inputs(y, groups, strata, seed)
    return _c.stratified_holdout(labels, group_codes, float(test_size), keys, seed, bool(shuffle), mixed_labels)


def repeated_stratified_holdout(y, n_repeats: int = 10, groups=None, test_size: float = 0.25, strata=None,
                                seed: int = _D["seed"], *, shuffle: bool = _D["shuffle"], mixed_labels: str = _D["mixed_labels"]) -> List[Split]:
    """``n_repeats`` independent stratified group holdouts (repeat 0 equals stratified_holdout).

    Args:
        y: class label per sample (numbers or strings).
        n_repeats: number of holdouts.
        groups: group id per sample (see stratified_holdout).
        test_size: fraction of samples in the test side.
        strata: extra keys to balance jointly with ``y``.
        seed: seed of osteon's portable RNG.
        shuffle: ``False`` breaks ties without randomness.
        mixed_labels: ``"error"`` or ``"majority"``.

    Returns:
        list of (train, test) pairs.

    Raises:
        ValueError: lengths that differ, NaN labels, a group with mixed labels (mixed_labels="error"),
            impossible sizes (a class with fewer groups than folds), or a seed outside [0, 2**64).

    Example:
        >>> splits = osteon.split.repeated_stratified_holdout(y, 20, groups=patient, test_size=0.2)
    """
    labels, group_codes, keys, seed = _inputs(y, groups, strata, seed)
    return _c.repeated_stratified_holdout(labels, int(n_repeats), group_codes, float(test_size), keys, seed,
                                          bool(shuffle), mixed_labels)


def stratified_kfold(y, n_splits: int, groups=None, strata=None, seed: int = _D["seed"], *, shuffle: bool = _D["shuffle"],
                     mixed_labels: str = _D["mixed_labels"]) -> List[Split]:
    """Stratified, group-safe k-fold cross-validation.

    Every group lies in exactly one test fold; each fold holds ~1/k of every class (or
    class x strata combination) and ~1/k of the samples, and every class appears in every fold.

    Args:
        y: class label per sample (numbers or strings).
        n_splits: k >= 2.
        groups: group id per sample (see stratified_holdout).
        strata: extra keys to balance jointly with ``y``.
        seed: seed of osteon's portable RNG.
        shuffle: ``False`` breaks ties without randomness.
        mixed_labels: ``"error"`` or ``"majority"``.

    Returns:
        list of ``n_splits`` (train, test) pairs of ascending int64 arrays.

    Raises:
        ValueError: lengths that differ, NaN labels, a group with mixed labels (mixed_labels="error"),
            impossible sizes (a class with fewer groups than folds), or a seed outside [0, 2**64).

    Example:
        >>> folds = osteon.split.stratified_kfold(y, 10, groups=subject, strata=sex, seed=7)
    """
    labels, group_codes, keys, seed = _inputs(y, groups, strata, seed)
    return _c.stratified_kfold(labels, int(n_splits), group_codes, keys, seed, bool(shuffle), mixed_labels)


def repeated_stratified_kfold(y, n_splits: int, n_repeats: int = 10, groups=None, strata=None, seed: int = _D["seed"], *,
                              mixed_labels: str = _D["mixed_labels"]) -> List[Split]:
    """``n_repeats`` independent stratified group k-fold rounds, round-major
    (``n_repeats * n_splits`` pairs; round 0 equals stratified_kfold with the same seed).

    Args:
        y: class label per sample (numbers or strings).
        n_splits: k >= 2.
        n_repeats: number of rounds.
        groups: group id per sample.
        strata: extra keys to balance jointly with ``y``.
        seed: seed of osteon's portable RNG.
        mixed_labels: ``"error"`` or ``"majority"``.

    Returns:
        list of ``n_repeats * n_splits`` (train, test) pairs.

    Raises:
        ValueError: lengths that differ, NaN labels, a group with mixed labels (mixed_labels="error"),
            impossible sizes (a class with fewer groups than folds), or a seed outside [0, 2**64).

    Example:
        >>> splits = osteon.split.repeated_stratified_kfold(y, 5, n_repeats=10, groups=patient)
    """
    labels, group_codes, keys, seed = _inputs(y, groups, strata, seed)
    return _c.repeated_stratified_kfold(labels, int(n_splits), int(n_repeats), group_codes, keys, seed, True,
                                        mixed_labels)


def nested_split(y, n_splits: int, groups=None, test_size: float = 0.1, strata=None, seed: int = _D["seed"], *,
                 shuffle: bool = _D["shuffle"], mixed_labels: str = _D["mixed_labels"]) -> NestedSplit:
    """Hold out ``test_size`` of the data, then stratified group k-fold on the rest (the
    proximal-femur design: 10 % held out, 10-fold CV on 90 %).

    Args:
        y: class label per sample (numbers or strings).
        n_splits: folds of the cross-validation on the development part.
        groups: group id per sample.
        test_size: fraction held out.
        strata: extra keys to balance jointly with ``y``.
        seed: seed of osteon's portable RNG.
        shuffle: ``False`` breaks ties without randomness.
        mixed_labels: ``"error"`` or ``"majority"``.

    Returns:
        NestedSplit(development, test, folds), all indices into the full data.

    Raises:
        ValueError: lengths that differ, NaN labels, a group with mixed labels (mixed_labels="error"),
            impossible sizes (a class with fewer groups than folds), or a seed outside [0, 2**64).

    Example:
        >>> design = osteon.split.nested_split(y, 10, groups=subject, test_size=0.1, strata=sex)
        >>> for train, val in design.folds: ...
    """
    labels, group_codes, keys, seed = _inputs(y, groups, strata, seed)
    development, test, folds = _c.nested_split(labels, int(n_splits), group_codes, float(test_size), keys, seed,
                                               bool(shuffle), mixed_labels)
    return NestedSplit(development, test, folds)


# ---- leakage ---------------------------------------------------------------------------------

def _is_index_array(x) -> bool:
    if isinstance(x, np.ndarray):
        return x.ndim == 1
    return isinstance(x, (list, range)) and all(isinstance(v, (int, np.integer)) for v in x)


def _is_pair(split) -> bool:
    return isinstance(split, tuple) and len(split) == 2 and all(_is_index_array(side) for side in split)


def check_no_leakage(split, groups=None) -> None:
    """Raises ValueError if any group has samples on both sides of a split (or a held-out group is
    used in cross-validation, or a split repeats a sample).

    Args:
        split: a (train, test) pair, a list of pairs, a NestedSplit, or a Manifest.
        groups: group id per sample; for a Manifest, defaults to its group column.

    Returns:
        None; passing means no group is on two sides.

    Raises:
        ValueError: naming the first group found on both sides (and its samples).

    Example:
        >>> osteon.split.check_no_leakage(osteon.split.stratified_kfold(y, 5, groups=hip), hip)
    """
    holdout = None
    if isinstance(split, Manifest):
        groups = split.groups if groups is None else groups
        development, test, folds = split.splits()
        if split.kind == "holdout":
            pairs = [(development, test)]
        else:
            pairs = folds
            holdout = (development, test) if split.kind == "nested" else None
    elif isinstance(split, NestedSplit):
        pairs, holdout = split.folds, (split.development, split.test)
    elif _is_pair(split):
        pairs = [split]
    else:
        pairs = list(split)
    if groups is None:
        raise ValueError("check_no_leakage: groups is required (one id per sample)")
    arr = np.asarray(groups)
    codes, uniques = _codes(arr, "groups", len(arr))
    try:
        _c.check_no_leakage([tuple(p) for p in pairs], codes, holdout)
    except ValueError as error:
        if uniques is None:
            raise
        # Name the group by its own id rather than its code.
        message = re.sub(r"group (-?\d+) ", lambda m: f"group {uniques[int(m.group(1))]!r} ", str(error), count=1)
        raise ValueError(message) from None


# ---- manifests -------------------------------------------------------------------------------

def _texts(values, name: str, n: int) -> List[str]:
    arr = np.asarray(values)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} must have one entry per sample: shape {arr.shape}, {n} sample ids")
    if arr.dtype.kind in "biu":  # exact, as C++ std::to_string: 64-bit ids stay distinct
        return [str(int(v)) for v in arr]
    if arr.dtype.kind == "f":
        return _c.label_texts(np.ascontiguousarray(arr, dtype=np.float64))
    return [str(v) for v in arr]


def _record(sample_ids, y, groups, strata):
    ids = [str(v) for v in np.asarray(sample_ids)]
    n = len(ids)
    labels = _texts(y, "y", n)
    group_texts = ids if groups is None else _texts(groups, "groups", n)
    keys = [] if strata is None else [_texts(k, f"strata[{j}]", n) for j, k in enumerate(_strata_columns(strata))]
    return _c.CohortRecord(ids, labels, group_texts, keys)


def _strata_columns(strata):
    if isinstance(strata, (list, tuple)) and len(strata) > 0 and np.ndim(strata[0]) == 1:
        return list(strata)
    arr = np.asarray(strata)
    return [arr] if arr.ndim == 1 else [arr[:, j] for j in range(arr.shape[1])]


def content_hash(sample_ids, y, groups=None, strata=None) -> str:
    """Stable content hash ("fnv1a64:<hex>") of a split's inputs, as written in manifests.

    Args:
        sample_ids: one id per sample.
        y: class label per sample.
        groups: group id per sample (None: none).
        strata: extra stratification keys (None: none).

    Returns:
        the hash, a string "fnv1a64:<16 hex digits>".

    Raises:
        ValueError: lengths that differ.

    Example:
        >>> osteon.split.content_hash(image_names, outcome, hip_id)
    """
    return _c.content_hash(_record(sample_ids, y, groups, strata))


def write_manifest(path, split, sample_ids, y, groups=None, strata=None, seed: int = _D["seed"]) -> None:
    """Writes a split to a CSV manifest (sample_id, group, fold, seed, content_hash), atomically.

    Args:
        path: CSV file to write (replaced atomically: a crash never leaves half a manifest).
        split: a (train, test) pair, a list of k-fold pairs, or a NestedSplit.
        sample_ids: one id per sample (e.g. image file names), in the order the split indexes.
        y, groups, strata: the inputs the split was made from (hashed into the manifest).
        seed: the seed the split was made with (recorded).

    Raises:
        ValueError: lengths that differ, a bad seed. OSError: the folder is not writable.

    Example:
        >>> osteon.split.write_manifest("hip_split.csv", (train, test), image_names, outcome, hip_id, seed=2024)
    """
    record = _record(sample_ids, y, groups, strata)
    if isinstance(split, NestedSplit):
        kind, payload = "nested", (split.development, split.test, [tuple(p) for p in split.folds])
    elif _is_pair(split):
        kind, payload = "holdout", tuple(split)
    else:
        kind, payload = "kfold", [tuple(p) for p in split]
    manifest = _c.make_manifest(record, payload, _seed(seed), kind)
    _c.write_manifest(os.fspath(path), manifest)


def read_manifest(path, sample_ids=None, y=None, groups=None, strata=None):
    """Reads a manifest back onto the data it was made for, refusing any other data.

    Args:
        path: the CSV manifest.
        sample_ids, y, groups, strata: the data the split is applied to; the manifest is refused
            (ValueError) unless ids, labels, groups and strata match what it was written from.
            With ``sample_ids=None`` the raw Manifest is returned for inspection, unchecked.

    Returns:
        The split in the shape it was written: (train, test), a list of pairs, or a NestedSplit.

    Raises:
        ValueError: a malformed manifest, or one whose content hash does not match the inputs given.

    Example:
        >>> train, test = osteon.split.read_manifest("hip_split.csv", image_names, outcome, hip_id)
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"read_manifest: {path} does not exist")
    if sample_ids is None:
        return _c.read_manifest(path)
    if y is None:
        raise ValueError("read_manifest: y is required with sample_ids (it is part of the content hash)")
    manifest = _c.read_manifest(path, _record(sample_ids, y, groups, strata))
    development, test, folds = manifest.splits()
    if manifest.kind == "holdout":
        return development, test
    if manifest.kind == "kfold":
        return folds
    return NestedSplit(development, test, folds)


# ---- scikit-learn-compatible splitters -------------------------------------------------------

def _random_state(shuffle: bool, random_state, owner: str) -> int:
    if not shuffle and random_state is not None:
        raise ValueError(f"{owner}: setting random_state has no effect since shuffle is False; "
                         "leave random_state=None or set shuffle=True")
    return 0 if random_state is None else _seed(random_state, "random_state")


def _check_x(X, y):
    if X is not None and y is not None and len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples: len(X) = {len(X)}, len(y) = {len(y)}")


class StratifiedGroupKFold:
    """Stratified group k-fold with sklearn's interface (``split(X, y, groups)``,
    ``get_n_splits``), balanced as docs/split.md describes. ``random_state=None`` means seed 0:
    osteon splits are always reproducible.

    Example:
        >>> cv = osteon.split.StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
        >>> sklearn.model_selection.cross_val_score(model, X, y, groups=patient, cv=cv)
    """

    def __init__(self, n_splits: int = 5, shuffle: bool = False, random_state=None, mixed_labels: str = _D["mixed_labels"]):
        if not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
            raise ValueError(f"n_splits must be an int >= 2, got {n_splits!r}")
        self.n_splits = int(n_splits)
        self.shuffle = bool(shuffle)
        self.random_state = random_state
        self.mixed_labels = mixed_labels
        _random_state(self.shuffle, random_state, type(self).__name__)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def split(self, X, y, groups=None, strata=None):
        """Yields (train, test) int64 index arrays, one pair per fold."""
        _check_x(X, y)
        seed = _random_state(self.shuffle, self.random_state, type(self).__name__)
        yield from stratified_kfold(y, self.n_splits, groups, strata, seed, shuffle=self.shuffle,
                                    mixed_labels=self.mixed_labels)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_splits={self.n_splits}, random_state={self.random_state!r}, "
                f"shuffle={self.shuffle})")


class RepeatedStratifiedGroupKFold:
    """``n_repeats`` rounds of StratifiedGroupKFold with different randomisation (sklearn's
    RepeatedStratifiedKFold interface, group-safe).

    Example:
        >>> cv = osteon.split.RepeatedStratifiedGroupKFold(n_splits=5, n_repeats=10, random_state=1)
    """

    def __init__(self, n_splits: int = 5, n_repeats: int = 10, random_state=None, mixed_labels: str = _D["mixed_labels"]):
        if not isinstance(n_repeats, (int, np.integer)) or n_repeats < 1:
            raise ValueError(f"n_repeats must be an int >= 1, got {n_repeats!r}")
        self.n_splits, self.n_repeats = int(n_splits), int(n_repeats)
        self.random_state, self.mixed_labels = random_state, mixed_labels
        _random_state(True, random_state, type(self).__name__)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits * self.n_repeats

    def split(self, X, y, groups=None, strata=None):
        _check_x(X, y)
        seed = _random_state(True, self.random_state, type(self).__name__)
        yield from repeated_stratified_kfold(y, self.n_splits, self.n_repeats, groups, strata, seed,
                                             mixed_labels=self.mixed_labels)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_repeats={self.n_repeats}, n_splits={self.n_splits}, "
                f"random_state={self.random_state!r})")


class StratifiedGroupShuffleSplit:
    """``n_splits`` independent stratified group holdouts (sklearn's StratifiedShuffleSplit
    interface, group-safe).

    Example:
        >>> cv = osteon.split.StratifiedGroupShuffleSplit(n_splits=1, test_size=0.25, random_state=2024)
        >>> train, test = next(cv.split(X, y, groups=hip_id))
    """

    def __init__(self, n_splits: int = 10, test_size: float = 0.25, random_state=None, mixed_labels: str = _D["mixed_labels"]):
        if not isinstance(n_splits, (int, np.integer)) or n_splits < 1:
            raise ValueError(f"n_splits must be an int >= 1, got {n_splits!r}")
        self.n_splits, self.test_size = int(n_splits), float(test_size)
        self.random_state, self.mixed_labels = random_state, mixed_labels
        _random_state(True, random_state, type(self).__name__)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def split(self, X, y, groups=None, strata=None):
        _check_x(X, y)
        seed = _random_state(True, self.random_state, type(self).__name__)
        yield from repeated_stratified_holdout(y, self.n_splits, groups, self.test_size, strata, seed,
                                               mixed_labels=self.mixed_labels)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_splits={self.n_splits}, random_state={self.random_state!r}, "
                f"test_size={self.test_size})")
