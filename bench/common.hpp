// Shared plumbing of the whole-run benchmarks: command-line options, the BLAS thread count, the
// timing protocol (warm-up, then repeats; min and median), peak RSS and the RESULT line format that
// bench/torch_common.py prints too, so scripts/bench.sh can put both sides in one table.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bench {

/// `--key value` or `--key=value` options; anything else is an error (exits with a usage message).
class Args {
 public:
  Args(int argc, char** argv, const std::string& usage);
  int get_int(const std::string& key, int fallback) const;
  std::string get(const std::string& key, const std::string& fallback) const;

 private:
  std::map<std::string, std::string> values_;
  std::string usage_;
};

/// `--threads N` (N >= 1), or `--threads default`, returned as 0: the library picks its own count
/// (the program must then not call set_num_threads; scripts leave OMP_NUM_THREADS and
/// OPENBLAS_NUM_THREADS unset).
int parse_threads(const Args& args);

/// n >= 1: xkeras::set_num_threads(n) (OpenBLAS's and OpenMP's threads); 0: leaves xkeras's default.
/// Returns xkeras::num_threads().
int set_threads(int n);

/// How many steps ran at each thread count (xkeras::num_threads() after each step): with the
/// default, xkeras's contention governor may change the count during a run.
class ThreadTally {
 public:
  void note();
  /// "2" when every step used 2 threads, else "1:120,2:36" (count:steps).
  std::string str() const;

 private:
  std::map<int, long> steps_;
};

/// Wall-clock seconds of each repeat of a timed run.
struct Timing {
  std::vector<double> seconds;
  double others_cores = -1;  // cores other processes kept busy meanwhile (/proc/stat; -1 unknown)
  double min() const;
  double median() const;
};

/// Runs `body` `repeats` times, timing each run with steady_clock (and the other processes' CPU use).
Timing time_repeats(int repeats, const std::function<void()>& body);

/// Peak resident set size of this process so far, in MiB (getrusage ru_maxrss).
double peak_rss_mib();
/// Current resident set size in MiB (/proc/self/statm); 0 if unavailable.
double current_rss_mib();

/// One machine-readable line: "RESULT key=value key=value ...", in the given order.
using Fields = std::vector<std::pair<std::string, std::string>>;
void print_result(const Fields& fields);

/// Number formatting for RESULT fields ("%.6g").
std::string num(double v);

/// Fields every RESULT line carries: side, threads, timing (min/median seconds, samples/s from
/// the min and the median), peak RSS, the RSS once the data was ready (`data_rss_mib`, measured by
/// the caller before the model ran), the RSS now (`end_rss_mib`, after the timed run) and the
/// OPENBLAS_CORETYPE in force. `threads` is parse_threads's value ("default" for 0); `threads_used`
/// is a ThreadTally's summary; thread_mode says whether xkeras chose the count ("auto") or not.
Fields common_fields(const std::string& workload, int threads, std::size_t samples_per_repeat, const Timing& t,
                     double data_rss_mib, const std::string& threads_used);

}  // namespace bench
