// init/finalize, the rank queries, the timeout and abort: the process side of xkeras::distributed.
// Without an MPI launcher nothing here calls MPI, so a plain ./program is rank 0 of 1.
#include "distributed/mpi_runtime.hpp"

#include "distributed/mpi_c.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <unordered_map>

#include "distributed/mpi_state.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::distributed {

namespace detail {

State& state() {
  static State s;
  return s;
}

std::mutex& mpi_mutex() {
  static std::mutex m;
  return m;
}

namespace {

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

double timeout_from_env() {
  const char* v = std::getenv("XKERAS_DISTRIBUTED_TIMEOUT");
  if (!v || !*v) return 300.0;
  char* end = nullptr;
  const double s = std::strtod(v, &end);
  if (end == v || *end != '\0' || !(s > 0))
    throw ValueError(std::string("XKERAS_DISTRIBUTED_TIMEOUT: expected a number of seconds > 0, received \"") + v + "\"");
  return s;
}

// An exception nobody caught on one rank would leave the others waiting in their next collective:
// name the rank and end the job.
[[noreturn]] void terminate_handler() {
  std::string what = "terminate called without an active exception";
  if (auto e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = std::string("uncaught exception: ") + ex.what();
    } catch (...) {
      what = "uncaught exception of unknown type";
    }
  }
  distributed::abort(what, 1);
}

}  // namespace

void wait_mpi(void* request, const char* what) {
  MPI_Request& q = *static_cast<MPI_Request*>(request);
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto deadline = start + std::chrono::duration<double>(state().timeout);
  for (long polls = 0;; ++polls) {
    int done = 0;
    MPI_Test(&q, &done, MPI_STATUS_IGNORE);
    if (done) return;
    // Spin while the peers are about to arrive; then give the core away (ranks may outnumber cores).
    if (polls < 2000) continue;
    const auto now = clock::now();
    if (now > deadline) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", state().timeout);
      distributed::abort(std::string("timed out after ") + buf + " s waiting for the other ranks in " + what +
                         ": a rank died, hung, or called different collectives (raise the limit with "
                         "distributed::set_timeout or XKERAS_DISTRIBUTED_TIMEOUT)");
    }
    if (now - start > std::chrono::milliseconds(5)) std::this_thread::sleep_for(std::chrono::microseconds(50));
    else std::this_thread::yield();
  }
}

}  // namespace detail

using detail::state;

void init(int* argc, char*** argv) {
  detail::State& s = state();
  if (s.running) return;
  if (s.finalized) throw ValueError("distributed::init(): MPI cannot start again after distributed::finalize()");
  s.timeout = detail::timeout_from_env();
  if (!detail::launched_by_mpi()) return;
  std::lock_guard<std::mutex> lock(detail::mpi_mutex());
  // libnbc's ring iallreduce: measured 2.5x faster than its default on 1.8 MB between 2 ranks here
  // (docs/distributed.md); a value set by the user wins.
  setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1", 0);
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
    s.owns_mpi = true;
  }
  MPI_Comm_dup(MPI_COMM_WORLD, &s.world);
  MPI_Comm_rank(s.world, &s.rank);
  MPI_Comm_size(s.world, &s.size);
  MPI_Comm local;
  MPI_Comm_split_type(s.world, MPI_COMM_TYPE_SHARED, s.rank, MPI_INFO_NULL, &local);
  MPI_Comm_rank(local, &s.local_rank);
  MPI_Comm_size(local, &s.local_size);
  MPI_Comm_free(&local);
  s.running = true;
  std::set_terminate(detail::terminate_handler);
  // fit() starts MPI by itself when the program did not: end it at exit, or mpirun reports the
  // process as failed. A no-op after the program's own finalize().
  static bool registered = false;
  if (!registered) std::atexit([] { finalize(); });
  registered = true;
}

void finalize() {
  detail::State& s = state();
  if (!s.running) return;
  // A program that started MPI itself may have ended it already (then our communicator went with it).
  int done = 0;
  MPI_Finalized(&done);
  if (!done) {
    barrier("finalize");
    std::lock_guard<std::mutex> lock(detail::mpi_mutex());
    MPI_Comm_free(&s.world);
    if (s.owns_mpi) MPI_Finalize();
  }
  s.running = false;
  s.finalized = true;
  s.rank = 0;
  s.size = s.local_size = 1;
  s.local_rank = 0;
}

bool initialized() { return state().running; }
int rank() { return state().rank; }
int size() { return state().size; }
int local_rank() { return state().local_rank; }
int local_size() { return state().local_size; }

void set_timeout(double seconds) {
  if (!(seconds > 0)) throw ValueError("distributed::set_timeout: expected seconds > 0, received " + std::to_string(seconds));
  state().timeout = seconds;
}
double timeout() { return state().timeout; }

void abort(const std::string& message, int exit_code) {
  const detail::State& s = state();
  std::fprintf(stderr, "xkeras.distributed: rank %d of %d: %s\n", s.rank, s.size, message.c_str());
  std::fflush(stderr);
  if (s.running) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

}  // namespace xkeras::distributed
