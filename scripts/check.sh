#!/usr/bin/env bash
# The test suite under sanitizers, in one command (Debian 12, as root; installs what is missing):
#   bash scripts/check.sh          # both runs below
#   bash scripts/check.sh asan     # AddressSanitizer + UndefinedBehaviorSanitizer (with LeakSanitizer):
#                                  # the whole suite, built in ./build-asan
#   bash scripts/check.sh tsan     # ThreadSanitizer: the threading tests (tests/threads), built in ./build-tsan
# Any sanitizer report fails the test that triggered it (halt_on_error / abort_on_error), so the
# closing CTest line says whether the run is clean. Reports that are false positives in the
# uninstrumented OpenMP runtime or oneDNN are suppressed by sanitizers/*.supp, one comment each.
# Takes about 30-40 minutes on 2 cores, most of it the instrumented build and the training tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
what=${1:-all}
case "$what" in all | asan | tsan) ;; *) echo "usage: scripts/check.sh [all|asan|tsan]" >&2; exit 2 ;; esac
XKERAS_SETUP_NO_BUILD=1 bash scripts/setup.sh
source scripts/blas_env.sh
jobs=$(nproc 2>/dev/null || echo 2)
status=0

configure() {  # build dir, sanitizers
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXKERAS_SANITIZE="$2" >/dev/null
}

if [ "$what" = all ] || [ "$what" = asan ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite (build-asan)"
  configure build-asan address,undefined
  cmake --build build-asan -j"$jobs"
  export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$root/sanitizers/lsan.supp:print_suppressions=0"
  ctest --test-dir build-asan --output-on-failure -j"$jobs" || status=1
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi

if [ "$what" = all ] || [ "$what" = tsan ]; then
  echo "== ThreadSanitizer: the threading tests (build-tsan)"
  configure build-tsan thread
  cmake --build build-tsan -j"$jobs" --target test_threads
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/sanitizers/tsan.supp"
  ctest --test-dir build-tsan --output-on-failure -j1 -R '^threads:' || status=1
  # Once more with two OpenMP workers under every model thread (the automatic count gives each of four
  # predicting threads one); the thread-count tests need the automatic mode, so they sit this one out.
  echo "== ThreadSanitizer with OMP_NUM_THREADS=2"
  OMP_NUM_THREADS=2 ctest --test-dir build-tsan --output-on-failure -j1 -R '^threads:' \
    -E 'cores used|the policy|set_num_threads|another process' || status=1
fi
exit "$status"
