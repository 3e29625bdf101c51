import json
import math
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def _decode(value):
    if isinstance(value, str) and value in ("Inf", "-Inf", "NaN"):
        return float(value.replace("Inf", "inf").replace("NaN", "nan"))
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def load_fixture(name):
    """A reference fixture under tests/data, with "Inf"/"-Inf"/"NaN" strings decoded to floats."""
    with open(DATA / name) as f:
        return _decode(json.load(f))


def close(actual, expected, rel=1e-12, abs_=1e-14):
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return actual is None or math.isnan(actual)
    if isinstance(expected, float) and math.isinf(expected):
        return actual == expected
    return abs(actual - expected) <= rel * abs(expected) + abs_


@pytest.fixture(scope="session")
def proc_reference():
    return load_fixture("roc_reference.json")


@pytest.fixture(scope="session")
def sklearn_reference():
    return load_fixture("sklearn_reference.json")


@pytest.fixture(autouse=True)
def _progress_flag_restored():
    """osteon.progress's one flag is global: a test that changes it must not change the next test."""
    import osteon.progress
    before = osteon.progress.is_enabled()
    yield
    osteon.progress.set_enabled(before)
