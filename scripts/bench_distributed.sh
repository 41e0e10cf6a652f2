#!/usr/bin/env bash
# Data-parallel training on this machine (docs/distributed.md): W1 and W2 through
# fit(..., distribution) as 1 process x 2 threads against 2 processes x 1 thread (the issue's
# comparison), plus 1 x 1, 2 x 1 with overlap, 4 x 1 (more processes than cores), and 2 and 4
# independent 1-thread processes side by side without MPI (the compute the machine gives P workers:
# the scaling model's first term, docs/distributed.md). PyTorch runs the same at 1 x 2, 1 x 1 and 2 x 1
# (bench/torch_distributed.py: DistributedDataParallel over gloo), for the ratios.
#   bash scripts/bench_distributed.sh
# Every run prints samples/s from its fastest and its median epoch (the slowest rank's time), the
# wall time per step a rank waited for the gradient allreduce, and the bytes each rank contributed
# to allreduces per step. About 4 minutes on 2 cores after the build.
#
#   XKERAS_BENCH_SKIP_SETUP=1   don't install or build (use an existing build)
#   XKERAS_BENCH_BUILD_DIR=dir  build directory (default: build)
#   XKERAS_BENCH_REPEATS=n      timed epochs per run (default 5)
#   XKERAS_BENCH_OUT=file       where the RESULT lines go (default: <build dir>/bench_distributed_results.txt)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bench_build.sh  # sets root, build, python and the BLAS environment
bench_build python3-torch -- bench_distributed
bin="$root/$build/bench/bench_distributed"
[ -x "$bin" ] || { echo "bench_distributed.sh: $bin is missing (configure with -DXKERAS_BUILD_BENCH=ON)" >&2; exit 1; }
"$python" -c 'import torch.distributed' 2>/dev/null || { echo "bench_distributed.sh: python3-torch is missing" >&2; exit 1; }
out=${XKERAS_BENCH_OUT:-$root/$build/bench_distributed_results.txt}
repeats=${XKERAS_BENCH_REPEATS:-5}
: >"$out"
unset OMP_NUM_THREADS OPENBLAS_NUM_THREADS  # each run sets its own count (--threads)
# mpirun as root needs these; --oversubscribe lets 4 ranks share 2 cores; --bind-to none leaves the
# placement to the kernel, as for the single process.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

run() {  # run <processes> <threads> [bench options]; TORCH=1 runs bench/torch_distributed.py instead
  local np=$1 threads=$2
  shift 2
  local cmd=("$bin" --threads "$threads" --repeats "$repeats" "$@")
  [ "${TORCH:-0}" = 1 ] && cmd=("$python" bench/torch_distributed.py --threads "$threads" --repeats "$repeats" "$@")
  ((np > 1)) && cmd=(mpirun --oversubscribe --bind-to none -np "$np" "${cmd[@]}")
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg): ${cmd[*]}"
  "${cmd[@]}" | grep '^RESULT' | sed "s/\$/ load_average=$(cut -d' ' -f1 /proc/loadavg)/" | tee -a "$out"
}

independent() {  # independent <count> [bench options]: that many 1-thread processes at once, no MPI
  local n=$1 pids=() i
  shift
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg): $n x $bin --threads 1 --repeats $repeats $*"
  for ((i = 0; i < n; i++)); do
    "$bin" --threads 1 --repeats "$repeats" "$@" >"$out.part$i" &
    pids+=($!)
  done
  wait "${pids[@]}"
  for ((i = 0; i < n; i++)); do
    grep '^RESULT' "$out.part$i" | sed "s/\$/ independent=$n load_average=$(cut -d' ' -f1 /proc/loadavg)/" | tee -a "$out"
    rm -f "$out.part$i"
  done
}

for w in W1 W2; do
  run 1 2 --workload "$w"
  run 1 1 --workload "$w"
  run 2 1 --workload "$w"
  run 2 1 --workload "$w" --overlap 1
  run 4 1 --workload "$w"
  independent 2 --workload "$w"
  independent 4 --workload "$w"
  samples=$([ "$w" = W1 ] && echo 20000 || echo 6400)
  TORCH=1 run 1 2 --workload "$w" --samples "$samples"
  TORCH=1 run 1 1 --workload "$w" --samples "$samples"
  TORCH=1 run 2 1 --workload "$w" --samples "$samples"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" bench/report_distributed.py "$out"
