// The default thread count: xkeras gives a model the cores other processes leave free, re-checked
// during work (include/xkeras/threads.hpp). The rule is tested on fabricated readings; the whole
// loop against a real competing process that keeps one core busy.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <xkeras/layers.hpp>
#include <xkeras/threads.hpp>
#include <xkeras/xkeras.hpp>

#include "../../src/cpu_contention.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using detail::CpuSample;
using detail::ThreadPolicy;

namespace {

CpuSample reading(double wall, double busy, double own, int cpus = 2) {
  CpuSample s;
  s.ok = true;
  s.wall = wall;
  s.busy = busy;
  s.own = own;
  s.cpus = cpus;
  return s;
}

}  // namespace

TEST_CASE("cores used by others: busy time of our CPUs minus our own, per second of wall time") {
  // 1 s in which the CPUs were busy 1.8 core-seconds, 0.8 of them ours: others used one core.
  CHECK(detail::others_between(reading(10.0, 5.0, 2.0), reading(11.0, 6.8, 2.8)) == Approx(1.0));
  CHECK(detail::others_between(reading(10.0, 5.0, 2.0), reading(10.5, 5.5, 2.5)) == Approx(0.0));
  // Clamped to [0, cpus]: tick rounding can make our own time exceed the busy time.
  CHECK(detail::others_between(reading(0.0, 1.0, 0.0), reading(1.0, 1.0, 0.3)) == 0.0);
  CHECK(detail::others_between(reading(0.0, 0.0, 0.0), reading(1.0, 9.0, 0.0)) == 2.0);
  // Unusable: a window of a few 10 ms ticks, a failed reading, or the CPU set changed.
  CHECK(detail::others_between(reading(0.0, 0.0, 0.0), reading(0.01, 0.02, 0.0)) < 0);
  CpuSample bad = reading(1.0, 1.0, 0.0);
  bad.ok = false;
  CHECK(detail::others_between(reading(0.0, 0.0, 0.0), bad) < 0);
  CHECK(detail::others_between(reading(0.0, 0.0, 0.0, 2), reading(1.0, 1.0, 0.0, 4)) < 0);
}

TEST_CASE("the policy drops a thread at once when a core is more than 40% taken, and adds it back after two free windows") {
  ThreadPolicy p(2);
  CHECK(p.reset(2, 2.0) == 2);
  CHECK(p.update(1.65) == 2);  // 35% of a core taken: keep both
  CHECK(p.update(1.5) == 1);   // 50% taken: drop at once
  CHECK(p.update(1.9) == 1);   // one window with the core 90% free: not yet
  CHECK(p.update(1.7) == 1);   // 70% free does not vote, and resets the count
  CHECK(p.update(1.9) == 1);
  CHECK(p.update(1.85) == 2);  // two free windows in a row
  CHECK(p.update(-1) == 2);    // an unusable window keeps the count
  CHECK(p.update(0.0) == 1);   // never below one
  CHECK(p.reset(4, -1) == 4);  // unknown: the maximum
  CHECK(p.reset(4, 2.5) == 2);
}

TEST_CASE("set_num_threads(n) fixes the count, and set_num_threads(0) returns to the automatic choice") {
  INFO("run without OMP_NUM_THREADS / OPENBLAS_NUM_THREADS in the environment: they fix the count at start-up");
  REQUIRE(automatic_threads());
  set_num_threads(1);
  CHECK(!automatic_threads());
  CHECK(num_threads() == 1);
  // A model trained in another thread runs with the chosen count too.
  int seen = 0;
  std::thread([&] {
    adapt_threads();
    seen = num_threads();
  }).join();
  CHECK(seen == 1);
  CHECK_THROWS_AS(set_num_threads(-1), ValueError);
  set_num_threads(0);
  CHECK(automatic_threads());
}

TEST_CASE("with another process keeping a core busy, predict runs on the cores left") {
  REQUIRE(automatic_threads());
  const int cpus = static_cast<int>(std::thread::hardware_concurrency());
  // Start from every CPU, so that the count below can only come from the automatic choice.
  set_num_threads(cpus);
  set_num_threads(0);
  REQUIRE(num_threads() == cpus);
  const pid_t spinner = ::fork();
  REQUIRE(spinner >= 0);
  if (spinner == 0) {
    for (volatile unsigned long i = 0;; i = i + 1) {
    }
  }
  Sequential model({layers::Input({64}), layers::Dense(64, "relu"), layers::Dense(8)});
  const Tensor x = testing::random_tensor({256, 64}, 3);
  // Steps for up to 10 s: a reading needs a 200 ms window; one core busy must take a thread away.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until && num_threads() >= cpus) model.predict(x, 32);
  const int chosen = num_threads();
  ::kill(spinner, SIGKILL);
  ::waitpid(spinner, nullptr, 0);
  INFO(cpus << " CPUs; one kept busy by another process");
  CHECK(chosen <= std::max(1, cpus - 1));
}
