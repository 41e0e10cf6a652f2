// How many threads xkeras's kernels may use: OpenMP's (oneDNN's matrix products, convolutions and
// sigmoid, and xkeras's large elementwise loops) and OpenBLAS's (matrix products with
// XKERAS_GEMM=openblas). Keras's tf.config.threading.set_intra_op_parallelism_threads, in short.
//
// By default xkeras chooses the count itself and keeps choosing while it trains: OpenMP's idle
// workers spin, so a thread that shares its core with another process's busy work stalls every
// parallel region (one busy core of two made training 35-100x slower at 2 threads). Each training,
// evaluation or predict step calls adapt_threads(); at most every 200 ms it reads /proc/stat (the
// CPUs this thread may run on) and this process's CPU time, estimates how many cores other
// processes keep busy, and gives the model the cores left (at least 1). It drops a thread as soon
// as a core is more than 40% taken and adds one back after two 200 ms windows with the core at
// least 80% free. Threads of this process that run models at the same time share the budget
// (two training threads on 2 free cores get one each). Without /proc the count stays at OpenMP's
// default. Between the checks a step pays one clock read.
//
// It is off when the count was chosen: set_num_threads(n), or OMP_NUM_THREADS or
// OPENBLAS_NUM_THREADS in the environment at start-up. set_num_threads(0) turns it back on.
// XKERAS_THREADS_DEBUG=1 prints each change of the count (and what was measured) to stderr.
#pragma once

namespace xkeras {

/// n >= 1: both pools use n threads from now on, in every thread that runs a model (the calling
/// thread at once, the others at their next step), and the automatic choice is off.
/// n == 0: automatic again (see above). Throws ValueError for n < 0.
void set_num_threads(int n);

/// The OpenMP thread count kernels called from this thread use now (the chosen count when
/// set_num_threads(n) was called).
int num_threads();

/// True while xkeras chooses the thread count itself.
bool automatic_threads();

/// The per-step hook: train_on_batch, test_on_batch, fit, evaluate and predict call it each batch.
/// Call it once per step from a training loop of your own (tape + optimizer) to get the same
/// behaviour there; thread-safe, and a no-op when the count was chosen by the environment.
void adapt_threads();

}  // namespace xkeras
