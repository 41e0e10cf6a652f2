// The MPI state of this process (only src/distributed includes it, with <mpi.h>).
#pragma once

#include "distributed/mpi_c.hpp"

#include "xkeras/distributed.hpp"

namespace xkeras::distributed::detail {

struct State {
  bool running = false, finalized = false, owns_mpi = false;
  int rank = 0, size = 1, local_rank = 0, local_size = 1;
  double timeout = 300.0;
  MPI_Comm world = MPI_COMM_NULL;  // a duplicate of MPI_COMM_WORLD: our messages never meet the user's
  Stats stats;
};

State& state();

/// Polls an MPI request until it completes; past the timeout, aborts the job naming `what`.
void wait_mpi(void* request, const char* what);

}  // namespace xkeras::distributed::detail
