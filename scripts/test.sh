#!/usr/bin/env bash
# Quick start 2: set everything up, then run the whole test suite through CTest.
# The last line printed is CTest's summary ("100% tests passed, 0 tests failed out of N").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/blas_env.sh
set +e
ctest --test-dir build --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" 2>&1 |
  awk '/^Total Test time/ { next } /^[[:space:]]*$/ { blank++; next } { while (blank > 0) { print ""; blank-- } print; fflush() }'
rc=${PIPESTATUS[0]}
exit "$rc"
