#!/usr/bin/env bash
# Round trip through TensorFlow.js: xkeras's save_tfjs output, loaded and run by tfjs 4.22.
#   tools/tfjs/round_trip.sh [build dir]     (default: build, next to tools/)
# 1. runs the test binary's [tfjs_save] cases, which write <build>/tfjs_round_trip/<case>/
#    (model.json, shards, xkeras_io.json with xkeras's inputs and outputs);
# 2. node round_trip.js on every case folder (writes <case>/tfjs_round_trip.json);
# 3. writes the summary tests/data/tfjs_round_trip.json (committed).
# Exit status: non-zero if the test binary fails or a case fails in tfjs for a reason that is not a
# listed tfjs limitation (round_trip_summary.js).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)

test_bin="$build/tests/test_tfjs"
[ -x "$test_bin" ] || { echo "no $test_bin: build it first (make -C $build test_tfjs)" >&2; exit 2; }
rm -rf "$build/tfjs_round_trip"
"$test_bin" "[tfjs_save]"

[ -d "$here/node_modules/@tensorflow/tfjs" ] || (cd "$here" && npm ci)
dirs=("$build"/tfjs_round_trip/*/)
# round_trip.js exits 1 when any case fails; the summary decides which failures are expected.
(cd "$here" && node round_trip.js "${dirs[@]%/}") || true
cd "$here" && node round_trip_summary.js "$build/tfjs_round_trip" "$root/tests/data/tfjs_round_trip.json"
