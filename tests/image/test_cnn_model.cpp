// The image layers inside models: symbolic shapes equal eager shapes, the Keras model JSON
// round trip gives identical predictions, and gradients reach every weight.
#include <catch2/catch.hpp>

#include <cstdio>

#include <xkeras/layers/conv2d.hpp>
#include <xkeras/layers/dense.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/layers/pooling.hpp>
#include <xkeras/layers/up_sampling2d.hpp>
#include <xkeras/layers/zero_padding2d.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/tape.hpp>

#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::random_tensor;

namespace {

Model small_cnn() {
  auto inp = Input({8, 8, 2});
  auto x = layers::ZeroPadding2D(1)(inp);                                                   // 10x10x2
  x = layers::Conv2D(4, 3, {.activation = "relu"})(x);                                      // 8x8x4
  x = layers::MaxPooling2D()(x);                                                            // 4x4x4
  x = layers::UpSampling2D({2, 1})(x);                                                      // 8x4x4
  x = layers::Conv2D(6, {3, 2}, {.strides = {2, 1}, .padding = "same", .groups = 2})(x);    // 4x4x6
  x = layers::AveragePooling2D(2, {.strides = 1, .padding = "same"})(x);                   // 4x4x6
  x = layers::GlobalAveragePooling2D()(x);                                                  // 6
  return Model(inp, layers::Dense(3)(x), "small_cnn");
}

}  // namespace

TEST_CASE("CNN model: symbolic shapes, JSON round trip with identical predictions") {
  Model m = small_cnn();
  const Tensor x = random_tensor({5, 8, 8, 2}, 11);
  const Tensor y = m.predict(x);
  REQUIRE(y.shape() == Shape{5, 3});
  const std::string text = m.to_json();
  Model again = model_from_json(text);
  again.set_weights(m.get_weights());
  CHECK(again.to_json() == text);
  CHECK(all_close(again.predict(x).value(), y.value(), 0, 0));
}

TEST_CASE("CNN Sequential: every weight receives a gradient") {
  Sequential s({layers::Input({6, 6, 3}), layers::Conv2D(4, 3, {.padding = "same", .activation = "tanh"}),
                layers::MaxPooling2D(2), layers::Conv2D(2, 1), layers::GlobalMaxPooling2D()});
  const Tensor x = random_tensor({2, 6, 6, 3}, 12);
  for (const auto& w : s->trainable_weights()) w->value.zero_grad();
  Tape::current().clear();
  Tensor out = s->operator()(x, true);
  REQUIRE(out.shape() == Shape{2, 2});
  Tape::current().backward(out);
  const auto ws = s->trainable_weights();
  REQUIRE(ws.size() == 4);
  for (const auto& w : ws) {
    INFO(w->path());
    double norm = 0;
    for (float g : w->value.grad()) norm += double(g) * g;
    CHECK(norm > 0);
  }
}
