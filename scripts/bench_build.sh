# Sourced by bench.sh and bench_load.sh from the repository root: sets what both use (root, build,
# python, the BLAS environment) and defines bench_build, which installs and builds what a benchmark
# run needs unless XKERAS_BENCH_SKIP_SETUP=1.   bench_build <extra Debian packages> -- <bench targets>
# In ./build it goes through scripts/setup.sh (packages + the usual Release build, benchmarks on);
# another XKERAS_BENCH_BUILD_DIR is configured with the benchmarks on and only the targets built.
root=$(pwd)
build=${XKERAS_BENCH_BUILD_DIR:-build}
python=/usr/bin/python3
source scripts/blas_env.sh

bench_build() {
  local packages=()
  while (($#)) && [ "$1" != -- ]; do packages+=("$1"); shift; done
  shift
  [ "${XKERAS_BENCH_SKIP_SETUP:-0}" = 1 ] && return 0
  if [ "$build" = build ]; then
    XKERAS_EXTRA_PACKAGES="${packages[*]} ${XKERAS_EXTRA_PACKAGES:-}" \
      XKERAS_CMAKE_ARGS="-DXKERAS_BUILD_BENCH=ON ${XKERAS_CMAKE_ARGS:-}" bash scripts/setup.sh
  else
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DXKERAS_BUILD_BENCH=ON ${XKERAS_CMAKE_ARGS:-} >/dev/null
    cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "$@"
  fi
}
