// What the distributed sources share: the MPI state behind xkeras::distributed, and nonblocking
// allreduce for the gradient buckets. Only src/distributed includes <mpi.h>.
#pragma once

#include <cstddef>
#include <mutex>

namespace xkeras::distributed::detail {

/// Serializes MPI calls (MPI is started with MPI_THREAD_SERIALIZED).
std::mutex& mpi_mutex();

/// A started nonblocking allreduce (sum over ranks, in place); 0 = none.
using Request = long;
Request start_allreduce_sum(float* data, std::size_t n);
/// Lets MPI progress `r`; true once it is complete (the buffer then holds the sum).
bool test(Request r);
/// Waits for `r` until the timeout, then aborts the job naming `what`.
void wait(Request r, const char* what);

/// True while this thread runs a data-parallel train step over more than one rank: synchronized
/// BatchNormalization then sums its statistics over the ranks (and not in an ordinary fit under mpirun).
bool in_data_parallel_step();
class DataParallelStepScope {
 public:
  DataParallelStepScope();
  ~DataParallelStepScope();
  DataParallelStepScope(const DataParallelStepScope&) = delete;
  DataParallelStepScope& operator=(const DataParallelStepScope&) = delete;

 private:
  bool saved_;
};

/// Adds to the allreduce counters (calls, bytes, seconds waited).
void count_allreduce(std::size_t bytes, double seconds, std::size_t calls = 1);

}  // namespace xkeras::distributed::detail
