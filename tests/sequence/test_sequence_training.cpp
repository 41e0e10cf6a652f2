// The sequence layers inside training: int32 token ids through fit, masks on the way, and the learned
// model saved and loaded back.
#include <catch2/catch.hpp>

#include <random>

#include <xkeras/layers.hpp>
#include <xkeras/layers/lstm.hpp>
#include <xkeras/losses.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/optimizers.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;

namespace {

// Sequences of ids in [1, 10) padded with zeros at the end; the label says whether id 7 occurs.
void toy_data(std::size_t n, std::size_t t, Tensor& x, Tensor& y) {
  std::mt19937 rng(5);
  std::vector<std::int32_t> ids(n * t, 0);
  std::vector<float> labels(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = 2 + rng() % (t - 1);
    for (std::size_t j = 0; j < len; ++j) {
      ids[i * t + j] = static_cast<std::int32_t>(1 + rng() % 9);
      if (ids[i * t + j] == 7) labels[i] = 1.0f;
    }
  }
  x = Tensor::from_ints({n, t}, ids);
  y = Tensor::from({n, 1}, labels);
}

}  // namespace

TEST_CASE("Training: Embedding(mask_zero) -> masked mean -> Dense learns from int32 ids") {
  set_random_seed(11);
  Tensor x, y;
  toy_data(256, 8, x, y);
  auto in = Input({8}, DType::int32);
  auto h = layers::Embedding(10, 8, {.mask_zero = true})(in);
  h = layers::TimeDistributed(layers::Dense(8, "relu"))(h);
  h = layers::GlobalAveragePooling1D()(layers::Masking()(h));
  auto out = layers::Dense(1, "sigmoid")(h);
  Model m(in, out);
  m.compile(optimizers::Adam(0.02), "binary_crossentropy");
  const History hist = m.fit(x, y, {.epochs = 15, .batch_size = 32, .verbose = 0});
  const auto& loss = hist["loss"];
  INFO("first loss " << loss.front() << ", last " << loss.back());
  CHECK(loss.back() < 0.5 * loss.front());
  // the trained model survives the JSON round trip with its weights
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  check_close(again.predict(x), m.predict(x).to_vector(), 1e-6);
}

TEST_CASE("Training: Embedding -> Bidirectional(LSTM) -> Dense learns from int32 ids") {
  set_random_seed(12);
  Tensor x, y;
  toy_data(128, 6, x, y);
  auto in = Input({6}, DType::int32);
  auto h = layers::Embedding(10, 6)(in);
  h = layers::Bidirectional(layers::LSTM(6))(h);
  auto out = layers::Dense(1, "sigmoid")(h);
  Model m(in, out);
  m.compile(optimizers::Adam(0.02), "binary_crossentropy");
  const History hist = m.fit(x, y, {.epochs = 12, .batch_size = 32, .verbose = 0});
  const auto& loss = hist["loss"];
  INFO("first loss " << loss.front() << ", last " << loss.back());
  CHECK(loss.back() < 0.7 * loss.front());
}
