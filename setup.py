"""Builds osteon._C with CMake (setuptools only drives it; the CMake project is the build).

Environment:
  OSTEON_CMAKE_BUILD_DIR  reuse an existing CMake build directory (e.g. `build` after `make`):
                          only the module target is brought up to date, then copied.
  CMAKE_BUILD_PARALLEL_LEVEL  parallel jobs (default: all cores).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def osteon_version():
    """MAJOR.MINOR.PATCH from include/osteon/version.hpp, the one version source (CMake reads it too)."""
    text = (ROOT / "include" / "osteon" / "version.hpp").read_text()
    parts = [re.search(rf"^#define OSTEON_VERSION_{part} (\d+)$", text, re.M) for part in ("MAJOR", "MINOR", "PATCH")]
    if not all(parts):
        raise RuntimeError("include/osteon/version.hpp lacks an OSTEON_VERSION_MAJOR/MINOR/PATCH line")
    return ".".join(match.group(1) for match in parts)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = pathlib.Path(os.environ.get("OSTEON_CMAKE_BUILD_DIR") or pathlib.Path(self.build_temp) / "cmake")
        build_dir = build_dir if build_dir.is_absolute() else ROOT / build_dir
        if not (build_dir / "CMakeCache.txt").exists():
            subprocess.run([
                "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                f"-DPYTHON_EXECUTABLE={sys.executable}", "-DOSTEON_BUILD_PYTHON=ON", "-DOSTEON_BUILD_TESTS=OFF",
                "-DOSTEON_BUILD_BENCHMARKS=OFF", "-DOSTEON_BUILD_EXAMPLES=OFF",
            ] + (["-G", "Ninja"] if shutil.which("ninja") else []), check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_C", "-j", jobs], check=True)
        built = sorted((build_dir / "python" / "osteon").glob("_C*.so"))
        if not built:
            raise RuntimeError(f"CMake built no osteon/_C*.so under {build_dir}")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(version=osteon_version(), ext_modules=[CMakeExtension("osteon._C")], cmdclass={"build_ext": CMakeBuild})
