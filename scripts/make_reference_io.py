#!/usr/bin/env python3
"""Writes the image / volume fixtures of the C++ io tests (tests/cpp/io/) with the reference
libraries — PIL, nibabel, pydicom — and their readings of those files into
tests/data/io/reference_io.json. Run with /usr/bin/python3 (Debian's nibabel / pydicom / PIL):

    /usr/bin/python3 scripts/make_reference_io.py

The files are a few hundred bytes each; the writers live in tests/python/io_fixtures.py, which the
Python tests call in a temporary folder.
"""
import json
import os
import shutil
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))
import io_fixtures  # noqa: E402


def plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def main():
    out = os.path.join(ROOT, "tests", "data", "io")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    reference = {
        "gray16.png": io_fixtures.write_png16(os.path.join(out, "gray16.png")),
        "palette.png": io_fixtures.write_palette_png(os.path.join(out, "palette.png")),
        "rgb.jpg": io_fixtures.write_jpeg(os.path.join(out, "rgb.jpg")),
        "sform.nii.gz": io_fixtures.write_nifti_sform(os.path.join(out, "sform.nii.gz")),
        "series": io_fixtures.write_dicom_series(os.path.join(out, "series")),
        "rle.dcm": io_fixtures.write_dicom_rle(os.path.join(out, "rle.dcm")),
        "mono1.dcm": io_fixtures.write_dicom_monochrome1(os.path.join(out, "mono1.dcm")),
    }
    reference = {name: {key: plain(value) for key, value in entry.items()} for name, entry in reference.items()}
    with open(os.path.join(out, "reference_io.json"), "w") as handle:
        json.dump(reference, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
