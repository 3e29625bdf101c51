"""``python -m osteon --version`` and ``python -m osteon doctor``: the version, and what this
installation runs on (torch and its device, osteon's build, readers, threads, BLAS)."""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
from typing import Dict, List, Tuple

__all__ = ["doctor_report", "main"]


def _readers() -> List[Tuple[str, str]]:
    """Which image readers this installation has: osteon's own (C++) and the Python references."""
    import osteon

    rows = []
    for module_name in ("data", "io"):
        module = getattr(osteon, module_name, None)
        if module is not None:
            for reader in ("read_image", "read_dicom_series", "write_image"):
                if hasattr(module, reader):
                    rows.append((f"osteon.{module_name}.{reader}", "yes"))
    if not rows:
        rows.append(("osteon image readers (osteon.io / osteon.data.read_image)", "not in this build"))
    for package, what in (("nibabel", "NIfTI (reference)"), ("pydicom", "DICOM (reference)"),
                          ("PIL", "PNG / JPEG (reference)"), ("matplotlib", "osteon.plots"),
                          ("pandas", "to_frame()"), ("tqdm", "progress bars"), ("nbclient", "notebooks")):
        rows.append((f"{package} ({what})", "yes" if importlib.util.find_spec(package) else "no"))
    return rows


def _blas() -> str:
    import torch

    config = torch.__config__.show()
    for line in config.splitlines():
        if "BLAS_INFO" in line or "LAPACK_INFO" in line:
            return line.strip().strip(",")
    return "see torch.__config__.show()"


def doctor_report() -> Dict[str, List[Tuple[str, str]]]:
    """The sections of ``python -m osteon doctor`` as (name, value) rows.

    Returns:
        dict section -> rows: "osteon", "torch", "threads", "readers".

    Example:
        >>> osteon.__main__.doctor_report()["torch"]
    """
    import torch

    import osteon

    build = dict(osteon._C._build_info)
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += [f"cuda:{i} ({torch.cuda.get_device_name(i)})" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return {
        "osteon": [("version", osteon.__version__), ("package", os.path.dirname(osteon.__file__)),
                   ("compiled with", str(build.get("compiler"))), ("C++", str(build.get("cxx_standard"))),
                   ("build", str(build.get("build_type"))), ("pybind11", str(build.get("pybind11"))),
                   ("OpenMP", str(build.get("openmp"))),
                   ("progress bars", "on" if osteon.progress.is_enabled() else "off (OSTEON_PROGRESS=0)")],
        "torch": [("version", torch.__version__), ("compiled against", str(build.get("torch_version_compiled"))),
                  ("CUDA (torch build)", str(torch.version.cuda)), ("devices", ", ".join(devices)),
                  ("BLAS", _blas()), ("python", f"{platform.python_version()} ({sys.executable})")],
        "threads": [("torch intra-op threads", str(torch.get_num_threads())),
                    ("torch inter-op threads", str(torch.get_num_interop_threads())),
                    ("CPU cores", str(os.cpu_count())),
                    ("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "(unset)"))],
        "readers": _readers(),
    }


def main(argv=None) -> int:
    """The command line: ``--version`` or ``doctor``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m osteon", description="osteon's version and environment report")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("command", nargs="?", choices=["doctor"], help="doctor: what this installation runs on")
    args = parser.parse_args(argv)
    import osteon

    if args.version:
        print(f"osteon {osteon.__version__}")
        return 0
    if args.command == "doctor":
        for section, rows in doctor_report().items():
            print(f"[{section}]")
            width = max(len(name) for name, _ in rows)
            for name, value in rows:
                print(f"  {name.ljust(width)}  {value}")
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
