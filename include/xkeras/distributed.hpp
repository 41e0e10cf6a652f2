// Several processes training one model: data parallelism over MPI (Debian's OpenMPI).
//
//   int main(int argc, char** argv) {
//     xkeras::distributed::Session mpi(&argc, &argv);  // MPI when started by mpirun; one process otherwise
//     ...
//     model.fit(x, y, FitOptions().with_batch_size(128).with_distribution(distributed::DataParallel()));
//     if (distributed::is_chief()) model.save("model.keras");
//   }
//   $ mpirun -np 2 ./train
//
// Every rank builds the same model and calls fit with the same arguments. fit then broadcasts rank 0's
// weights and optimizer state, gives each rank its share of every global batch (batch_size is the
// global batch, as in keras.distribution.DataParallel), averages the gradients with allreduce before
// each update, and averages losses and metrics over ranks for the logs. docs/distributed.md has the
// details, the measured costs and the limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "xkeras/options.hpp"

namespace xkeras::distributed {

/// Starts MPI when this process was launched by an MPI launcher (mpirun/mpiexec/srun: it finds
/// OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_SIZE in the environment); otherwise it makes no MPI call
/// and the process is rank 0 of 1. Idempotent. Under MPI it also installs a terminate handler: an
/// exception nobody catches prints "xkeras.distributed: rank R of N: ..." and aborts every rank.
void init(int* argc = nullptr, char*** argv = nullptr);
/// Ends MPI if init() started it (after a barrier, so no rank leaves while others still talk). Idempotent.
void finalize();
/// True while MPI runs (init() found a launcher and finalize() has not been called).
bool initialized();

int rank();        ///< this process's rank, 0 .. size()-1 (0 without MPI)
int size();        ///< number of processes (1 without MPI)
int local_rank();  ///< rank among the processes on this machine (0 without MPI)
int local_size();  ///< processes on this machine (1 without MPI)
inline bool is_chief() { return rank() == 0; }  ///< rank 0 prints, writes files and saves

/// init() on construction, finalize() on destruction.
class Session {
 public:
  explicit Session(int* argc = nullptr, char*** argv = nullptr) { init(argc, argv); }
  ~Session() { finalize(); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

/// How long a collective waits for the other ranks before it gives up: it then prints which rank
/// waited, in which operation and for how long, and aborts the whole job (a rank that died, hung,
/// or took another path must not leave the others waiting forever). Default 300 s, or the
/// environment's XKERAS_DISTRIBUTED_TIMEOUT (seconds) at init(). ValueError unless seconds > 0.
void set_timeout(double seconds);
double timeout();

/// Collectives over every rank; with one process they return at once. `what` names the operation
/// in a timeout's message. Every rank must call the same collectives in the same order.
void barrier(const char* what = "barrier");
void allreduce_sum(float* data, std::size_t n, const char* what = "allreduce");
void allreduce_sum(double* data, std::size_t n, const char* what = "allreduce");
void allreduce_max(double* data, std::size_t n, const char* what = "allreduce");
/// Copies `bytes` bytes from `root` into every other rank's buffer.
void broadcast(void* data, std::size_t bytes, int root = 0, const char* what = "broadcast");

/// Prints "xkeras.distributed: rank R of N: <message>" to stderr and ends every rank (MPI_Abort), or
/// this process alone without MPI.
[[noreturn]] void abort(const std::string& message, int exit_code = 1);

/// What this process has communicated since start (or reset_stats()): allreduce calls, the bytes
/// each rank contributed, and the wall time spent waiting in allreduce and broadcast.
struct Stats {
  std::uint64_t allreduce_calls = 0, allreduce_bytes = 0;
  std::uint64_t broadcast_calls = 0, broadcast_bytes = 0;
  double allreduce_seconds = 0, broadcast_seconds = 0;
};
Stats stats();
void reset_stats();

/// Data parallelism for fit and evaluate (Keras's keras.distribution.DataParallel; Horovod's
/// DistributedOptimizer with tensor fusion). Pass it as FitOptions::distribution.
struct DataParallel {
  /// Gradients are copied into fusion buffers of this size and each buffer is one allreduce
  /// (Horovod's tensor fusion: fewer, larger messages).
  XKERAS_OPTION(std::size_t, bucket_bytes, std::size_t(1) << 20)
  /// Start a buffer's allreduce as soon as the backward pass has finished its gradients, while the
  /// earlier layers' backward still runs. Off by default: with one rank per core there is no idle core
  /// to move the data meanwhile, and it measured no faster here (docs/distributed.md).
  XKERAS_OPTION(bool, overlap, false)
  /// An exception on one rank during fit or evaluate prints the rank and the message, then aborts
  /// every rank; false rethrows it (the others then stop at the timeout).
  XKERAS_OPTION(bool, abort_on_error, true)
};

}  // namespace xkeras::distributed
