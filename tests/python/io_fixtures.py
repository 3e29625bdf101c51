"""Small image / volume files written by the reference libraries (PIL, nibabel, pydicom), shared by
tests/python/test_io*.py (written into a pytest tmp_path) and scripts/make_reference_io.py (which
commits them, with the references' readings, under tests/data/io/ for the C++ tests).

Every writer returns the reference reading of what it wrote, in osteon's axis order (slowest
first): values, spacing, and for volumes the affine (voxel (i, j, k) -> world) in the file's frame.
"""
from __future__ import annotations

import os
import random

import numpy as np


def write_png16(path):
    from PIL import Image
    values = (np.arange(6 * 7, dtype=np.uint32).reshape(6, 7) * 1543 % 65536).astype(np.uint16)
    Image.fromarray(values).save(path)
    return {"values": np.asarray(Image.open(path)).astype(np.int64)}


def write_palette_png(path):
    from PIL import Image
    indices = (np.arange(5 * 4).reshape(5, 4) % 4).astype(np.uint8)
    image = Image.fromarray(indices, mode="P")
    image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30] + [0] * (256 * 3 - 12))
    image.save(path)
    return {"values": np.asarray(Image.open(path).convert("RGB")).astype(np.int64)}


def write_jpeg(path):
    from PIL import Image
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(8, 10, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, quality=90)
    return {"values": np.asarray(Image.open(path)).astype(np.int64)}


def write_nifti_sform(path):
    """int16 volume, scl_slope 0.5 / scl_inter -3, an oblique sheared sform (code 2) and another qform."""
    import nibabel as nib
    data = (np.arange(4 * 5 * 6, dtype=np.int16).reshape(4, 5, 6) * 7 - 100).astype(np.int16)  # (i, j, k)
    sform = np.array([[0.9, 0.1, 0.0, -10.0], [0.0, -1.1, 0.2, 20.0], [0.05, 0.0, 2.5, -30.0], [0, 0, 0, 1]])
    image = nib.Nifti1Image(data, None)
    image.header.set_slope_inter(0.5, -3.0)
    image.set_sform(sform, code=2)
    image.set_qform(np.diag([2.0, 3.0, 4.0, 1.0]), code=1)
    nib.save(image, path)
    loaded = nib.load(path)
    return {"values": np.transpose(loaded.get_fdata(), (2, 1, 0)), "affine": loaded.affine,
            "zooms": loaded.header.get_zooms()}


def _dicom_dataset(pixels, position, orientation, spacing, instance, series_uid, slope=1.0, intercept=-1024.0,
                   photometric="MONOCHROME2", bits_stored=16, signed=True, transfer_syntax=None):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[series_uid, str(instance)])
    meta.TransferSyntaxUID = transfer_syntax or ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CT"
    ds.SeriesInstanceUID = series_uid
    ds.StudyInstanceUID = series_uid + ".1"
    ds.InstanceNumber = instance
    ds.ImagePositionPatient = [float(v) for v in position]
    ds.ImageOrientationPatient = [float(v) for v in orientation]
    ds.PixelSpacing = [float(spacing[0]), float(spacing[1])]  # row spacing \ column spacing
    ds.SliceThickness = 9.0  # deliberately not the slice step: spacing comes from the positions
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.RescaleSlope = slope
    ds.RescaleIntercept = intercept
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    ds.PixelData = pixels.astype(np.int16 if signed else np.uint16).tobytes()
    return ds


def write_dicom_series(folder, seed=0):
    """Five oblique CT slices 2.5 mm apart, files named in shuffled order (not by position)."""
    import pydicom
    from pydicom.pixel_data_handlers.util import apply_modality_lut
    os.makedirs(folder, exist_ok=True)
    row = np.array([np.cos(0.3), np.sin(0.3), 0.0])
    column = np.array([-np.sin(0.3) * np.cos(0.2), np.cos(0.3) * np.cos(0.2), np.sin(0.2)])
    normal = np.cross(row, column)
    origin = np.array([-120.0, -80.5, 33.25])
    rng = np.random.default_rng(seed)
    slices = [rng.integers(0, 2000, size=(6, 8)).astype(np.int16) for _ in range(5)]
    names = [f"IM{n:04d}.dcm" for n in range(5)]
    random.Random(seed).shuffle(names)
    for k, pixels in enumerate(slices):
        position = origin + 2.5 * k * normal
        ds = _dicom_dataset(pixels, position, list(row) + list(column), (0.7, 0.8), instance=5 - k,
                            series_uid="1.2.826.0.1.3680043.8.498.1", slope=1.0, intercept=-1024.0)
        ds.save_as(os.path.join(folder, names[k]), write_like_original=False)
    # The reference reading: pydicom per file, sorted by position along the normal, stacked.
    read = [pydicom.dcmread(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
    read.sort(key=lambda ds: float(np.dot(np.array(ds.ImagePositionPatient, dtype=float), normal)))
    volume = np.stack([apply_modality_lut(ds.pixel_array, ds) for ds in read])
    first = read[0]
    affine = np.eye(4)
    affine[:3, 0] = row * float(first.PixelSpacing[1])
    affine[:3, 1] = column * float(first.PixelSpacing[0])
    affine[:3, 2] = normal * 2.5
    affine[:3, 3] = np.array(first.ImagePositionPatient, dtype=float)
    return {"values": volume, "spacing": [2.5, float(first.PixelSpacing[0]), float(first.PixelSpacing[1])],
            "affine": affine, "names": names}


def write_dicom_rle(path):
    """One CT slice compressed with RLE Lossless (pydicom's encoder) and its pydicom reading."""
    import pydicom
    from pydicom.pixel_data_handlers.util import apply_modality_lut
    from pydicom.uid import RLELossless
    pixels = (np.arange(6 * 8, dtype=np.int16).reshape(6, 8) * 37 - 300).astype(np.int16)
    ds = _dicom_dataset(pixels, (0, 0, 0), (1, 0, 0, 0, 1, 0), (0.5, 0.6), 1, "1.2.826.0.1.3680043.8.498.2",
                        slope=2.0, intercept=-1000.0)
    ds.compress(RLELossless, pixels)
    ds.save_as(path, write_like_original=False)
    read = pydicom.dcmread(path)
    return {"values": apply_modality_lut(read.pixel_array, read), "spacing": [0.5, 0.6],
            "transfer_syntax": str(read.file_meta.TransferSyntaxUID)}


def write_dicom_monochrome1(path):
    """MONOCHROME1, 12 bits stored, no rescale: osteon reads 4095 - stored."""
    import pydicom
    pixels = (np.arange(4 * 5, dtype=np.uint16).reshape(4, 5) * 200).astype(np.uint16)
    ds = _dicom_dataset(pixels, (0, 0, 0), (1, 0, 0, 0, 1, 0), (1.0, 1.0), 1, "1.2.826.0.1.3680043.8.498.3",
                        slope=1.0, intercept=0.0, photometric="MONOCHROME1", bits_stored=12, signed=False)
    ds.save_as(path, write_like_original=False)
    stored = pydicom.dcmread(path).pixel_array.astype(np.int64)
    return {"stored": stored, "values": 4095 - stored}
