#include "k3_helpers.hpp"

#include <cstring>
#include <random>

#include <catch2/catch.hpp>

#include "wild/wild_dir.hpp"

#include "xkeras/layers/batch_normalization.hpp"
#include "xkeras/layers/bidirectional.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/dropout.hpp"
#include "xkeras/layers/embedding.hpp"
#include "xkeras/layers/gru.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/layer_normalization.hpp"
#include "xkeras/layers/lstm.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/layers/multi_head_attention.hpp"
#include "xkeras/layers/simple_rnn.hpp"
#include "xkeras/layers/time_distributed.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/tape.hpp"

namespace k3test {

namespace fs = std::filesystem;

std::string scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(XKERAS_BINARY_DIR) / "tests" / "saving_keras3_scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

fs::path wild_dir() {
  const fs::path dir = wildtest::shared_dir() / "wild_keras_files";
  if (!fs::is_directory(dir)) throw std::runtime_error("wild_keras_files not found at " + dir.string());
  return dir;
}

void randomize_weights(const Model& m, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const auto& v : m->weights())
    for (auto& x : v->value.mutable_value()) x = dist(gen);
}

Tensors run(const Model& m, const Tensors& xs) {
  NoGrad no_grad;
  return (*m)(xs, false);
}

bool bit_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), 4 * a.size()) == 0;
}

bool same_weights(const Model& a, const Model& b) {
  const auto wa = a->weights(), wb = b->weights();
  if (wa.size() != wb.size()) return false;
  for (std::size_t i = 0; i < wa.size(); ++i)
    if (!bit_equal(wa[i]->value, wb[i]->value)) return false;
  return true;
}

std::string config_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected a ConfigError, got: " << e.what());
  }
  FAIL("expected a ConfigError, nothing was thrown");
  return "";
}

Tensors inputs_for(const Model& m, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  Tensors xs;
  for (const auto& in : m->inputs()) {
    Shape s{2};
    for (std::size_t i = 1; i < in.shape().size(); ++i) s.push_back(in.shape()[i] < 0 ? 5 : std::size_t(in.shape()[i]));
    if (in.dtype() == DType::int32) {
      std::vector<std::int32_t> ids(shape_size(s));
      for (auto& id : ids) id = static_cast<std::int32_t>(gen() % 8);
      xs.push_back(Tensor::from_ints(s, ids));
    } else {
      Tensor t = Tensor::zeros(s);
      for (std::size_t k = 0; k < t.size(); ++k) t.data()[k] = dist(gen);
      xs.push_back(t);
    }
  }
  return xs;
}

Model sequential_mlp() {
  Sequential m({layers::Input({5}), layers::Dense(4, "relu"), layers::BatchNormalization(), layers::Dropout(0.25),
                layers::Dense(2)},
               "mlp");
  randomize_weights(m, 1);
  return m;
}

Model functional_two_inputs() {
  auto a = Input({3}, "a"), b = Input({4}, "b");
  auto h = layers::Concatenate()({layers::Dense(3, "tanh")(a), layers::Dense(2)(b)});
  Model m({a, b}, layers::Dense(2)(h), "two_inputs");
  randomize_weights(m, 2);
  return m;
}

Model nested_models() {
  Sequential inner_seq({layers::Input({4}), layers::Dense(3, "relu"), layers::Dense(3)}, "inner_seq");
  auto i = Input({3});
  Model inner_fn(i, layers::Dense(2)(i), "inner_fn");
  auto x = Input({4});
  Model m(x, layers::Dense(1)(inner_fn(inner_seq(x))), "outer");
  randomize_weights(m, 3);
  return m;
}

Model recurrent_stack() {
  auto x = Input({6, 3});
  auto h = layers::LSTM(4, {.return_sequences = true})(x);
  h = layers::GRU(3, {.return_sequences = true})(h);
  h = layers::Bidirectional(layers::SimpleRNN(2, {.return_sequences = true}))(h);
  Model m(x, layers::TimeDistributed(layers::Dense(2))(h), "recurrent");
  randomize_weights(m, 4);
  return m;
}

Model attention_model() {
  auto ids = Input({6}, DType::int32);
  auto e = layers::Embedding(8, 4)(ids);
  auto a = layers::MultiHeadAttention(2, 3)({e, e});
  auto n = layers::LayerNormalization()(a);
  Model m(ids, layers::Dense(3)(n), "attention");
  randomize_weights(m, 5);
  return m;
}

Model trained_adam_mlp() { return trained_mlp(optimizers::Adam(0.01f)); }

Model trained_mlp(const Optimizer& optimizer) {
  // No Dropout: two copies must take the same next training step.
  Sequential m({layers::Input({5}), layers::Dense(4, "relu"), layers::BatchNormalization(), layers::Dense(2)}, "mlp");
  randomize_weights(m, 1);
  m.compile(optimizer, "mse");
  Tensor x = inputs_for(m, 7)[0], y = Tensor::zeros({2, 2});
  for (int i = 0; i < 3; ++i) m.train_on_batch(x, y);
  return m;
}

}  // namespace k3test
