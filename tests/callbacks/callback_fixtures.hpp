// Small models, data and a temporary folder shared by the callback tests.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "support/gradcheck.hpp"

namespace cbtest {

using namespace xkeras;

inline Model regressor(Optimizer opt, std::uint64_t seed = 3) {
  set_random_seed(seed);
  Sequential m({layers::Input({4}), layers::Dense(6, "tanh"), layers::Dense(1)});
  m.compile(opt, "mse");
  return m;
}

/// x (n, 4) in [-1, 1] and y = sum(x) / 2, seeded.
inline std::pair<Tensor, Tensor> make_data(std::size_t n, unsigned seed = 5) {
  Tensor x = testing::random_tensor({n, 4}, seed);
  Array y = Array::from_shape({n, 1});
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (std::size_t j = 0; j < 4; ++j) s += x.value()(i, j);
    y(i, 0) = s / 2;
  }
  return {x, Tensor(y)};
}

/// A fresh folder under the system's temporary folder, removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag)
      : path(std::filesystem::temp_directory_path() / ("xkeras_cb_" + tag + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace cbtest
