"""What the Python fixture generators (scripts/make_reference_*.py) share: numbers as JSON (non-finite
ones as the strings the C++ and pytest readers expect) and an atomic write of the fixture file."""
import json
import math
import os

import numpy as np


def encode(value, integers_as_float=False):
    """Scalars, lists, tuples and arrays as JSON-ready values; NaN / ±inf as "NaN" / "Inf" / "-Inf".

    Floats (Python or numpy) become Python floats; integers stay integers unless
    `integers_as_float`; anything else (str, bool, None, dict) passes unchanged.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return [encode(v, integers_as_float) for v in value]
    is_integer = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if isinstance(value, (float, np.floating)) or (integers_as_float and is_integer):
        value = float(value)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Inf" if value > 0 else "-Inf"
        return value
    if is_integer:
        return int(value)
    return value


def write_json(document, path, **dump_options):
    """Writes `document` to `path` through a temporary file and a rename (never a half-written
    fixture); default layout: indent 1, no NaN literals, a final newline."""
    options = {"indent": 1, "allow_nan": False}
    options.update(dump_options)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, **options)
        f.write("\n")
    os.replace(tmp, path)
    print("wrote", path)
