#!/usr/bin/env python3
"""Reading speed of osteon.data.read_image / read_dicom_series beside the Python references, in one
process on the same files, rounds interleaved (osteon, reference, osteon, ...); prints the median
time of each and the ratio reference / osteon (> 1: osteon is faster).

    PYTHONPATH=build/python /usr/bin/python3 bench/io_vs_python.py [--rounds 5] [--slices 200]

Cases (issue 12's targets in brackets):
  dicom   a CT series of --slices 512x512 int16 slices (uncompressed, shuffled file names) vs
          pydicom.dcmread per file + sort by position + apply_modality_lut + numpy.stack   [>= 3x]
  nifti   a 256^3 int16 .nii.gz (nibabel-written) vs nibabel.load(...).get_fdata()       [>= 1.5x]
          and vs np.asanyarray(img.dataobj) (nibabel without the float64 conversion)
  png16   a 2048x2048 16-bit PNG (PIL-written) vs np.asarray(PIL.Image.open(path))       [>= 2x]
The files are written to a temporary folder first (not timed). Report the machine load (uptime).
"""
import argparse
import os
import random
import statistics
import tempfile
import time

import numpy as np


def make_series(folder, slices, size=512):
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    base = rng.integers(0, 3000, size=(size, size)).astype(np.int16)
    names = [f"{n:05d}.dcm" for n in range(slices)]
    random.Random(0).shuffle(names)
    series = generate_uid()
    for k in range(slices):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.Modality, ds.SeriesInstanceUID, ds.InstanceNumber = "CT", series, k + 1
        ds.ImagePositionPatient = [-250.0, -250.0, -100.0 + 1.25 * k]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.PixelSpacing = [0.9765625, 0.9765625]
        ds.Rows = ds.Columns = size
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleSlope, ds.RescaleIntercept = 1.0, -1024.0
        ds.PixelData = np.roll(base, k, axis=0).tobytes()
        ds.save_as(os.path.join(folder, names[k]), write_like_original=False)


def pydicom_stack(folder):
    import pydicom
    from pydicom.pixel_data_handlers.util import apply_modality_lut
    datasets = [pydicom.dcmread(os.path.join(folder, name)) for name in os.listdir(folder)]
    row = np.array(datasets[0].ImageOrientationPatient[:3], dtype=float)
    column = np.array(datasets[0].ImageOrientationPatient[3:], dtype=float)
    normal = np.cross(row, column)
    datasets.sort(key=lambda ds: float(np.dot(np.array(ds.ImagePositionPatient, dtype=float), normal)))
    return np.stack([apply_modality_lut(ds.pixel_array, ds) for ds in datasets])


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def compare(name, ours, reference, rounds, check):
    ours_times, reference_times = [], []
    for _ in range(rounds):
        t, ours_result = timed(ours)
        ours_times.append(t)
        t, reference_result = timed(reference)
        reference_times.append(t)
    check(ours_result, reference_result)
    ours_median, reference_median = statistics.median(ours_times), statistics.median(reference_times)
    print(f"{name:34s} osteon {ours_median * 1e3:9.1f} ms   reference {reference_median * 1e3:9.1f} ms   "
          f"ratio {reference_median / ours_median:5.2f}x  (per-round ratios "
          + ", ".join(f"{r / o:.2f}" for o, r in zip(ours_times, reference_times)) + ")")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--slices", type=int, default=200)
    parser.add_argument("--cases", default="dicom,nifti,png16")
    args = parser.parse_args()
    import nibabel as nib
    from PIL import Image
    from osteon import data
    cases = args.cases.split(",")
    print("load:", os.popen("uptime").read().strip())
    with tempfile.TemporaryDirectory() as folder:
        if "dicom" in cases:
            series = os.path.join(folder, "series")
            make_series(series, args.slices)
            compare(f"DICOM series {args.slices}x512x512", lambda: data.read_dicom_series(series).array,
                    lambda: pydicom_stack(series), args.rounds,
                    lambda a, b: np.testing.assert_array_equal(a, b))
        if "nifti" in cases:
            path = os.path.join(folder, "volume.nii.gz")
            rng = np.random.default_rng(1)
            volume = (rng.normal(0, 200, size=(256, 256, 256)).clip(-1024, 3000)).astype(np.int16)
            nib.save(nib.Nifti1Image(volume, np.diag([0.7, 0.7, 1.0, 1.0])), path)
            compare("NIfTI .nii.gz 256^3 (get_fdata)", lambda: data.read_image(path).array,
                    lambda: nib.load(path).get_fdata(), args.rounds,
                    lambda a, b: np.testing.assert_array_equal(a, np.transpose(b, (2, 1, 0))))
            compare("NIfTI .nii.gz 256^3 (dataobj)", lambda: data.read_image(path).array,
                    lambda: np.asanyarray(nib.load(path).dataobj), args.rounds,
                    lambda a, b: np.testing.assert_array_equal(a, np.transpose(b, (2, 1, 0))))
        if "png16" in cases:
            path = os.path.join(folder, "radiograph.png")
            rng = np.random.default_rng(2)
            yy, xx = np.mgrid[0:2048, 0:2048]
            picture = (20000 + 15000 * np.sin(xx / 90.0) * np.cos(yy / 70.0) + rng.normal(0, 300, (2048, 2048)))
            Image.fromarray(picture.clip(0, 65535).astype(np.uint16)).save(path)
            compare("PNG 16-bit 2048x2048", lambda: data.read_image(path).array,
                    lambda: np.asarray(Image.open(path)), args.rounds,
                    lambda a, b: np.testing.assert_array_equal(a, b))


if __name__ == "__main__":
    main()
