#!/usr/bin/env bash
# Training speed with one core taken by another process, xkeras against PyTorch:
#   bash scripts/bench_load.sh
# Builds like scripts/bench.sh (python3-torch through scripts/setup.sh), then, per round: W1 and W2
# training on both sides at 1 thread, 2 threads and each library's default (xkeras: no
# set_num_threads; torch: no torch.set_num_threads; OMP_NUM_THREADS / OPENBLAS_NUM_THREADS unset)
# on a quiet machine; then the same while a competing process spins on one core (a Python busy
# loop this script starts and stops; not pinned, like an ordinary job), and once more with the
# spinner pinned to CPU 1 (taskset: the scheduler cannot move it out of our way). Prints the table of
# bench/report_load.py with the two targets of the issue (xkeras's default under load keeps >= 50%
# of its quiet 1-thread speed; on a quiet machine it keeps >= 90% of its 2-thread speed).
# About 12 minutes on 2 cores after the build. Protocol and one run: docs/benchmarks.md.
#
#   XKERAS_BENCH_SKIP_SETUP=1    don't install or build (use an existing build)
#   XKERAS_BENCH_BUILD_DIR=dir   build directory (default: build, the one setup.sh makes)
#   XKERAS_BENCH_QUICK=1         tiny step counts, one round (checks the harness; numbers meaningless)
#   XKERAS_BENCH_OUT=file        where the RESULT lines go (default: <build dir>/bench_load_results.txt)
#   XKERAS_LOAD_ROUNDS=n         quiet + loaded rounds (default 2)
#   XKERAS_LOAD_PIN=cpu          the CPU of the pinned spinner (default 1); XKERAS_LOAD_PIN=none skips that block
#   XKERAS_LOAD_WAIT_QUIET=s     before each block (and before starting the spinner), wait up to s seconds
#                                for the machine to be idle (< 0.15 cores busy for 3 checks in a row);
#                                default 0: don't wait. Each RESULT line records the other processes'
#                                cores during its timed passes (others_cores), so a disturbed run shows.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bench_build.sh  # sets root, build, python and the BLAS environment
bench_build python3-torch -- bench_autoencoder bench_cnn
bin="$root/$build/bench"
for b in bench_autoencoder bench_cnn; do
  [ -x "$bin/$b" ] || { echo "bench_load.sh: $bin/$b is missing (configure with -DXKERAS_BUILD_BENCH=ON)" >&2; exit 1; }
done
"$python" -c 'import torch' 2>/dev/null || { echo "bench_load.sh: python3-torch is missing" >&2; exit 1; }
out=${XKERAS_BENCH_OUT:-$root/$build/bench_load_results.txt}
: >"$out"

# The default runs need the thread variables unset; the others set them per run. A caller's wait
# policy would change both sides' numbers.
for v in OMP_NUM_THREADS OPENBLAS_NUM_THREADS GOTO_NUM_THREADS OMP_WAIT_POLICY GOMP_SPINCOUNT XKERAS_GEMM; do
  [ -n "${!v:-}" ] && echo "bench_load.sh: unsetting $v=${!v} for the run"
  unset "$v"
done

if [ "${XKERAS_BENCH_QUICK:-0}" = 1 ]; then
  w1="--samples 1280 --warmup 2 --repeats 2"; w2="--samples 256 --warmup 1 --repeats 2"; rounds=1
else
  w1="--samples 20000 --warmup 20 --repeats 3"; w2="--samples 3200 --warmup 10 --repeats 3"
  rounds=${XKERAS_LOAD_ROUNDS:-2}
fi

# Cores busy over one second (all processes), from /proc/stat: the load average lags by minutes.
busy_cores() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat); sleep 1
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk -v n="$(nproc)" '{printf "%.2f", ($3-$1)/($4-$2)*n}'
}
machine() {
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores busy now: $(busy_cores) of $(nproc); busiest processes (%CPU over their life):"
  ps -eo pcpu,pid,comm --sort=-pcpu | sed -n '2,5p' | sed 's/^/    /'
  # Someone else's build makes every number here meaningless.
  if ps -eo comm | grep -Eqx 'cc1plus|cc1|lto1|ld|ld.gold|ld.bfd|collect2'; then
    echo "WARNING: a compiler or linker is running on this machine; these timings are not trustworthy"
  fi
}

wait_quiet() {
  local limit=${XKERAS_LOAD_WAIT_QUIET:-0} waited=0 calm=0 b
  while (( limit > 0 && calm < 3 && waited < limit )); do
    b=$(busy_cores)
    if awk -v b="$b" 'BEGIN { exit !(b < 0.15) }'; then calm=$((calm + 1)); else calm=0; sleep 9; waited=$((waited + 10)); fi
    waited=$((waited + 1))
  done
  (( limit > 0 )) && echo "waited ${waited} s for a quiet machine ($([ $calm -ge 3 ] && echo quiet || echo 'gave up'))"
  return 0
}

spinner=""
start_spinner() {  # [cpu]: pinned there
  if [ -n "${1:-}" ]; then
    taskset -c "$1" "$python" -c 'while True: pass' & spinner=$!
  else
    "$python" -c 'while True: pass' & spinner=$!
  fi
  sleep 2  # let it run at full speed (and show in /proc/stat) before the first timing
}
stop_spinner() {
  if [ -n "$spinner" ]; then
    kill "$spinner" 2>/dev/null || true
    wait "$spinner" 2>/dev/null || true
    spinner=""
  fi
}
trap stop_spinner EXIT
trap 'stop_spinner; exit 130' INT TERM

# One benchmark process; its RESULT line gets the condition and the round, and goes to $out.
run() {
  local condition=$1 round=$2 line; shift 2
  line=$("$@" | grep '^RESULT ') || { echo "bench_load.sh: failed: $*" >&2; return 1; }
  echo "$line condition=$condition round=$round" | tee -a "$out"
}
# W1 and W2, both sides, 1 / 2 / default threads, sides interleaved.
block() {
  local condition=$1 round=$2 wl cpp py args t
  for wl in W1 W2; do
    if [ $wl = W1 ]; then cpp=bench_autoencoder py=torch_autoencoder.py args=$w1
    else cpp=bench_cnn py=torch_cnn.py args=$w2; fi
    for t in 1 2 default; do
      if [ $t = default ]; then
        run "$condition" "$round" "$bin/$cpp" --mode train --threads default $args
        run "$condition" "$round" "$python" "$root/bench/$py" --mode train --threads default $args
      else
        OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t run "$condition" "$round" "$bin/$cpp" --mode train --threads $t $args
        OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t run "$condition" "$round" "$python" "$root/bench/$py" --mode train --threads $t $args
      fi
    done
  done
}

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $("$python" -c 'import torch; print("torch", torch.__version__)')"
pin=${XKERAS_LOAD_PIN:-1}
echo "== OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; W1: $w1; W2: $w2; rounds: $rounds; pinned spinner: CPU $pin"
start=$(date +%s)
for round in $(seq 1 "$rounds"); do
  echo "== round $round, quiet"; wait_quiet; machine
  block quiet "$round"
  echo "== round $round, loaded (one core kept busy by a competing process)"
  wait_quiet
  start_spinner
  machine
  block loaded "$round"
  stop_spinner
  if [ "$pin" != none ]; then
    echo "== round $round, pinned (the competing process pinned to CPU $pin)"
    wait_quiet
    start_spinner "$pin"
    machine
    block pinned "$round"
    stop_spinner
  fi
done
echo "== after ($(( $(date +%s) - start )) s)"; machine
echo
echo "== results (RESULT lines in $out)"
"$python" "$root/bench/report_load.py" "$out"
