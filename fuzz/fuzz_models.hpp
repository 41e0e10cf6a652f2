// The fixed models the weight-file fuzz targets load weights into, shared with make_corpus.cpp so that
// the seeds (their save_weights / save files) match them: same architecture, same layer names.
// Each builder starts with clear_session(), so the automatic names are the same in every process.
#pragma once

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

namespace xkeras_fuzz {

/// Input(4) -> Dense(3, relu) -> Dense(2): weights by position and, in legacy files, by name.
inline xkeras::Model weights_model_dense() {
  using namespace xkeras;
  clear_session();
  return Sequential({layers::Input({4}), layers::Dense(3, "relu"), layers::Dense(2)}, "fuzz_dense");
}

/// The Keras 3 layout's harder parts: a nested Sequential (layers/<model>/layers/...), Conv2D,
/// BatchNormalization (non-trainable variables), and Adam's optimizer/vars (compiled, one step taken
/// so every slot exists).
inline xkeras::Model weights_model_nested() {
  using namespace xkeras;
  clear_session();
  auto x = Input({4, 4, 2});
  auto h = layers::Flatten()(layers::BatchNormalization()(layers::Conv2D(2, 3)(x)));
  Sequential head({layers::Input({8}), layers::Dense(3, "relu"), layers::Dense(2)}, "head");
  Model m(x, head(h), "fuzz_nested");
  m.compile(optimizers::Adam(1e-3f), "mse");
  std::vector<float> xs(2 * 4 * 4 * 2), ys(2 * 2);
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = 0.1f * static_cast<float>(static_cast<int>(i % 7) - 3);
  for (std::size_t i = 0; i < ys.size(); ++i) ys[i] = 0.5f * static_cast<float>(i % 2);
  m.train_on_batch(Tensor::from({2, 4, 4, 2}, xs), Tensor::from({2, 2}, ys));
  return m;
}

/// Recurrent cells (Keras 3 keeps an LSTM's variables at layers/lstm/cell/vars) and an Embedding.
inline xkeras::Model weights_model_recurrent() {
  using namespace xkeras;
  clear_session();
  auto ids = Input({5}, DType::int32);
  auto h = layers::LSTM(3)(layers::Embedding(10, 4)(ids));
  return Model(ids, layers::Dense(1)(h), "fuzz_recurrent");
}

}  // namespace xkeras_fuzz
