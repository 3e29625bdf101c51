"""osteon.data readers / writers against the Python references on the same files: PIL, nibabel and
pydicom write the files here (tests/python/io_fixtures.py) or ship them (pydicom's test files), and
their readings — values, spacing, affine — must equal osteon's."""
import os
import shutil

import numpy as np
import pytest
import torch

import osteon
from osteon import data

import io_fixtures

pydicom = pytest.importorskip("pydicom")
nib = pytest.importorskip("nibabel")
PIL = pytest.importorskip("PIL.Image")


def test_png16_equals_pil(tmp_path):
    path = tmp_path / "gray16.png"
    reference = io_fixtures.write_png16(path)
    image = data.read_image(path)
    assert image.dtype == "uint16"
    np.testing.assert_array_equal(image.array, reference["values"])
    written = tmp_path / "copy.png"
    data.write_image(written, image)
    np.testing.assert_array_equal(np.asarray(PIL.open(written)), reference["values"])


def test_palette_png_and_jpeg_equal_pil(tmp_path):
    reference = io_fixtures.write_palette_png(tmp_path / "p.png")
    np.testing.assert_array_equal(data.read_image(tmp_path / "p.png").array, reference["values"])
    reference = io_fixtures.write_jpeg(tmp_path / "c.jpg")
    image = data.read_image(str(tmp_path / "c.jpg"))
    assert image.channels == 3 and image.shape == (8, 10, 3)
    np.testing.assert_array_equal(image.array, reference["values"])


def test_nifti_gz_with_sheared_sform_equals_nibabel(tmp_path):
    path = tmp_path / "v.nii.gz"
    reference = io_fixtures.write_nifti_sform(path)
    image = data.read_image(path)
    assert image.space == "RAS" and image.source_dtype == "int16" and image.dtype == "float32"
    np.testing.assert_allclose(image.array, reference["values"], rtol=1e-6)
    np.testing.assert_allclose(image.affine, reference["affine"], rtol=1e-12, atol=1e-12)
    assert image.orientation() == "".join(nib.aff2axcodes(reference["affine"]))
    # spacing = affine column lengths, in array order (k, j, i)
    np.testing.assert_allclose(image.spacing, np.linalg.norm(reference["affine"][:3, :3], axis=0)[::-1])


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int16", "uint32", "int32", "int64", "float32",
                                   "float64"])
def test_nifti_dtypes_and_qform_only_equal_nibabel(tmp_path, dtype):
    values = (np.arange(3 * 4 * 5).reshape(3, 4, 5) % 100).astype(dtype)
    affine = np.array([[0.0, 0.0, 1.5, -4.0], [-2.0, 0.0, 0.0, 7.0], [0.0, 1.2, 0.0, 3.5], [0, 0, 0, 1]])
    image = nib.Nifti1Image(values, None, dtype=values.dtype)  # nibabel 5 wants int64 named explicitly
    image.set_qform(affine, code=1)
    image.set_sform(None, code=0)
    nib.save(image, tmp_path / "q.nii")
    loaded = nib.load(tmp_path / "q.nii")
    ours = data.read_image(tmp_path / "q.nii")
    assert ours.dtype == dtype
    np.testing.assert_array_equal(ours.array, np.transpose(np.asanyarray(loaded.dataobj), (2, 1, 0)))
    np.testing.assert_allclose(ours.affine, loaded.affine, atol=1e-6)


def test_nifti2_and_no_transform_follow_nibabel(tmp_path):
    values = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    image = nib.Nifti2Image(values, np.diag([1.5, 2.0, 2.5, 1.0]))
    nib.save(image, tmp_path / "n2.nii.gz")
    ours = data.read_image(tmp_path / "n2.nii.gz")
    assert ours.metadata["format"] == "nifti2"
    np.testing.assert_array_equal(ours.array, np.transpose(values, (2, 1, 0)))
    np.testing.assert_allclose(ours.affine, nib.load(tmp_path / "n2.nii.gz").affine)
    bare = nib.Nifti1Image(values, None)
    bare.header.set_zooms((1.5, 2.0, 2.5))
    bare.set_qform(None, code=0)
    bare.set_sform(None, code=0)
    nib.save(bare, tmp_path / "bare.nii")
    np.testing.assert_allclose(data.read_image(tmp_path / "bare.nii").affine, nib.load(tmp_path / "bare.nii").affine)


def test_nifti_writer_keeps_the_geometry_for_nibabel(tmp_path):
    reference = io_fixtures.write_nifti_sform(tmp_path / "ct.nii.gz")
    ct = data.read_image(tmp_path / "ct.nii.gz")
    mask = (ct.tensor() > 0).to(torch.uint8)
    data.write_image(tmp_path / "mask.nii.gz", ct.with_array(mask))
    loaded = nib.load(tmp_path / "mask.nii.gz")
    assert loaded.get_data_dtype() == np.uint8
    np.testing.assert_array_equal(np.transpose(np.asanyarray(loaded.dataobj), (2, 1, 0)), mask.numpy())
    np.testing.assert_allclose(loaded.affine, reference["affine"], atol=1e-6)  # NIfTI-1 stores float32


def test_dicom_series_shuffled_equals_pydicom_stack(tmp_path):
    reference = io_fixtures.write_dicom_series(tmp_path / "series")
    assert sorted(os.listdir(tmp_path / "series")) != reference["names"]  # file order is not slice order
    ct = data.read_dicom_series(tmp_path / "series")
    assert ct.space == "LPS" and ct.shape == (5, 6, 8)
    np.testing.assert_array_equal(ct.array, reference["values"])
    np.testing.assert_allclose(ct.spacing, reference["spacing"], rtol=1e-9)
    np.testing.assert_allclose(ct.affine, reference["affine"], atol=1e-6)
    ras = ct.in_space("RAS")
    np.testing.assert_allclose(ras.affine, np.diag([-1, -1, 1, 1]) @ reference["affine"], atol=1e-6)
    assert float(ct.metadata["window_center"]) == 40.0


def test_dicom_series_errors_name_the_folder_and_slice(tmp_path):
    reference = io_fixtures.write_dicom_series(tmp_path / "gap")
    os.remove(tmp_path / "gap" / reference["names"][2])
    with pytest.raises(ValueError, match=r"gap.*slice '.*a slice is missing"):
        data.read_dicom_series(tmp_path / "gap")
    io_fixtures.write_dicom_series(tmp_path / "mixed")
    io_fixtures.write_dicom_rle(tmp_path / "mixed" / "other.dcm")
    with pytest.raises(ValueError, match="mixes 2 series"):
        data.read_dicom_series(tmp_path / "mixed")
    with pytest.raises(FileNotFoundError):
        data.read_dicom_series(tmp_path / "nothing")


def _pydicom_file(name):
    try:
        return pydicom.data.get_testdata_file(name)
    except Exception:  # pragma: no cover - pydicom without its test data
        return None


@pytest.mark.parametrize("compressed", ["MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm",
                                        "MR_small_jp2klossless.dcm"])
def test_compressed_dicom_equals_pydicom_uncompressed_twin(compressed):
    path, twin = _pydicom_file(compressed), _pydicom_file("MR_small.dcm")
    if path is None or twin is None:
        pytest.skip("pydicom's test files are not installed")
    reference = pydicom.dcmread(twin)
    ours = data.read_image(path)
    assert ours.metadata["transfer_syntax"] == str(pydicom.dcmread(path).file_meta.TransferSyntaxUID)
    np.testing.assert_array_equal(ours.array, reference.pixel_array)
    np.testing.assert_allclose(ours.spacing, [float(v) for v in reference.PixelSpacing])


def test_ct_rescale_equals_pydicom_modality_lut():
    path = _pydicom_file("CT_small.dcm")
    if path is None:
        pytest.skip("pydicom's test files are not installed")
    from pydicom.pixel_data_handlers.util import apply_modality_lut
    reference = pydicom.dcmread(path)
    ours = data.read_image(path)
    np.testing.assert_array_equal(ours.array, apply_modality_lut(reference.pixel_array, reference))
    assert data.read_image(path, rescale=False).dtype == "int16"


def test_rle_and_monochrome1(tmp_path):
    reference = io_fixtures.write_dicom_rle(tmp_path / "rle.dcm")
    np.testing.assert_array_equal(data.read_image(tmp_path / "rle.dcm").array, reference["values"])
    reference = io_fixtures.write_dicom_monochrome1(tmp_path / "m1.dcm")
    np.testing.assert_array_equal(data.read_image(tmp_path / "m1.dcm").array, reference["values"])
    np.testing.assert_array_equal(data.read_image(tmp_path / "m1.dcm", invert_monochrome1=False).array,
                                  reference["stored"])


def test_array_and_tensor_share_memory():
    image = data.Image(np.arange(24, dtype=np.float32).reshape(2, 3, 4), spacing=[3.0, 1.0, 0.5])
    array, tensor = image.array, image.tensor()
    assert array.ctypes.data == tensor.data_ptr()
    tensor[0, 0, 0] = 42.0
    assert image.array[0, 0, 0] == 42.0
    del image
    assert array[0, 0, 0] == 42.0  # still alive through the array's base
    np.testing.assert_allclose(data.Image(array, spacing=[3.0, 1.0, 0.5]).affine, np.diag([0.5, 1.0, 3.0, 1.0]))
    assert data.Image(np.zeros((2, 2), np.uint16)).tensor().dtype == torch.int32  # torch 1.13 has no uint16


@pytest.mark.parametrize("maker,name", [(io_fixtures.write_png16, "a.png"), (io_fixtures.write_jpeg, "a.jpg"),
                                        (io_fixtures.write_nifti_sform, "a.nii.gz"),
                                        (io_fixtures.write_dicom_rle, "a.dcm")])
def test_truncated_files_raise_naming_the_file(tmp_path, maker, name):
    maker(tmp_path / name)
    payload = (tmp_path / name).read_bytes()
    for keep in (len(payload) // 3, len(payload) - 9):
        cut = tmp_path / f"cut{keep}_{name}"
        cut.write_bytes(payload[:keep])
        with pytest.raises(ValueError, match=f"cut{keep}_{name}.*(truncated|corrupt)"):
            data.read_image(cut)


def test_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.nii"):
        data.read_image(tmp_path / "missing.nii")
    (tmp_path / "notes.txt").write_text("not an image")
    with pytest.raises(ValueError, match="notes.txt.*unknown image format"):
        data.read_image(tmp_path / "notes.txt")
    complex_volume = nib.Nifti1Image(np.zeros((2, 2, 2), np.complex64), np.eye(4))
    nib.save(complex_volume, tmp_path / "complex.nii")
    with pytest.raises(ValueError, match="complex.nii.*unsupported NIfTI datatype"):
        data.read_image(tmp_path / "complex.nii")
    with pytest.raises(ValueError, match="space must be 'RAS' or 'LPS'"):
        data.read_image(tmp_path / "complex.nii", space="XYZ")
    with pytest.raises(ValueError, match="pixels are float32"):
        data.write_image(tmp_path / "f.png", data.Image(np.zeros((2, 2), np.float32)))
    series = tmp_path / "series"
    io_fixtures.write_dicom_series(series)
    shutil.copy(io_fixtures.__file__, series / "README.py")  # non-DICOM files are skipped
    assert data.read_dicom_series(series).shape[0] == 5
