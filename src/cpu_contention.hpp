// How busy the CPUs are with other processes' work, and the rule that turns that into a thread
// count. Private to src/; threads.cpp calls these from its per-step hook (xkeras::adapt_threads).
#pragma once

namespace xkeras::detail {

/// One reading of the CPU counters. Differences of two readings give the cores other processes
/// kept busy in between: (busy time of our CPUs - our own CPU time) / wall time.
struct CpuSample {
  bool ok = false;         // false: /proc/stat unreadable (no /proc); callers keep their count
  double wall = 0;         // steady_clock, seconds
  double busy = 0;         // CPU-seconds not idle on the CPUs this thread may run on (all processes)
  double own = 0;          // CPU-seconds this process has used (all its threads)
  int cpus = 0;            // CPUs in this thread's affinity mask
  int procs_running = -1;  // runnable tasks right now, system-wide (-1: unknown)
};

/// Reads /proc/stat (only the CPUs in sched_getaffinity; user + nice + system + irq + softirq +
/// steal count as busy) and this process's CPU clock. About 20 µs.
CpuSample sample_cpu();

/// Cores other processes kept busy between two samples, in [0, cpus]; -1 when either is unusable or
/// the window is too short for the 10 ms tick counters to mean anything.
double others_between(const CpuSample& before, const CpuSample& after);

/// A guess from one sample (no window yet): runnable tasks now minus this process's running
/// threads. -1 when unknown.
double others_now(const CpuSample& now);

/// Hysteresis from "cores others use" to our thread budget. Quick to drop (an oversubscribed core
/// made steps 35x slower), slow to rise (a thread too few costs at most the parallel speed-up):
/// a core counts as free for keeping a thread when at least 60% of it is free, and for adding one
/// when at least 80% is, two windows in a row.
class ThreadPolicy {
 public:
  explicit ThreadPolicy(int max_threads = 1);
  /// Starts from one estimate with no history (free_cores < 0: unknown, take the maximum).
  int reset(int max_threads, double free_cores);
  /// Feeds one window's estimate of the cores left to us (< 0: unknown); returns the budget.
  int update(double free_cores);
  int threads() const { return current_; }
  int max_threads() const { return max_; }

 private:
  int max_ = 1, current_ = 1, rise_votes_ = 0;
};

}  // namespace xkeras::detail
