#!/usr/bin/env bash
# Installs the Debian packages osteon needs, only those missing; silent when all are there.
# Usage: scripts/install-deps.sh [build|reference]
#   build      (default) what `make test` and `make demo` need
#   reference  adds R's pROC, needed only to regenerate the fixtures (`make fixtures`)
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev python3-torch python3-torchvision
  libopenblas0-pthread                      # Debian's libtorch otherwise runs on reference BLAS
  libeigen3-dev xtensor-dev libboost-math-dev nlohmann-json3-dev
  pybind11-dev python3-pybind11 python3-dev python3-venv python3-pip
  doctest-dev libbenchmark-dev
  libgloo-dev                               # c10d ProcessGroupGloo headers (osteon/train/distributed.hpp)
  python3-tqdm                              # osteon.train progress bars
  python3-numpy python3-scipy python3-sklearn python3-pytest python3-matplotlib python3-setuptools
  python3-pandas python3-tqdm python3-nbclient python3-nbconvert python3-ipykernel python3-mypy python3-pil  # the Python package: to_frame, progress, notebooks, stub check
)
reference_packages=(r-cran-proc r-base-core)

packages=("${build_packages[@]}")
if [[ "${1:-build}" == "reference" ]]; then packages+=("${reference_packages[@]}"); fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "osteon: installing ${#missing[@]} Debian package(s): ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
