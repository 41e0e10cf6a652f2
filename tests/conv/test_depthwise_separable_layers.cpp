// layers::DepthwiseConv2D and layers::SeparableConv2D: Keras's test shapes, forward with fixed
// weights against naive loops, gradients, weight names and shapes, Keras 3 configs and round trips,
// tf.keras configs, Keras's argument checks.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/depthwise_conv2d.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/layers/separable_conv2d.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size2;
using xkeras::testing::all_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("DepthwiseConv2D: Keras depthwise_conv_test shapes, compute_output_shape equals the real shape") {
  struct Case {
    Shape in;
    Size2 kernel;
    layers::DepthwiseConv2DOptions options;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{3, 5, 5, 4}, 2, {.depth_multiplier = 5}, {3, 4, 4, 20}},
      {{3, 4, 4, 4}, 2, {.padding = "same", .depth_multiplier = 6, .dilation_rate = 2}, {3, 4, 4, 24}},
      {{3, 5, 5, 4}, 2, {.strides = 2, .depth_multiplier = 6}, {3, 2, 2, 24}},
  };
  for (const auto& c : cases) {
    layers::DepthwiseConv2D conv(c.kernel, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  CHECK(layers::DepthwiseConv2D(3, {.depth_multiplier = 2})->compute_output_shape({{None, 7, None, 3}})[0] ==
        TensorShape{None, 5, None, 6});
}

TEST_CASE("DepthwiseConv2D: fixed weights against the naive loop, gradients, weights") {
  clear_session();
  layers::DepthwiseConv2D conv({3, 2}, {.strides = {2, 1}, .padding = "same", .depth_multiplier = 2, .activation = "relu"});
  CHECK(conv->name() == "depthwise_conv2d");
  Tensor x = random_tensor({2, 6, 5, 3}, 2);
  conv(x);
  const auto w = conv->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->path() == "depthwise_conv2d/kernel");  // Keras 3 name
  CHECK(w[0]->shape() == Shape{3, 2, 3, 2});
  CHECK(w[1]->path() == "depthwise_conv2d/bias");
  CHECK(w[1]->shape() == Shape{6});
  const Tensor k = random_tensor({3, 2, 3, 2}, 3), b = random_tensor({6}, 4);
  conv->set_weights({k.value(), b.value()});
  Array expected = testing::ref_depthwise_conv2d(x.value(), k.value(), &b.value(), 2, 1, "same", 1, 1);
  for (auto& v : expected) v = std::max(v, 0.0f);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  layers::DepthwiseConv2D smooth(3, {.depth_multiplier = 2, .dilation_rate = 2, .activation = "tanh"});
  Tensor x2 = random_tensor({2, 6, 6, 2}, 5);
  smooth(x2);
  check_gradients([&] { return smooth(x2); }, {x2, smooth->depthwise_kernel()->value, smooth->bias()->value});
}

TEST_CASE("DepthwiseConv2D: Keras 3 config keys and values, round trip, a tf.keras config") {
  layers::DepthwiseConv2D conv({3, 3}, {.strides = 2, .padding = "same", .depth_multiplier = 3, .use_bias = false,
                                        .depthwise_regularizer = "l2", .name = "dw"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "depth_multiplier", "kernel_size", "strides", "padding", "data_format",
          "dilation_rate", "activation", "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer",
          "bias_regularizer", "activity_regularizer", "depthwise_constraint", "bias_constraint"});
  CHECK(c["depth_multiplier"] == 3);
  CHECK(c["kernel_size"] == json::array({3, 3}));
  CHECK(c["strides"] == json::array({2, 2}));
  CHECK(c["padding"] == "same");
  CHECK(c["use_bias"] == false);
  CHECK(c["depthwise_initializer"]["class_name"] == "GlorotUniform");
  CHECK_FALSE(c["depthwise_regularizer"].is_null());
  xkeras::testing::check_config_round_trip(*conv);
  // tf.keras: Conv2D's keys minus filters/kernel_*, with groups 1 and the depthwise keys appended
  LayerPtr tfk = layer_from_config(
      "DepthwiseConv2D", json{{"kernel_size", json::array({3, 3})}, {"strides", json::array({1, 1})}, {"padding", "valid"},
                              {"groups", 1}, {"depth_multiplier", 2}, {"depthwise_initializer", "he_normal"}}, "config");
  CHECK(tfk->compute_output_shape({{None, 5, 5, 4}})[0] == TensorShape{None, 3, 3, 8});
}

TEST_CASE("DepthwiseConv2D: argument checks name the layer, bad configs name the JSON path") {
  using layers::DepthwiseConv2D;
  CHECK_THROWS_WITH(DepthwiseConv2D(3, {.depth_multiplier = 0, .name = "d"}),
                    Catch::Contains("\"d\"") && Catch::Contains("depth_multiplier=0"));
  CHECK_THROWS_WITH(DepthwiseConv2D(3, {.strides = 2, .dilation_rate = 2}), Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(DepthwiseConv2D({3, -1}), Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(DepthwiseConv2D(3, {.padding = "causal"}), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(DepthwiseConv2D(5, {.name = "small"})(random_tensor({1, 4, 4, 2})),
                    Catch::Contains("\"small\"") && Catch::Contains("zero or negative"));
  CHECK_THROWS_WITH(DepthwiseConv2D(3, {.name = "r"})(random_tensor({1, 5, 3})), Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(DepthwiseConv2D(3)(xkeras::Input({5, 5, None})), Catch::Contains("channel dimension"));
  // channels * depth_multiplier past 2^26 is refused at build
  CHECK_THROWS_AS(DepthwiseConv2D(1, {.depth_multiplier = 1 << 20})(xkeras::Input({1, 1, 1 << 10})), ValueError);
  CHECK_THROWS_WITH(layer_from_config("DepthwiseConv2D", json{{"kernel_size", 3}, {"depth_multiplier", -1}}, "m"),
                    Catch::Contains("m.config.depth_multiplier"));
  CHECK_THROWS_WITH(layer_from_config("DepthwiseConv2D", json{{"kernel_size", 3}, {"depth_multiplier", 1 << 30}}, "m"),
                    Catch::Contains("m.config.depth_multiplier"));
  CHECK_THROWS_WITH(layer_from_config("DepthwiseConv2D", json{{"depth_multiplier", 2}}, "m"), Catch::Contains("m.config.kernel_size"));
  CHECK_THROWS_WITH(layer_from_config("DepthwiseConv2D", json{{"kernel_size", 3}, {"groups", 3}}, "m"),
                    Catch::Contains("m.config.groups"));
}

TEST_CASE("SeparableConv2D: shapes, weights, fixed weights against depthwise then pointwise loops, gradients") {
  clear_session();
  layers::SeparableConv2D conv(5, 3, {.strides = 2, .padding = "same", .depth_multiplier = 2, .activation = "relu"});
  CHECK(conv->name() == "separable_conv2d");
  Tensor x = random_tensor({2, 7, 6, 3}, 2);
  CHECK(conv(x).shape() == Shape{2, 4, 3, 5});
  xkeras::testing::check_output_shape(*conv, {x});
  const auto w = conv->weights();
  REQUIRE(w.size() == 3);
  CHECK(w[0]->path() == "separable_conv2d/depthwise_kernel");
  CHECK(w[0]->shape() == Shape{3, 3, 3, 2});
  CHECK(w[1]->path() == "separable_conv2d/pointwise_kernel");
  CHECK(w[1]->shape() == Shape{1, 1, 6, 5});
  CHECK(w[2]->path() == "separable_conv2d/bias");
  CHECK(w[2]->shape() == Shape{5});
  const Tensor dk = random_tensor({3, 3, 3, 2}, 3), pk = random_tensor({1, 1, 6, 5}, 4), b = random_tensor({5}, 5);
  conv->set_weights({dk.value(), pk.value(), b.value()});
  const Array mid = testing::ref_depthwise_conv2d(x.value(), dk.value(), nullptr, 2, 2, "same", 1, 1);
  Array expected = testing::reference_conv2d(mid, pk.value(), &b.value(), {5, 1, 1, 1, 1, "valid"});
  for (auto& v : expected) v = std::max(v, 0.0f);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  layers::SeparableConv2D smooth(3, 3, {.padding = "same", .dilation_rate = 2, .depth_multiplier = 2, .activation = "tanh"});
  Tensor x2 = random_tensor({2, 5, 5, 2}, 6);
  smooth(x2);
  check_gradients([&] { return smooth(x2); },
                  {x2, smooth->depthwise_kernel()->value, smooth->pointwise_kernel()->value, smooth->bias()->value});
}

TEST_CASE("SeparableConv2D: Keras 3 config keys and values, round trip, alias, argument checks") {
  layers::SeparableConv2D conv(8, {3, 3}, {.padding = "same", .depth_multiplier = 2, .use_bias = false,
                                           .pointwise_initializer = "he_normal", .name = "sep"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "depth_multiplier", "filters", "kernel_size", "strides", "padding", "data_format",
          "dilation_rate", "activation", "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
          "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "activity_regularizer",
          "depthwise_constraint", "pointwise_constraint", "bias_constraint"});
  CHECK(c["depth_multiplier"] == 2);
  CHECK(c["filters"] == 8);
  CHECK(c["kernel_size"] == json::array({3, 3}));
  CHECK(c["padding"] == "same");
  CHECK(c["pointwise_initializer"]["class_name"] == "HeNormal");
  xkeras::testing::check_config_round_trip(*conv);
  CHECK(layer_from_config("SeparableConvolution2D", json{{"filters", 2}, {"kernel_size", 3}}, "config")->class_name() ==
        "SeparableConv2D");
  using layers::SeparableConv2D;
  CHECK_THROWS_WITH(SeparableConv2D(0, 3), Catch::Contains("filters=0"));
  CHECK_THROWS_WITH(SeparableConv2D(2, 3, {.depth_multiplier = -2}), Catch::Contains("depth_multiplier=-2"));
  CHECK_THROWS_WITH(SeparableConv2D(2, 3, {.strides = 2, .dilation_rate = 2}), Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(SeparableConv2D(2, 3, {.name = "s"})(random_tensor({1, 5, 3})), Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(layer_from_config("SeparableConv2D", json{{"filters", 2}, {"kernel_size", 3}, {"pointwise_initializer", "nope"}}, "m"),
                    Catch::Contains("m.config.pointwise_initializer"));
  CHECK_THROWS_WITH(layer_from_config("SeparableConv2D", json{{"kernel_size", 3}}, "m"), Catch::Contains("m.config.filters"));
}

TEST_CASE("SeparableConv2D and DepthwiseConv2D: TensorFlow.js configs (snake_cased, with the unused Conv keys) load") {
  // TFJS's SeparableConv2D extends Conv: it also writes kernel_initializer / kernel_regularizer / kernel_constraint
  const json sep{{"filters", 4}, {"kernel_size", json::array({3, 3})}, {"strides", json::array({1, 1})}, {"padding", "same"},
                 {"data_format", "channels_last"}, {"dilation_rate", json::array({1, 1})}, {"activation", "relu"},
                 {"use_bias", true}, {"kernel_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}},
                 {"depth_multiplier", 2}, {"depthwise_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}},
                 {"pointwise_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}},
                 {"name", "separable_conv2d_Sep1"}, {"trainable", true}};
  LayerPtr l = layer_from_config("SeparableConv2D", sep, "model.config.layers[1]");
  CHECK(l->name() == "separable_conv2d_Sep1");
  CHECK(l->compute_output_shape({{None, 5, 5, 3}})[0] == TensorShape{None, 5, 5, 4});
  l->operator()(random_tensor({1, 5, 5, 3}), false);
  CHECK(l->weights()[1]->shape() == Shape{1, 1, 6, 4});
  const json dw{{"kernel_size", json::array({3, 3})}, {"strides", json::array({2, 2})}, {"padding", "valid"},
                {"depth_multiplier", 1}, {"depthwise_initializer", {{"class_name", "HeNormal"}, {"config", {{"seed", nullptr}}}}},
                {"name", "dw"}};
  CHECK(layer_from_config("DepthwiseConv2D", dw, "c")->compute_output_shape({{None, 7, 7, 3}})[0] == TensorShape{None, 3, 3, 3});
}
