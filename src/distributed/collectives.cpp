// The collectives behind xkeras::distributed: each is MPI's nonblocking form polled to completion, so a
// missing rank ends in a message naming the operation (wait_mpi's timeout) instead of a hang.
#include "distributed/mpi_c.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <unordered_map>

#include "distributed/mpi_runtime.hpp"
#include "distributed/mpi_state.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::distributed {

namespace {

using detail::state;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// MPI counts are ints: larger buffers go in pieces.
constexpr std::size_t kMaxCount = INT_MAX / 2;

template <class T>
void allreduce(T* data, std::size_t n, MPI_Datatype type, MPI_Op op, const char* what) {
  if (!state().running || state().size == 1 || n == 0) return;
  std::lock_guard<std::mutex> lock(detail::mpi_mutex());
  const auto t0 = clock_type::now();
  for (std::size_t done = 0; done < n; done += kMaxCount) {
    MPI_Request q;
    MPI_Iallreduce(MPI_IN_PLACE, data + done, static_cast<int>(std::min(kMaxCount, n - done)), type, op, state().world, &q);
    detail::wait_mpi(&q, what);
  }
  detail::count_allreduce(n * sizeof(T), seconds_since(t0));
}

}  // namespace

void barrier(const char* what) {
  if (!state().running || state().size == 1) return;
  std::lock_guard<std::mutex> lock(detail::mpi_mutex());
  MPI_Request q;
  MPI_Ibarrier(state().world, &q);
  detail::wait_mpi(&q, what);
}

void allreduce_sum(float* data, std::size_t n, const char* what) { allreduce(data, n, MPI_FLOAT, MPI_SUM, what); }
void allreduce_sum(double* data, std::size_t n, const char* what) { allreduce(data, n, MPI_DOUBLE, MPI_SUM, what); }
void allreduce_max(double* data, std::size_t n, const char* what) { allreduce(data, n, MPI_DOUBLE, MPI_MAX, what); }

void broadcast(void* data, std::size_t bytes, int root, const char* what) {
  if (!state().running || state().size == 1 || bytes == 0) return;
  std::lock_guard<std::mutex> lock(detail::mpi_mutex());
  const auto t0 = clock_type::now();
  auto* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes; done += kMaxCount) {
    MPI_Request q;
    MPI_Ibcast(p + done, static_cast<int>(std::min(kMaxCount, bytes - done)), MPI_BYTE, root, state().world, &q);
    detail::wait_mpi(&q, what);
  }
  Stats& s = state().stats;
  ++s.broadcast_calls;
  s.broadcast_bytes += bytes;
  s.broadcast_seconds += seconds_since(t0);
}

Stats stats() { return state().stats; }
void reset_stats() { state().stats = Stats(); }

namespace detail {

namespace {
thread_local bool data_parallel_step = false;
}  // namespace

bool in_data_parallel_step() { return data_parallel_step; }
DataParallelStepScope::DataParallelStepScope() : saved_(data_parallel_step) { data_parallel_step = state().size > 1; }
DataParallelStepScope::~DataParallelStepScope() { data_parallel_step = saved_; }

namespace {
// Requests started by start_allreduce_sum, by id (the gradient buckets keep a few in flight).
std::unordered_map<Request, MPI_Request>& requests() {
  static std::unordered_map<Request, MPI_Request> r;
  return r;
}
Request next_id = 0;
}  // namespace

void count_allreduce(std::size_t bytes, double seconds, std::size_t calls) {
  Stats& s = state().stats;
  s.allreduce_calls += calls;
  s.allreduce_bytes += bytes;
  s.allreduce_seconds += seconds;
}

Request start_allreduce_sum(float* data, std::size_t n) {
  if (!state().running || state().size == 1 || n == 0) return 0;
  if (n > kMaxCount) throw ValueError("distributed: a gradient bucket of " + std::to_string(n) + " floats is too large");
  std::lock_guard<std::mutex> lock(mpi_mutex());
  MPI_Request q;
  MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(n), MPI_FLOAT, MPI_SUM, state().world, &q);
  const Request id = ++next_id;
  requests()[id] = q;
  return id;
}

bool test(Request r) {
  if (r == 0) return true;
  std::lock_guard<std::mutex> lock(mpi_mutex());
  auto it = requests().find(r);
  if (it == requests().end()) return true;
  int done = 0;
  MPI_Test(&it->second, &done, MPI_STATUS_IGNORE);
  if (done) requests().erase(it);
  return done != 0;
}

void wait(Request r, const char* what) {
  if (r == 0) return;
  std::lock_guard<std::mutex> lock(mpi_mutex());
  auto it = requests().find(r);
  if (it == requests().end()) return;
  wait_mpi(&it->second, what);
  requests().erase(it);
}

}  // namespace detail

}  // namespace xkeras::distributed
