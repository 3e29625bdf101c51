#!/usr/bin/env python3
"""Checks the floors of include/osteon/ (docs/architecture.md) by reading #include lines; compiles nothing.

Fails (exit 1, one line per offence) when
  * a header includes a header of a higher floor, or of another folder on its own floor
    (floors: core → stats / split / io → metrics / losses / nn → data → train → report → cli);
  * a torch-free header (osteon::host: core/, stats/, split/, metrics/roc/ but tensor.hpp,
    metrics/classification/, metrics/segmentation/host/, and their umbrellas) includes LibTorch
    (<torch/…>, <ATen/…>, <c10/…>) or an osteon header that is not torch-free;
  * a header of a folder the floors do not name appears (add the folder to FLOORS and the document).

Usage: scripts/check_floors.py [include-dir]   (default: include/ next to this script's folder)
"""
import pathlib
import re
import sys

# Floor of each top folder of include/osteon/; a top-level umbrella X.hpp belongs to folder X.
FLOORS = {
    "core": 0,
    "stats": 1, "split": 1, "io": 1,
    "metrics": 2, "losses": 2, "nn": 2,
    "data": 3,
    "train": 4,
    "report": 5,
    "cli": 6,
}
TOP = {"osteon.hpp": 99, "version.hpp": 0}  # the everything-umbrella; the version (no includes)

# Torch-free: folders (every header below them) and single headers, relative to include/osteon/.
TORCH_FREE_FOLDERS = ("core/", "stats/", "split/", "metrics/roc/", "metrics/classification/",
                      "metrics/segmentation/host/")
TORCH_FREE_EXCEPTIONS = ("metrics/roc/tensor.hpp",)
TORCH_FREE_HEADERS = ("stats.hpp", "split.hpp", "version.hpp", "metrics/host.hpp")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
LIBTORCH = ("torch/", "ATen/", "c10/", "torch.h")


def folder_of(relative):
    """'metrics/roc/roc.hpp' -> 'metrics'; 'metrics.hpp' -> 'metrics'; 'osteon.hpp' -> None."""
    parts = relative.split("/")
    return parts[0] if len(parts) > 1 else parts[0][: -len(".hpp")]


def floor_of(relative):
    if relative in TOP:
        return TOP[relative]
    return FLOORS.get(folder_of(relative))


def is_torch_free(relative):
    if relative in TORCH_FREE_EXCEPTIONS:
        return False
    return relative in TORCH_FREE_HEADERS or relative.startswith(TORCH_FREE_FOLDERS)


def check(include_dir):
    root = include_dir / "osteon"
    offences = []
    headers = sorted(root.rglob("*.hpp"))
    if not headers:
        return [f"{root}: no headers found"]
    for path in headers:
        relative = path.relative_to(root).as_posix()
        floor = floor_of(relative)
        if floor is None:
            offences.append(f"{relative}: folder '{folder_of(relative)}' has no floor in scripts/check_floors.py")
            continue
        for bracket, target in INCLUDE.findall(path.read_text(encoding="utf-8")):
            if target.startswith("osteon/"):
                included = target[len("osteon/"):]
                included_floor = floor_of(included)
                if included_floor is None:
                    offences.append(f"{relative}: includes {target}, whose folder has no floor")
                elif included_floor > floor:
                    offences.append(f"{relative} (floor {floor}) includes {target} (floor {included_floor}), a floor above")
                elif (included_floor == floor and relative not in TOP
                      and folder_of(included) != folder_of(relative)):
                    offences.append(f"{relative} includes {target}: another folder of the same floor {floor}")
                if is_torch_free(relative) and not is_torch_free(included):
                    offences.append(f"{relative} is torch-free but includes {target}, which needs LibTorch")
            elif bracket == "<" and target.startswith(LIBTORCH) and is_torch_free(relative):
                offences.append(f"{relative} is torch-free but includes <{target}>")
    return offences


def main(argv):
    include_dir = pathlib.Path(argv[1]) if len(argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "include"
    offences = check(include_dir)
    for line in offences:
        print(f"check_floors: {line}")
    if not offences:
        print(f"check_floors: {sum(1 for _ in (include_dir / 'osteon').rglob('*.hpp'))} headers keep to their floors")
    return 1 if offences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
