// Saving and loading Keras files from several threads at once: libhdf5 and libzip calls go through
// one process-wide lock (saving/h5_internal.hpp), so four threads writing and reading .keras and
// .weights.h5 files get back exactly what each wrote. scripts/check.sh runs this under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

TEST_CASE("threads: four threads save and load .keras and .weights.h5 files at once") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "concurrent_saving";
  fs::create_directories(dir);
  constexpr int kThreads = 4;
  std::vector<Sequential> models;
  for (int i = 0; i < kThreads; ++i) {
    Sequential m({layers::Input({5}), layers::Dense(7, {.activation = "relu"}), layers::Dense(3)});
    auto w = m.get_weights();
    for (auto& a : w)
      for (auto& v : a) v = float(i + 1) * 0.01f * float(&v - a.data() + 1);
    m.set_weights(w);
    models.push_back(m);
  }
  std::atomic<int> ready{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      try {
        for (int round = 0; round < 3; ++round) {
          const std::string base = (dir / ("m" + std::to_string(i))).string();
          models[i].save(base + ".keras");
          models[i].save_weights(base + ".weights.h5");
          const Model back = load_model(base + ".keras");
          Sequential fresh({layers::Input({5}), layers::Dense(7, {.activation = "relu"}), layers::Dense(3)});
          fresh.load_weights(base + ".weights.h5");
          if (back.get_weights() != models[i].get_weights() || fresh.get_weights() != models[i].get_weights()) ++failures;
        }
      } catch (...) {
        ++failures;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(failures.load() == 0);
}
