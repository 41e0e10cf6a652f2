// How many threads xkeras's kernels may use: OpenMP's (oneDNN's matrix products, convolutions and
// sigmoid, and xkeras's large elementwise loops) and OpenBLAS's (matrix products with
// XKERAS_GEMM=openblas). Keras's tf.config.threading.set_intra_op_parallelism_threads, in short.
#pragma once

namespace xkeras {

/// Sets both thread pools to `n` threads (n >= 1; throws ValueError otherwise). OpenBLAS's setting is
/// process-wide; OpenMP's applies to the calling thread, the one that runs the model.
void set_num_threads(int n);
/// The thread count OpenBLAS reports (both pools are set together).
int num_threads();

}  // namespace xkeras
