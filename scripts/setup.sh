#!/usr/bin/env bash
# Installs the Debian packages xkeras needs (only the missing ones), then configures and
# builds into ./build. Sourced by the quick-start scripts; usable alone.
#   XKERAS_EXTRA_PACKAGES  more packages to install (the benchmarks add python3-torch ...)
#   XKERAS_CMAKE_ARGS      extra CMake arguments
#   XKERAS_SETUP_NO_BUILD=1  install the packages only (scripts/check.sh and fuzz.sh build elsewhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libhdf5-dev, libzip-dev: Keras's .h5/.keras files; zipcmp, zipmerge, ziptool only because Debian's libzip
# CMake config refuses to load without them; python3-h5py: the independent reader the tests run.
# libgraphviz-dev: plot_model lays out and renders model graphs in-process (libgvc, libcgraph; libgvc6 brings
# the PNG/SVG/PDF renderer plugins); libplplot-dev, plplot-driver-cairo: plot_history's training curves
# (PLplot's cairo driver writes PNG/SVG/PDF). libopenmpi-dev, openmpi-bin: data-parallel training
# (xkeras::distributed) and the mpirun the distributed tests start.
packages=(g++ make cmake pkg-config xtensor-dev xtl-dev libxsimd-dev libxtensor-blas-dev libopenblas-dev libdnnl-dev
          nlohmann-json3-dev catch2 libcli11-dev libssl-dev zlib1g-dev libpng-dev libhdf5-dev libzip-dev zipcmp zipmerge ziptool dataset-fashion-mnist
          fortunes python3-h5py libgraphviz-dev libplplot-dev plplot-driver-cairo libopenmpi-dev openmpi-bin
          ${XKERAS_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "xkeras setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ "${XKERAS_SETUP_NO_BUILD:-0}" = 1 ] && exit 0

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${XKERAS_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$jobs"
