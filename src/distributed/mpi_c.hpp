// MPI's C API only: OpenMPI's and MPICH's mpi.h also pull in their C++ bindings (removed from the MPI
// standard) unless told not to, and libxkeras links the C library alone.
#pragma once

#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
