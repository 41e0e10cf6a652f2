# Sourced by the scripts. OpenBLAS 0.3.21 does not recognise the CPUs of these machines and falls
# back to its SSE3 ("Prescott") kernels, 3-4x slower on our matrix shapes (docs/benchmarks.md).
# Pick its AVX2 kernels when the CPU has AVX2, unless the caller chose already.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=Haswell
fi
