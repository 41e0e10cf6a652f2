#!/usr/bin/env bash
# .keras -> TensorFlow.js, checked in TensorFlow.js 4.22 itself (README.md, "keras_check.sh"):
#   tools/tfjs/keras_check.sh [--rewrite] [build dir]     (default: build, next to tools/)
# 1. with --rewrite, or when a case has no model.keras yet: the hidden test "[.keras_tfjs_write]" of
#    <build>/tests/test_cli saves each model of tests/cli/keras_tfjs_cases.cpp as
#    tests/data/keras_tfjs/<case>/model.keras with its inputs.json;
# 2. <build>/cli/xkeras-convert turns each model.keras into <build>/keras_tfjs/<case>/ (model.json + shard);
# 3. node keras_check.js loads each in tfjs, predicts on inputs.json and writes
#    tests/data/keras_tfjs/<case>/tfjs_outputs.json (committed; the suite compares xkeras with it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rewrite=0
if [ "${1:-}" = --rewrite ]; then rewrite=1; shift; fi
build=$(cd "${1:-$root/build}" && pwd)
data="$root/tests/data/keras_tfjs"

for bin in "$build/tests/test_cli" "$build/cli/xkeras-convert"; do
  [ -x "$bin" ] || { echo "no $bin: build it first (make -C $build test_cli xkeras-convert)" >&2; exit 2; }
done
# The case list is in C++: any case folder without its .keras means the list grew.
missing=$(for d in "$data"/*/; do [ -f "$d/model.keras" ] || echo "$d"; done 2>/dev/null || true)
if [ "$rewrite" = 1 ] || [ ! -d "$data" ] || [ -n "$missing" ]; then
  "$build/tests/test_cli" "[.keras_tfjs_write]"
fi

rm -rf "$build/keras_tfjs"
mkdir -p "$build/keras_tfjs"
for d in "$data"/*/; do
  name=$(basename "$d")
  "$build/cli/xkeras-convert" "$d/model.keras" "$build/keras_tfjs/$name/model.json"
done

[ -d "$here/node_modules/@tensorflow/tfjs" ] || (cd "$here" && npm ci)
cd "$here" && node keras_check.js "$data" "$build/keras_tfjs"
