#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (fuzz/README.md):
#   bash scripts/fuzz.sh [--seconds N] [--jobs J] [target ...]     (default: 60 s, 1 job, every target)
# Installs what is missing (clang and its runtimes, the library's packages), builds build-fuzz/ with
# clang and -DXKERAS_FUZZ=ON, then fuzzes each target in turn for N seconds with J processes.
# Working corpus: build-fuzz/corpus/<target>, seeded from fuzz/corpus/<target> and
# fuzz/regressions/<target>; crash/timeout/oom inputs: build-fuzz/artifacts/<target>/; logs:
# build-fuzz/logs/<target>/. A process that stops on a finding is restarted for the time left, so one
# shallow bug does not end the run. Ends with a table per target and the findings grouped by report
# line; exits 1 when this run found anything.
#   XKERAS_FUZZ_BUILD_DIR=dir    build directory (default: build-fuzz)
#   XKERAS_FUZZ_SKIP_BUILD=1     use the existing build as is
#   XKERAS_FUZZ_ARGS="..."       more libFuzzer flags (e.g. -only_ascii=1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
build=${XKERAS_FUZZ_BUILD_DIR:-build-fuzz}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
seconds=60
jobs=1
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds and --jobs take whole numbers" >&2; exit 2; }
all_targets=()
for f in fuzz/fuzz_*.cpp; do t=${f#fuzz/fuzz_}; all_targets+=("${t%.cpp}"); done
((${#targets[@]})) || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [ -f "fuzz/fuzz_$t.cpp" ] || { echo "fuzz.sh: no target '$t' (have: ${all_targets[*]})" >&2; exit 2; }
done

# ---- packages: the library's (scripts/setup.sh installs them without building), clang with its
# sanitizer and libFuzzer runtimes, libomp for clang's OpenMP, llvm-14 for llvm-symbolizer (readable
# stack traces).
if [ "${XKERAS_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  XKERAS_EXTRA_PACKAGES="clang libclang-rt-14-dev libomp-dev llvm-14 ${XKERAS_EXTRA_PACKAGES:-}" XKERAS_SETUP_NO_BUILD=1 \
    bash scripts/setup.sh
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DXKERAS_FUZZ=ON >/dev/null
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}"
fi

source scripts/blas_env.sh
# One thread per fuzzing process (oneDNN's libgomp reads this at load); fuzzing scales by --jobs.
export OMP_NUM_THREADS=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
command -v llvm-symbolizer >/dev/null || export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

# Per target: the longest input worth trying (a few times the largest seed) and the dictionary.
# HDF5 files start at ~8 KB (h5py's and our writer's metadata blocks), so their targets get 64 KB.
max_len() { case "$1" in idx|idx_stream) echo 8192 ;; load_model) echo 32768 ;; h5|weights_h5|keras_archive) echo 65536 ;; *) echo 16384 ;; esac; }
dict() {
  case "$1" in
    model_json|load_model) echo "$root/fuzz/model_json.dict" ;;
    h5|weights_h5) echo "$root/fuzz/hdf5.dict" ;;
    *) if [ -f "$root/fuzz/$1.dict" ]; then echo "$root/fuzz/$1.dict"; fi ;;
  esac
}

# The first line of a finding's report: our uncaught-exception line, a sanitizer's ERROR or
# runtime error, libFuzzer's timeout/oom/deadly-signal line.
reason() {
  grep -m1 -E '==xkeras-fuzz==|ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|ALARM:' "$1" |
    sed -E 's/^==[0-9]+== ?//' | cut -c1-220
}

# One job: libFuzzer for the time left, restarted after each finding. Writes "<executions> <findings>"
# to $4. A finding before INITED means a corpus file itself fails: restarting would only repeat it.
run_job() {
  local t=$1 j=$2 logdir=$3 result=$4
  local left=$seconds run=0 execs=0 found=0 start now log d
  d=$(dict "$t")
  start=$(date +%s)
  while ((left > 0)); do
    log="$logdir/job$j.run$run.log"
    set +e
    "$build/fuzz/fuzz_$t" "$build/corpus/$t" -max_total_time="$left" -print_final_stats=1 -rss_limit_mb=2048 \
      -timeout=20 -max_len="$(max_len "$t")" ${d:+-dict="$d"} -artifact_prefix="$build/artifacts/$t/" \
      ${XKERAS_FUZZ_ARGS:-} >"$log" 2>&1
    set -e
    execs=$((execs + $(grep -m1 -oP 'stat::number_of_executed_units:\s*\K[0-9]+' "$log" || echo 0)))
    if grep -q 'Test unit written to' "$log"; then
      found=$((found + 1))
      grep -q 'INITED' "$log" || { echo "fuzz.sh: $t: a corpus input fails before fuzzing starts, see $log" >&2; break; }
    else
      break  # ran its time (or failed to start: the log says why)
    fi
    now=$(date +%s)
    left=$((seconds - (now - start)))
    run=$((run + 1))
  done
  echo "$execs $found" >"$result"
}

summary=()
new_findings=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs/$t"
  rm -f "$build/logs/$t"/*.log
  # Seeds and regression inputs join the working corpus (libFuzzer adds its own finds there).
  for seeds in "fuzz/corpus/$t" "fuzz/regressions/$t"; do
    [ -d "$seeds" ] && find "$seeds" -type f ! -name README.md ! -name '.*' -exec cp -n -t "$build/corpus/$t" {} +
  done
  echo "fuzz.sh: fuzzing $t for ${seconds}s with $jobs job(s) (log: $build/logs/$t/)"
  marker="$build/logs/$t/.started"
  touch "$marker"
  pids=()
  for ((j = 0; j < jobs; j++)); do
    run_job "$t" "$j" "$build/logs/$t" "$build/logs/$t/job$j.result" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || echo "fuzz.sh: $t: a job failed (see its logs)" >&2; done
  execs=0
  for ((j = 0; j < jobs; j++)); do execs=$((execs + $(cut -d' ' -f1 "$build/logs/$t/job$j.result" 2>/dev/null || echo 0))); done
  corpus=$(find "$build/corpus/$t" -type f | wc -l)
  new=$(find "$build/artifacts/$t" -type f -newer "$marker" | wc -l)
  total=$(find "$build/artifacts/$t" -type f | wc -l)
  new_findings=$((new_findings + new))
  summary+=("$(printf '%-12s %12s %10s %8s %9s' "$t" "$execs" "$((execs / (seconds > 0 ? seconds : 1)))" "$corpus" "$new new/$total")")
done

echo
echo "fuzz.sh: ${seconds}s per target, $jobs job(s), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %12s %10s %8s %9s\n' target executions execs/s corpus artifacts
printf '%s\n' "${summary[@]}"
# The findings of this run grouped by the first line of their report (digits folded, so "parsing
# '1e400'" and "parsing '1e4002'" count as one): how many, and one artifact with its log to start from.
for t in "${targets[@]}"; do
  for log in "$build/logs/$t"/*.log; do
    [ -f "$log" ] || continue
    art=$(grep -oP 'Test unit written to \K\S+' "$log" | head -1) || true
    if [ -n "$art" ]; then printf '%s\t%s\t%s\t%s\n' "$t" "$(reason "$log")" "$art" "$log"; fi
  done
done | awk -F'\t' '{ k = $1 "\t" $2; gsub(/0x[0-9a-f]+/, "0xN", k); gsub(/[0-9]+/, "N", k); if (!(k in n)) { order[++m] = k; first[k] = $0 } n[k]++ }
  END { if (m) print "findings (by report line):"
        for (i = 1; i <= m; i++) { split(first[order[i]], f, "\t")
          printf "  %s: %dx %s\n      e.g. %s\n      log: %s\n", f[1], n[order[i]], f[2], f[3], f[4] } }'
# Non-zero when this run found something, so a scheduled run can alert.
[ "$new_findings" -eq 0 ]
