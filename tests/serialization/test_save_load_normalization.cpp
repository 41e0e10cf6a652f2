// Issue 3: the seed-003 CNN and a LayerNormalization model round-trip exactly through save/load,
// BatchNormalization's moving statistics included.
#include <catch2/catch.hpp>

#include <cstdio>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;

namespace {

Sequential conv_bn_block(int filters) {
  return Sequential({layers::Conv2D(filters, 3, {.padding = "same"}), layers::BatchNormalization(),
                     layers::Activation("relu"), layers::Conv2D(filters, 3, {.strides = {2, 2}, .padding = "same"}),
                     layers::BatchNormalization(), layers::Activation("relu")});
}

void check_same_after_reload(const Model& model, const Tensor& x, const std::string& path) {
  model.save(path);
  Model loaded = load_model(path);
  std::remove(path.c_str());
  const auto a = model->weights(), b = loaded->weights();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i]->path());
    CHECK(a[i]->name == b[i]->name);
    CHECK((a[i]->value.value() == b[i]->value.value()));  // bit-exact, moving statistics too
  }
  CHECK((model.predict(x).value() == loaded.predict(x).value()));
}

}  // namespace

TEST_CASE("seed-003 CNN with nested Sequential blocks: save/load keeps BatchNormalization's moving statistics") {
  set_random_seed(9);
  auto inp = Input({8, 8, 1});
  Sequential body({conv_bn_block(4), conv_bn_block(8)});
  auto y = layers::Lambda("min_max_normalize", {{"axes", {0, 1, 2}}})(body(inp));
  Model model(inp, layers::Dense(3)(layers::Flatten()(y)));
  model.compile("adam", "mse");
  Tensor x = xkeras::testing::random_tensor({16, 8, 8, 1}, 4, 0.0f, 1.0f);
  Tensor t = xkeras::testing::random_tensor({16, 3}, 5);
  model.fit(x, t, {.epochs = 2, .batch_size = 8, .verbose = 0});
  // Training moved the moving statistics away from their initial zeros / ones.
  bool moved = false;
  for (const auto& v : model->non_trainable_weights())
    for (float f : v->value.value()) moved |= (v->name == "moving_mean" ? f != 0.0f : f != 1.0f);
  CHECK(moved);
  CHECK(model->non_trainable_weights().size() == 8);  // 4 BN layers x (moving_mean, moving_variance)
  check_same_after_reload(model, x, "cnn_roundtrip.json");
}

TEST_CASE("LayerNormalization model (seed 001): save/load round trip") {
  auto inp = Input({5, 4});
  Model model(inp, layers::Dense(2)(layers::LayerNormalization({.axis = {1, 2}})(inp)));
  model.compile("adam", "mse");
  Tensor x = xkeras::testing::random_tensor({6, 5, 4}, 8);
  model.fit(x, xkeras::testing::random_tensor({6, 5, 2}, 9), {.epochs = 2, .verbose = 0});
  check_same_after_reload(model, x, "layer_norm_roundtrip.json");
}
