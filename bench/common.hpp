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

/// Sets OpenBLAS's thread count (the library's only threads) and returns what OpenBLAS reports.
int set_threads(int n);

/// Wall-clock seconds of each repeat of a timed run.
struct Timing {
  std::vector<double> seconds;
  double min() const;
  double median() const;
};

/// Runs `body` `repeats` times, timing each run with steady_clock.
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
/// OPENBLAS_CORETYPE in force.
Fields common_fields(const std::string& workload, int threads, std::size_t samples_per_repeat, const Timing& t,
                     double data_rss_mib);

}  // namespace bench
