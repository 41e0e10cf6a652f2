#!/usr/bin/env bash
# The side-by-side benchmark of xkeras against PyTorch, in one command:
#   bash scripts/bench.sh
# Installs what it needs (python3-torch, libbenchmark-dev) through scripts/setup.sh, builds in
# Release with the benchmarks, runs both sides in the same run (W1 autoencoder training, W2 CNN
# training, W3 inference, W4 width x batch scaling; 1 and 2 threads; W1 once more with xkeras's Dense
# products on OpenBLAS; the OpenBLAS and oneDNN sgemm references on the same shapes; the Google
# Benchmark micro-benchmarks), then prints the comparison tables. W5 (Embedding + LSTM, train and predict)
# and W6 (Transformer encoder training) are the sequence workloads.
# Takes about 7 minutes on 2 cores after the build. Protocol and one run's numbers: docs/benchmarks.md.
#
#   XKERAS_BENCH_SKIP_SETUP=1    don't install or build (use an existing build)
#   XKERAS_BENCH_BUILD_DIR=dir   build directory (default: build, the one setup.sh makes)
#   XKERAS_BENCH_QUICK=1         tiny step counts (checks the harness in a few minutes; numbers meaningless)
#   XKERAS_BENCH_OUT=file        where the RESULT lines go (default: <build dir>/bench_results.txt)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bench_build.sh  # sets root, build, python and the BLAS environment
bench_build python3-torch libbenchmark-dev -- bench_autoencoder bench_cnn bench_sgemm bench_lstm bench_transformer
# bench_micro exists only when Google Benchmark was found.
if [ "${XKERAS_BENCH_SKIP_SETUP:-0}" != 1 ] && [ "$build" != build ]; then
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target bench_micro 2>/dev/null || true
fi
bin="$root/$build/bench"
for b in bench_autoencoder bench_cnn bench_sgemm bench_lstm bench_transformer; do
  [ -x "$bin/$b" ] || { echo "bench.sh: $bin/$b is missing (configure with -DXKERAS_BUILD_BENCH=ON)" >&2; exit 1; }
done
out=${XKERAS_BENCH_OUT:-$root/$build/bench_results.txt}
: >"$out"

# Step counts: the full protocol, or a tiny one to check the harness.
if [ "${XKERAS_BENCH_QUICK:-0}" = 1 ]; then
  w1="--samples 1280 --warmup 2 --repeats 2"; w2="--samples 256 --warmup 1 --repeats 2"
  w3="--samples 1024 --repeats 2"; w4s=512; w4w=1; sg_ms=20; micro_time=0.01; w6="--samples 64 --warmup 1 --repeats 2"
  w5t="--samples 128 --warmup 1 --repeats 2"; w5p="--samples 128 --repeats 2"
else
  w1="--samples 20000 --warmup 20 --repeats 3"; w2="--samples 6400 --warmup 20 --repeats 3"
  w3="--samples 10000 --repeats 3"; w4s=4096; w4w=5; sg_ms=200; micro_time=0.2; w6="--samples 1024 --warmup 5 --repeats 3"
  w5t="--samples 640 --warmup 3 --repeats 3"; w5p="--samples 1280 --repeats 3"
fi

machine() {
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   ($(uptime | sed 's/^ *//'))"
  local core
  core=$(OPENBLAS_VERBOSE=2 "$bin/bench_sgemm" --help 2>&1 | sed -n 's/^Core: *//p' | head -1)
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then echo "OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE (set); OpenBLAS kernels: ${core:-?}"
  else echo "OPENBLAS_CORETYPE is not set; OpenBLAS picked the ${core:-?} kernels from the CPU"; fi
  # OpenBLAS 0.3.21 does not know every new CPU and then falls back to its SSE3 kernels (~6x slower).
  if [ "$core" = Prescott ]; then
    echo "WARNING: OpenBLAS fell back to its Prescott (SSE3) kernels; every matrix product runs several times"
    echo "         slower. Set OPENBLAS_CORETYPE (e.g. Haswell or SkylakeX) to pick AVX2/AVX-512 kernels."
  fi
}
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)' 2>/dev/null)"
echo "== before"; machine
start=$(date +%s)

# Runs one benchmark process, echoing its RESULT line into $out (other output goes to stderr).
run() {
  local line
  line=$("$@" | grep '^RESULT ') || { echo "bench.sh: failed: $*" >&2; return 1; }
  echo "$line" | tee -a "$out"
}
# One workload on both sides, 1 and 2 threads, sides interleaved so load drift hits both alike.
both() {
  local cpp=$1 py=$2; shift 2
  for t in 1 2; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t run "$bin/$cpp" --threads $t "$@"
    run "$python" "$root/bench/$py" --threads $t "$@"
  done
}
# xkeras with its Dense products on OpenBLAS instead of oneDNN (the library torch's nn.Linear uses here).
# OMP_WAIT_POLICY=passive: OpenMP's idle workers (elementwise loops, sigmoid) otherwise spin on the cores
# OpenBLAS's own threads need; at 2 threads that halved this row (~8k vs ~15k samples/s). The oneDNN
# default runs everything on OpenMP, where spinning pays (passive there: ~46k -> ~31k).
ours_on_openblas() {
  local cpp=$1; shift
  for t in 1 2; do
    XKERAS_GEMM=openblas OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t run "$bin/$cpp" --threads $t "$@"
  done
}
sgemm_ref() {  # both libraries' sgemm on the same shapes
  local t=$1; shift
  for lib in openblas onednn; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t run "$bin/bench_sgemm" --library $lib --threads $t "$@"
  done
}

echo "== sgemm reference on the training GEMM shapes"
for t in 1 2; do
  sgemm_ref $t --workload W1 --min-ms $sg_ms
  sgemm_ref $t --workload W2 --min-ms $sg_ms
done
echo "== W1 autoencoder training";  both bench_autoencoder torch_autoencoder.py --mode train $w1
ours_on_openblas bench_autoencoder --mode train $w1
echo "== W2 CNN training";          both bench_cnn torch_cnn.py --mode train $w2
echo "== W5 Embedding + LSTM (torch with denormals flushed, its faster setting: bench/torch_lstm.py)"
both bench_lstm torch_lstm.py --mode train $w5t
both bench_lstm torch_lstm.py --mode predict $w5p
echo "== W6 Transformer training"; both bench_transformer torch_transformer.py --mode train $w6
echo "== W3 inference";             both bench_autoencoder torch_autoencoder.py --mode predict $w3
both bench_cnn torch_cnn.py --mode predict $w3
echo "== W4 width x batch scaling (autoencoder training, $w4s samples per pass, $((w4s / 2)) at width 4096)"
for width in 256 1024 4096; do
  for batch in 32 128 512; do
    # Per-sample times: the widest model gets half the samples to keep the run short (at least one batch).
    samples=$(( width == 4096 ? w4s / 2 : w4s )); (( samples >= batch )) || samples=$batch
    both bench_autoencoder torch_autoencoder.py --mode train --workload W4 --width $width --batch $batch \
      --samples $samples --warmup $w4w --repeats 3
    for t in 1 2; do
      sgemm_ref $t --workload W1 --width $width --batch $batch --min-ms $((sg_ms / 2 + 1))
    done
  done
done

if [ -x "$bin/bench_micro" ]; then
  echo "== micro-benchmarks (Google Benchmark, 1 thread)"
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$bin/bench_micro" --benchmark_min_time=$micro_time --benchmark_counters_tabular=true
else
  echo "== micro-benchmarks skipped: bench_micro was not built (libbenchmark-dev missing?)"
fi

echo "== after ($(( $(date +%s) - start )) s)"; machine
echo
echo "== results (samples/s from the fastest of 3 repeats; ratio = xkeras best / torch best; RESULT lines in $out)"
"$python" "$root/bench/report.py" "$out"
