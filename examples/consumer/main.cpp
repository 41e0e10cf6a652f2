// A program that uses an INSTALLED xkeras: fits y = 2x - 1 on five samples and predicts x = 10.
// Built by CMakeLists.txt (find_package) or build_with_pkg_config.sh (pkg-config); see README.md.
#include <cstdio>

#include <xkeras/xkeras.hpp>

using namespace xkeras;

int main() {
  set_random_seed(1);  // the same starting weights every run
  Sequential model({layers::Input({1}), layers::Dense(1)});
  model.compile(optimizers::SGD(0.1f), "mse");

  const Tensor x = Tensor::from({5, 1}, {-1, 0, 1, 2, 3});
  const Tensor y = Tensor::from({5, 1}, {-3, -1, 1, 3, 5});
  model.fit(x, y, {.epochs = 300, .batch_size = 5, .verbose = 0});

  const Tensor p = model.predict(Tensor::from({1, 1}, {10}));
  std::printf("xkeras consumer: predict(10) = %.3f\n", p.data()[0]);
  return 0;
}
