#include "cpu_contention.hpp"

#include <dirent.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace xkeras::detail {
namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double process_cpu_seconds() {
  timespec ts{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return -1;
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Runnable threads of this process now ('R' in /proc/self/task/*/stat); -1 when unreadable.
int own_running_threads() {
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return -1;
  int running = 0;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[300], buf[512];
    std::snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
    std::FILE* f = std::fopen(path, "r");
    if (!f) continue;
    const std::size_t got = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[got] = '\0';
    // "tid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
    const char* close = std::strrchr(buf, ')');
    if (close && close[1] == ' ' && close[2] == 'R') ++running;
  }
  closedir(dir);
  return running;
}

}  // namespace

CpuSample sample_cpu() {
  CpuSample s;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  const bool have_mask = sched_getaffinity(0, sizeof mask, &mask) == 0;
  std::FILE* f = std::fopen("/proc/stat", "r");
  if (!f) return s;
  const long hz = sysconf(_SC_CLK_TCK);
  unsigned long long busy_ticks = 0;
  char line[512];
  bool at_line_start = true;  // fgets splits long lines ("intr ..."); only parse real line starts
  while (std::fgets(line, sizeof line, f)) {
    const bool starts = at_line_start;
    at_line_start = std::strchr(line, '\n') != nullptr;
    if (!starts) continue;
    if (std::strncmp(line, "cpu", 3) == 0 && line[3] >= '0' && line[3] <= '9') {
      int cpu = -1;
      unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
      const int n = std::sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice, &system,
                                &idle, &iowait, &irq, &softirq, &steal);
      if (n < 5 || cpu < 0) continue;
      if (have_mask && (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &mask))) continue;
      // guest time is already inside user; steal is time the hypervisor gave to someone else.
      busy_ticks += user + nice + system + irq + softirq + steal;
      ++s.cpus;
    } else if (std::strncmp(line, "procs_running ", 14) == 0) {
      s.procs_running = std::atoi(line + 14);
    }
  }
  std::fclose(f);
  s.own = process_cpu_seconds();
  s.wall = steady_seconds();
  s.busy = hz > 0 ? double(busy_ticks) / double(hz) : 0;
  s.ok = s.cpus > 0 && hz > 0 && s.own >= 0;
  return s;
}

double others_between(const CpuSample& before, const CpuSample& after) {
  if (!before.ok || !after.ok || before.cpus != after.cpus) return -1;
  const double dt = after.wall - before.wall;
  if (dt < 0.05) return -1;  // a few 10 ms ticks: too coarse
  const double others = ((after.busy - before.busy) - (after.own - before.own)) / dt;
  return std::clamp(others, 0.0, double(after.cpus));
}

double others_now(const CpuSample& now) {
  if (!now.ok || now.procs_running < 0) return -1;
  const int ours = own_running_threads();
  if (ours < 0) return -1;
  // procs_running counts every CPU, not just ours: an upper bound, which the first window corrects.
  return std::clamp(double(now.procs_running - std::max(ours, 1)), 0.0, double(now.cpus));
}

ThreadPolicy::ThreadPolicy(int max_threads) : max_(std::max(1, max_threads)), current_(max_) {}

int ThreadPolicy::reset(int max_threads, double free_cores) {
  max_ = std::max(1, max_threads);
  rise_votes_ = 0;
  current_ = free_cores < 0 ? max_ : std::clamp(int(std::floor(free_cores + 0.4)), 1, max_);
  return current_;
}

int ThreadPolicy::update(double free_cores) {
  if (free_cores < 0) return current_;  // no usable window: keep the count
  const int keep = std::clamp(int(std::floor(free_cores + 0.4)), 1, max_);
  const int add = std::clamp(int(std::floor(free_cores + 0.2)), 1, max_);
  if (keep < current_) {
    current_ = keep;
    rise_votes_ = 0;
  } else if (add > current_) {
    if (++rise_votes_ >= 2) {
      current_ = add;
      rise_votes_ = 0;
    }
  } else {
    rise_votes_ = 0;
  }
  return current_;
}

}  // namespace xkeras::detail
