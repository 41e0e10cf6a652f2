// The 1-D variants: layers::Conv1DTranspose, DepthwiseConv1D and SeparableConv1D. Shapes,
// fixed-weight forwards against naive loops, gradients, weights, Keras 3 configs and errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/conv1d_transpose.hpp>
#include <xkeras/layers/depthwise_conv1d.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/layers/separable_conv1d.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

// (N, T, C) -> (N, 1, T, C) and back: the 2-D naive loops serve the 1-D layers.
Array as_image(Array a) {
  a.reshape({a.shape()[0], 1, a.shape()[1], a.shape()[2]});
  return a;
}
Array as_sequence(Array a) {
  a.reshape({a.shape()[0], a.shape()[2], a.shape()[3]});
  return a;
}

}  // namespace

TEST_CASE("Conv1DTranspose: Keras shapes, forward against the scatter loop, gradients, weights") {
  clear_session();
  struct Case {
    int filters, k;
    layers::Conv1DTransposeOptions options;
    Shape out;
  };
  for (const auto& c : std::vector<Case>{{5, 2, {.strides = 2}, {2, 16, 5}},
                                        {6, 2, {.strides = 3, .padding = "same", .output_padding = 2}, {2, 23, 6}},
                                        {3, 3, {.padding = "same", .dilation_rate = 2}, {2, 8, 3}},
                                        {2, 2, {.strides = 3}, {2, 24, 2}}}) {
    layers::Conv1DTranspose conv(c.filters, c.k, c.options);
    const Tensor x = random_tensor({2, 8, 4}, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::Conv1DTranspose conv(3, 3, {.strides = 2, .padding = "same", .output_padding = 1, .activation = "tanh"});
  CHECK(conv->name() == "conv1d_transpose_4");
  Tensor x = random_tensor({2, 4, 2}, 2);
  conv(x);
  REQUIRE(conv->weights().size() == 2);
  CHECK(conv->kernel()->shape() == Shape{3, 3, 2});  // (k, filters, in_channels)
  const Tensor k = random_tensor({3, 3, 2}, 3), b = random_tensor({3}, 4);
  conv->set_weights({k.value(), b.value()});
  Array k4 = k.value();
  k4.reshape({1, 3, 3, 2});
  Array expected = as_sequence(testing::ref_conv2d_transpose(as_image(x.value()), k4, &b.value(), 1, 2, "same", 0, 1, 1, 1));
  for (auto& v : expected) v = std::tanh(v);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  check_gradients([&] { return conv(x); }, {x, conv->kernel()->value, conv->bias()->value});
}

TEST_CASE("Conv1DTranspose: Keras 3 config, round trip, alias, errors") {
  layers::Conv1DTranspose conv(4, 3, {.strides = 2, .output_padding = 1, .name = "up1"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
          "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["kernel_size"] == json::array({3}));
  CHECK(c["strides"] == json::array({2}));
  CHECK(c["output_padding"] == json::array({1}));
  CHECK(c["dilation_rate"] == json::array({1}));
  xkeras::testing::check_config_round_trip(*conv);
  CHECK(layer_from_config("Convolution1DTranspose", json{{"filters", 2}, {"kernel_size", 3}}, "c")->class_name() ==
        "Conv1DTranspose");
  CHECK_THROWS_WITH(layers::Conv1DTranspose(2, 3, {.strides = 2, .output_padding = 2}), Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(layers::Conv1DTranspose(2, 3, {.padding = "causal"}), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(layers::Conv1DTranspose(2, 3, {.name = "t"})(random_tensor({1, 4, 4, 2})), Catch::Contains("expected ndim=3"));
  CHECK_THROWS_WITH(layers::Conv1DTranspose(2, 3, {.strides = 1 << 20, .name = "long"})(xkeras::Input({1 << 7, 1})),
                    Catch::Contains("\"long\""));
  CHECK_THROWS_WITH(layer_from_config("Conv1DTranspose", json{{"filters", 2}, {"kernel_size", 3}, {"output_padding", json::array({1, 1})}}, "c"),
                    Catch::Contains("c.config.output_padding"));
}

TEST_CASE("DepthwiseConv1D: Keras shapes, channel order c*M + m, gradients, config") {
  clear_session();
  struct Case {
    Shape in;
    int k;
    layers::DepthwiseConv1DOptions options;
    Shape out;
  };
  for (const auto& c : std::vector<Case>{{{3, 5, 4}, 2, {.depth_multiplier = 5}, {3, 4, 20}},
                                        {{3, 4, 4}, 2, {.padding = "same", .depth_multiplier = 6, .dilation_rate = 2}, {3, 4, 24}},
                                        {{3, 5, 4}, 2, {.strides = 2, .depth_multiplier = 6}, {3, 2, 24}}}) {
    layers::DepthwiseConv1D conv(c.k, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::DepthwiseConv1D conv(3, {.padding = "same", .depth_multiplier = 2, .use_bias = false, .name = "dw1"});
  // ch0 = [1, 2, 3], ch1 = [10, 20, 30]; taps k[j, c, m]: (c0,m0) = [0,1,0] identity, (c0,m1) = [1,0,0] delay,
  // (c1,m0) = [0,0,1] advance, (c1,m1) = [1,1,1] box
  const Tensor x = Tensor::from({1, 3, 2}, {1, 10, 2, 20, 3, 30});
  conv(x);
  CHECK(conv->depthwise_kernel()->path() == "dw1/kernel");  // Keras 3 name
  conv->set_weights({Tensor::from({3, 2, 2}, {0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1}).value()});
  check_close(conv(x), {1, 0, 20, 30, 2, 1, 30, 60, 3, 2, 0, 50});
  layers::DepthwiseConv1D smooth(3, {.strides = 2, .depth_multiplier = 2, .activation = "tanh"});
  Tensor x2 = random_tensor({2, 7, 2}, 5);
  smooth(x2);
  check_gradients([&] { return smooth(x2); }, {x2, smooth->depthwise_kernel()->value, smooth->bias()->value});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "depth_multiplier", "kernel_size", "strides", "padding", "data_format",
          "dilation_rate", "activation", "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer",
          "bias_regularizer", "activity_regularizer", "depthwise_constraint", "bias_constraint"});
  CHECK(c["kernel_size"] == json::array({3}));
  xkeras::testing::check_config_round_trip(*conv);
  CHECK_THROWS_WITH(layers::DepthwiseConv1D(3, {.depth_multiplier = 0}), Catch::Contains("depth_multiplier=0"));
  CHECK_THROWS_WITH(layers::DepthwiseConv1D(3, {.padding = "causal"}), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(layer_from_config("DepthwiseConv1D", json{{"kernel_size", json::array({3, 3})}}, "c"),
                    Catch::Contains("c.config.kernel_size"));
}

TEST_CASE("SeparableConv1D: shapes, weights, forward against depthwise then pointwise loops, gradients, config") {
  clear_session();
  layers::SeparableConv1D conv(5, 3, {.strides = 2, .padding = "same", .depth_multiplier = 2, .activation = "relu"});
  CHECK(conv->name() == "separable_conv1d");
  Tensor x = random_tensor({2, 9, 3}, 2);
  CHECK(conv(x).shape() == Shape{2, 5, 5});
  xkeras::testing::check_output_shape(*conv, {x});
  const auto w = conv->weights();
  REQUIRE(w.size() == 3);
  CHECK(w[0]->path() == "separable_conv1d/depthwise_kernel");
  CHECK(w[0]->shape() == Shape{3, 3, 2});
  CHECK(w[1]->path() == "separable_conv1d/pointwise_kernel");
  CHECK(w[1]->shape() == Shape{1, 6, 5});
  CHECK(w[2]->shape() == Shape{5});
  const Tensor dk = random_tensor({3, 3, 2}, 3), pk = random_tensor({1, 6, 5}, 4), b = random_tensor({5}, 5);
  conv->set_weights({dk.value(), pk.value(), b.value()});
  Array dk4 = dk.value();
  dk4.reshape({1, 3, 3, 2});
  const Array mid = as_sequence(testing::ref_depthwise_conv2d(as_image(x.value()), dk4, nullptr, 1, 2, "same", 1, 1));
  Array expected = testing::ref_conv1d(mid, pk.value(), &b.value(), 1, "valid", 1, 1);
  for (auto& v : expected) v = std::max(v, 0.0f);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  layers::SeparableConv1D smooth(3, 3, {.padding = "same", .dilation_rate = 2, .depth_multiplier = 2, .activation = "tanh"});
  Tensor x2 = random_tensor({2, 6, 2}, 6);
  smooth(x2);
  check_gradients([&] { return smooth(x2); },
                  {x2, smooth->depthwise_kernel()->value, smooth->pointwise_kernel()->value, smooth->bias()->value});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "depth_multiplier", "filters", "kernel_size", "strides", "padding", "data_format",
          "dilation_rate", "activation", "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
          "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "activity_regularizer",
          "depthwise_constraint", "pointwise_constraint", "bias_constraint"});
  CHECK(c["strides"] == json::array({2}));
  xkeras::testing::check_config_round_trip(*conv);
  CHECK(layer_from_config("SeparableConvolution1D", json{{"filters", 2}, {"kernel_size", 3}}, "c")->class_name() ==
        "SeparableConv1D");
  CHECK_THROWS_WITH(layers::SeparableConv1D(2, 3, {.strides = 2, .dilation_rate = 2}), Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(layer_from_config("SeparableConv1D", json{{"filters", 0}, {"kernel_size", 3}}, "c"),
                    Catch::Contains("c.config.filters"));
}
