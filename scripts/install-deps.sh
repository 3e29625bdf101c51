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
  libplplot-dev plplot-driver-cairo libcli11-dev   # report/ figures (PNG through cairo), the osteon tool
  libgloo-dev                               # c10d ProcessGroupGloo headers (osteon/train/distributed.hpp)
  libpng-dev libjpeg-dev libtiff-dev zlib1g-dev libdeflate-dev libnifti2-dev libgdcm-dev  # osteon::io
  python3-nibabel python3-pydicom                                                 # io test references
  python3-numpy python3-scipy python3-sklearn python3-pytest python3-matplotlib python3-setuptools
  clang-14 libclang-rt-14-dev                # make test-sanitize: ASan/UBSan and libFuzzer
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
# Another package manager (unattended-upgrades, a second install) may hold the dpkg / lists locks:
# wait for it (DPkg::Lock::Timeout covers the dpkg lock; the loop also covers the lists lock of
# `apt-get update`) instead of failing at once. OSTEON_APT_LOCK_WAIT seconds in all (default 600).
lock_wait="${OSTEON_APT_LOCK_WAIT:-600}"
apt_get() {
  local deadline=$((SECONDS + lock_wait)) log
  log="$(mktemp)"
  while true; do
    if "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout="$lock_wait" "$@" > "$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    if grep -qiE "could not get lock|unable to lock|is another process using it" "$log" && ((SECONDS < deadline)); then
      echo "osteon: waiting for another package manager to release the apt lock..." >&2
      sleep 5
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
  done
}
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}"
