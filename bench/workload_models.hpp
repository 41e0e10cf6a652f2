// The models of the training workloads, built once for every benchmark that runs them:
// W1 (the seed-004 autoencoder, bench_autoencoder, bench_distributed) and W2 (the seed-003 CNN,
// bench_cnn, bench_distributed). Compiled as in bench/torch_*.py: Adam(1e-3).
#pragma once

#include <string>
#include <vector>

#include <xkeras/layers.hpp>
#include <xkeras/layers/batch_normalization.hpp>
#include <xkeras/layers/conv2d.hpp>
#include <xkeras/xkeras.hpp>

namespace bench {

/// 784 -> Dense(width, relu) -> Dense(64, relu) -> l2_normalize(axis 1) -> Dense(width, relu) ->
/// Dense(784, sigmoid); MSE.
inline xkeras::Sequential w1_autoencoder(int width) {
  using namespace xkeras;
  Sequential model({layers::Input({784}), layers::Dense(width, "relu"), layers::Dense(64, "relu"),
                    layers::Lambda("l2_normalize", {{"axis", 1}}), layers::Dense(width, "relu"),
                    layers::Dense(784, "sigmoid")},
                   "autoencoder");
  model.compile(optimizers::Adam(1e-3f), "mse");
  return model;
}

/// [Conv 1->8, BN, relu, Conv 8->8, BN, relu, Conv 8->8 stride 2, BN, relu], the same with 32
/// filters, [Conv 32->64, BN, relu, Conv 64->64, BN, relu], Flatten, Dense(10); every Conv 3x3
/// 'same' with bias; sparse categorical crossentropy from logits. `synchronized`: the BNs' option.
inline xkeras::Sequential w2_cnn(bool synchronized = false) {
  using namespace xkeras;
  std::vector<LayerPtr> stack{layers::Input({28, 28, 1})};
  const auto block = [&](int filters, bool pool) {
    for (int i = 0; i < (pool ? 3 : 2); ++i) {
      const int stride = (pool && i == 2) ? 2 : 1;
      stack.push_back(layers::Conv2D(filters, 3, {.strides = stride, .padding = "same"}));
      stack.push_back(layers::BatchNormalization(layers::BatchNormalizationOptions().with_synchronized(synchronized)));
      stack.push_back(layers::Activation("relu"));
    }
  };
  block(8, true);
  block(32, true);
  block(64, false);
  stack.push_back(layers::Flatten());
  stack.push_back(layers::Dense(10));
  Sequential model(stack, "cnn");
  model.compile(optimizers::Adam(1e-3f), losses::SparseCategoricalCrossentropy(true));
  return model;
}

}  // namespace bench
