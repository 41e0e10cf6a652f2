#include "common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <cblas.h>

#include "cpu_contention.hpp"
#include "kernels/gemm.hpp"
#include "xkeras/threads.hpp"

namespace bench {

Args::Args(int argc, char** argv, const std::string& usage) : usage_(usage) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << usage_ << "\n";
      std::exit(0);
    }
    if (a.rfind("--", 0) != 0) {
      std::cerr << "unexpected argument '" << a << "'\n" << usage_ << "\n";
      std::exit(2);
    }
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      values_[a.substr(2, eq - 2)] = a.substr(eq + 1);
    } else if (i + 1 < argc) {
      values_[a.substr(2)] = argv[++i];
    } else {
      std::cerr << "option '" << a << "' needs a value\n" << usage_ << "\n";
      std::exit(2);
    }
  }
}

int Args::get_int(const std::string& key, int fallback) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  try {
    std::size_t used = 0;
    const int v = std::stoi(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  std::cerr << "--" << key << ": expected an integer, got '" << it->second << "'\n" << usage_ << "\n";
  std::exit(2);
}

std::string Args::get(const std::string& key, const std::string& fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

int parse_threads(const Args& args) {
  if (args.get("threads", "1") == "default") return 0;
  const int n = args.get_int("threads", 1);
  if (n < 1) {
    std::cerr << "--threads: expected a positive count or 'default', got " << n << "\n";
    std::exit(2);
  }
  return n;
}

int set_threads(int n) {
  if (n > 0) xkeras::set_num_threads(n);  // OpenBLAS's and OpenMP's (oneDNN's) threads
  return xkeras::num_threads();
}

void ThreadTally::note() { ++steps_[xkeras::num_threads()]; }

std::string ThreadTally::str() const {
  if (steps_.size() == 1) return std::to_string(steps_.begin()->first);
  std::string s;
  for (const auto& [threads, steps] : steps_) s += (s.empty() ? "" : ",") + std::to_string(threads) + ":" + std::to_string(steps);
  return s.empty() ? "-" : s;
}

double Timing::min() const { return seconds.empty() ? 0.0 : *std::min_element(seconds.begin(), seconds.end()); }

double Timing::median() const {
  if (seconds.empty()) return 0.0;
  std::vector<double> s = seconds;
  std::sort(s.begin(), s.end());
  const std::size_t n = s.size();
  return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

Timing time_repeats(int repeats, const std::function<void()>& body) {
  Timing t;
  const xkeras::detail::CpuSample before = xkeras::detail::sample_cpu();
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    t.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  t.others_cores = xkeras::detail::others_between(before, xkeras::detail::sample_cpu());
  return t;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

double current_rss_mib() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0.0;
  long pages = 0, resident = 0;
  const int got = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return got == 2 ? double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0) : 0.0;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void print_result(const Fields& fields) {
  std::string line = "RESULT";
  for (const auto& [k, v] : fields) line += " " + k + "=" + v;
  std::cout << line << std::endl;
}

Fields common_fields(const std::string& workload, int threads, std::size_t samples_per_repeat, const Timing& t,
                     double data_rss_mib, const std::string& threads_used) {
  const char* core = std::getenv("OPENBLAS_CORETYPE");
  const double n = static_cast<double>(samples_per_repeat);
  // XKERAS_GEMM=openblas runs xkeras's Dense products on OpenBLAS instead of oneDNN (kernels/gemm.hpp);
  // such runs are reported as their own side.
  const std::string gemm = xkeras::kernels::gemm_library();
  std::string passes;  // every timed pass, so a report can pool passes over runs
  for (double s : t.seconds) passes += (passes.empty() ? "" : ",") + num(s);
  return {{"side", gemm == "openblas" ? "xkeras-openblas" : "xkeras"},
          {"gemm", gemm},
          {"workload", workload},
          {"threads", threads > 0 ? std::to_string(threads) : "default"},
          {"threads_used", threads_used},
          {"thread_mode", xkeras::automatic_threads() ? "auto" : "fixed"},
          {"samples", std::to_string(samples_per_repeat)},
          {"repeats", std::to_string(t.seconds.size())},
          {"min_s", num(t.min())},
          {"median_s", num(t.median())},
          {"samples_per_s", num(n / t.min())},
          {"samples_per_s_median", num(n / t.median())},
          {"pass_s", passes},
          {"others_cores", num(t.others_cores)},
          {"peak_rss_mib", num(peak_rss_mib())},
          {"data_rss_mib", num(data_rss_mib)},
          {"end_rss_mib", num(current_rss_mib())},
          {"coretype", core && *core ? core : "unset"}};
}

}  // namespace bench
