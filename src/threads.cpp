#include "xkeras/threads.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cpu_contention.hpp"
#include "kernels/gemm.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {
namespace {

using std::int64_t;
constexpr int64_t kMs = 1000000;        // nanoseconds
constexpr int64_t kPeriod = 200 * kMs;  // between two readings of /proc/stat (~20 µs each)
constexpr int64_t kFirst = 60 * kMs;    // after a first guess that had no window (~6 ticks per CPU)
constexpr int64_t kActive = 1000 * kMs; // a thread whose last step is older than this is not running a model

enum Mode : int { kAuto, kExplicit, kEnvironment };

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

// When a thread last stepped, and the time between its last two steps; written by its own thread,
// read by whichever thread takes the next reading.
struct Slot {
  std::atomic<int64_t> last{0}, gap{0};
};

struct State {
  std::atomic<int> mode{kAuto};
  std::atomic<int> chosen{0};       // set_num_threads's n
  std::atomic<unsigned> epoch{0};   // bumped when the mode or the set of threads changes
  int default_threads = 1;          // OpenMP's count at start-up (the CPUs we may use)
  bool debug = false;

  std::mutex mu;  // guards everything below
  std::vector<std::shared_ptr<Slot>> slots;
  detail::CpuSample last;  // the previous reading (!ok: none yet, or no /proc)
  detail::ThreadPolicy policy;
  bool started = false;    // the policy has had its first estimate
  bool provisional = false;  // ... and it was a guess from one reading, to replace after kFirst
  int blas_applied = 0;    // OpenBLAS's count is process-wide: set it only when it changes

  State() {
    default_threads = std::max(1, omp_get_max_threads());
    policy.reset(default_threads, -1);
    debug = env_set("XKERAS_THREADS_DEBUG");
    if (env_set("OMP_NUM_THREADS") || env_set("OPENBLAS_NUM_THREADS")) mode = kEnvironment;
    else last = detail::sample_cpu();  // the window up to the first step gives the first estimate
  }
};

// Never destroyed: threads may still step (or exit) while statics are torn down.
State& state() {
  static State* s = new State();
  return *s;
}
[[maybe_unused]] const bool kStartWindow = (state(), true);  // open the first window at load time

struct Local {
  std::shared_ptr<Slot> slot = std::make_shared<Slot>();
  int64_t next_check = 0;
  unsigned epoch = ~0u;
  int applied = 0;  // what this thread last passed to omp_set_num_threads (0: nothing yet)

  Local() {
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mu);
    s.slots.push_back(slot);
  }
  ~Local() {
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mu);
    s.slots.erase(std::remove(s.slots.begin(), s.slots.end(), slot), s.slots.end());
    s.epoch.fetch_add(1);  // the others' shares grow
  }
};

Local& local() {
  thread_local Local l;
  return l;
}

void apply_omp(Local& me, int n) {
  if (me.applied == n) return;
  omp_set_num_threads(n);  // the calling thread's count; oneDNN reads it per call
  me.applied = n;
}

void apply_blas(State& s, int n) {  // with s.mu held
  if (s.blas_applied == n) return;
  kernels::set_blas_threads(n);
  s.blas_applied = n;
}

// Takes a reading when the last is old enough and feeds the policy. With s.mu held.
// The first estimate is the window from load to the first step. When the first step comes too soon
// for that (< 50 ms), it is a guess from the runnable tasks now (noisy: any short task counts), so
// the first window of kFirst replaces it outright instead of voting.
void observe(State& s, int64_t now) {
  if (s.started && s.last.ok && now - int64_t(s.last.wall * 1e9) < (s.provisional ? kFirst : kPeriod)) return;
  const detail::CpuSample cur = detail::sample_cpu();
  if (!cur.ok) {  // no /proc: keep OpenMP's default
    s.started = true;
    s.provisional = false;
    return;
  }
  const int before = s.policy.threads(), max = std::min(s.default_threads, cur.cpus);
  double others = detail::others_between(s.last, cur);
  if (!s.started || s.provisional) {
    if (others >= 0) {
      s.policy.reset(max, cur.cpus - others);
      s.provisional = false;
    } else if (!s.started) {
      others = detail::others_now(cur);
      s.policy.reset(max, others < 0 ? -1 : cur.cpus - others);
      s.provisional = true;
    } else {
      return;  // window still too short: keep the older reading
    }
    s.started = true;
  } else if (others >= 0) {
    s.policy.update(cur.cpus - others);
  } else {
    return;  // window too short: keep the older reading
  }
  s.last = cur;
  if (s.debug && s.policy.threads() != before)
    std::fprintf(stderr, "xkeras threads: other processes use %.2f of %d cores -> %d threads\n", others, cur.cpus,
                 s.policy.threads());
}

int active_threads(State& s, int64_t now) {  // with s.mu held
  int n = 0;
  for (const auto& slot : s.slots) {
    const int64_t last = slot->last.load(std::memory_order_relaxed);
    // Slow steps (seconds each) keep a thread counted longer; a gap that was a pause must not for long.
    const int64_t window = std::clamp(3 * slot->gap.load(std::memory_order_relaxed), kActive, 10 * kActive);
    if (last != 0 && now - last <= window) ++n;
  }
  return std::max(n, 1);
}

void adapt_slow(State& s, Local& me, int64_t now) {
  me.epoch = s.epoch.load(std::memory_order_acquire);
  me.next_check = now + kPeriod;
  const int mode = s.mode.load(std::memory_order_acquire);
  if (mode == kExplicit) {
    apply_omp(me, s.chosen.load(std::memory_order_relaxed));
    return;
  }
  if (mode != kAuto) return;
  int share;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    observe(s, now);
    if (s.provisional) me.next_check = now + kFirst;
    const int active = active_threads(s, now);
    share = std::max(1, s.policy.threads() / active);
    apply_blas(s, share);
    if (s.debug && share != me.applied && me.applied != 0)
      std::fprintf(stderr, "xkeras threads: %d threads for this model (%d running at once)\n", share, active);
  }
  apply_omp(me, share);
}

}  // namespace

void adapt_threads() {
  State& s = state();
  if (s.mode.load(std::memory_order_relaxed) == kEnvironment) return;
  Local& me = local();
  const int64_t now = now_ns();
  const int64_t last = me.slot->last.load(std::memory_order_relaxed);
  if (last != 0) me.slot->gap.store(now - last, std::memory_order_relaxed);
  me.slot->last.store(now, std::memory_order_relaxed);
  if (last == 0 || now - last > kActive) s.epoch.fetch_add(1, std::memory_order_relaxed);  // others share now
  if (now < me.next_check && me.epoch == s.epoch.load(std::memory_order_relaxed)) return;
  adapt_slow(s, me, now);
}

void set_num_threads(int n) {
  if (n < 0)
    throw ValueError("set_num_threads: expected a positive thread count (or 0 for automatic), got " +
                     std::to_string(n));
  State& s = state();
  Local& me = local();  // before the lock: a thread's first Local registers itself under it
  std::lock_guard<std::mutex> lock(s.mu);
  if (n == 0) {
    s.mode.store(kAuto, std::memory_order_release);
    s.blas_applied = 0;  // the next step sets both counts
    me.applied = 0;
  } else {
    s.chosen.store(n, std::memory_order_relaxed);
    s.mode.store(kExplicit, std::memory_order_release);
    apply_blas(s, n);
    omp_set_num_threads(n);
    me.applied = n;
  }
  s.epoch.fetch_add(1, std::memory_order_release);  // every stepping thread re-checks at its next step
}

int num_threads() {
  const State& s = state();
  if (s.mode.load(std::memory_order_acquire) == kExplicit) return s.chosen.load(std::memory_order_relaxed);
  return omp_get_max_threads();
}

bool automatic_threads() { return state().mode.load(std::memory_order_acquire) == kAuto; }

}  // namespace xkeras
