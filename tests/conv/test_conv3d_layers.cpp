// layers::Conv3D and layers::Conv3DTranspose: Keras's test shapes, fixed-weight forwards against
// naive loops, gradients, weights, Keras 3 configs and round trips, aliases, errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/conv3d.hpp>
#include <xkeras/layers/conv3d_transpose.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size3;
using xkeras::testing::all_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Conv3D: Keras conv_test shapes, fixed weights against the naive loop, gradients, weights") {
  clear_session();
  struct Case {
    Shape in;
    int filters;
    Size3 kernel;
    layers::Conv3DOptions options;
    Shape out;
  };
  for (const auto& c : std::vector<Case>{
           {{3, 5, 5, 5, 4}, 5, 2, {}, {3, 4, 4, 4, 5}},
           {{3, 4, 4, 4, 4}, 6, 2, {.padding = "same", .dilation_rate = 2, .groups = 2}, {3, 4, 4, 4, 6}},
           {{3, 5, 5, 5, 4}, 6, {2, 2, 3}, {.strides = {2, 1, 2}, .groups = 2}, {3, 2, 4, 2, 6}}}) {
    layers::Conv3D conv(c.filters, c.kernel, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::Conv3D conv(4, {3, 2, 2}, {.strides = {1, 2, 2}, .padding = "same", .groups = 2, .activation = "relu"});
  CHECK(conv->name() == "conv3d_3");
  const Tensor x = random_tensor({2, 4, 5, 5, 2}, 2);
  conv(x);
  CHECK(conv->kernel()->shape() == Shape{3, 2, 2, 1, 4});
  CHECK(conv->bias()->shape() == Shape{4});
  const Tensor k = random_tensor({3, 2, 2, 1, 4}, 3), b = random_tensor({4}, 4);
  conv->set_weights({k.value(), b.value()});
  const long s[3] = {1, 2, 2}, d[3] = {1, 1, 1};
  Array expected = testing::ref_conv3d(x.value(), k.value(), &b.value(), s, "same", d, 2);
  for (auto& v : expected) v = std::max(v, 0.0f);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  layers::Conv3D smooth(2, 2, {.padding = "same", .activation = "tanh"});
  Tensor x2 = random_tensor({2, 3, 3, 3, 2}, 5);
  smooth(x2);
  check_gradients([&] { return smooth(x2); }, {x2, smooth->kernel()->value, smooth->bias()->value});
}

TEST_CASE("Conv3D: Keras 3 config, round trip, alias, errors") {
  layers::Conv3D conv(4, {3, 3, 1}, {.strides = {2, 1, 1}, .padding = "same", .groups = 2, .name = "c3"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
          "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["kernel_size"] == json::array({3, 3, 1}));
  CHECK(c["strides"] == json::array({2, 1, 1}));
  CHECK(c["dilation_rate"] == json::array({1, 1, 1}));
  CHECK(c["groups"] == 2);
  xkeras::testing::check_config_round_trip(*conv);
  CHECK(layer_from_config("Convolution3D", json{{"filters", 2}, {"kernel_size", 3}}, "c")->get_config()["kernel_size"] ==
        json::array({3, 3, 3}));
  CHECK_THROWS_WITH(layers::Conv3D(4, 3, {.strides = 2, .dilation_rate = {1, 1, 2}}), Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(layers::Conv3D(4, {3, 0, 3}), Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(layers::Conv3D(3, 3, {.groups = 2}), Catch::Contains("filters must be evenly divisible"));
  CHECK_THROWS_WITH(layers::Conv3D(4, 3, {.name = "v"})(random_tensor({1, 5, 5, 3})), Catch::Contains("expected ndim=5"));
  CHECK_THROWS_WITH(layers::Conv3D(4, 6, {.name = "small"})(random_tensor({1, 5, 5, 5, 1})),
                    Catch::Contains("\"small\"") && Catch::Contains("zero or negative"));
  CHECK_THROWS_WITH(layer_from_config("Conv3D", json{{"filters", 2}, {"kernel_size", json::array({3, 3})}}, "c"),
                    Catch::Contains("c.config.kernel_size"));
}

TEST_CASE("Conv3DTranspose: Keras shapes, forward against the scatter loop, gradients, config, errors") {
  clear_session();
  struct Case {
    int filters;
    Size3 kernel;
    layers::Conv3DTransposeOptions options;
    Shape out;
  };
  for (const auto& c : std::vector<Case>{
           {5, 2, {.strides = 2}, {2, 8, 8, 8, 5}},
           {6, 2, {.strides = 3, .padding = "same", .output_padding = Size3(2)}, {2, 11, 11, 11, 6}},
           {6, {2, 3, 1}, {.strides = {2, 1, 3}}, {2, 8, 6, 12, 6}}}) {
    layers::Conv3DTranspose conv(c.filters, c.kernel, c.options);
    const Tensor x = random_tensor({2, 4, 4, 4, 3}, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::Conv3DTranspose conv(2, {2, 3, 2}, {.strides = {2, 1, 2}, .padding = "same", .output_padding = Size3(1, 0, 1),
                                              .activation = "tanh"});
  CHECK(conv->name() == "conv3d_transpose_3");
  Tensor x = random_tensor({2, 2, 3, 2, 2}, 2);
  conv(x);
  CHECK(conv->kernel()->shape() == Shape{2, 3, 2, 2, 2});
  const Tensor k = random_tensor({2, 3, 2, 2, 2}, 3), b = random_tensor({2}, 4);
  conv->set_weights({k.value(), b.value()});
  const long s[3] = {2, 1, 2}, op[3] = {1, 0, 1}, d[3] = {1, 1, 1};
  Array expected = testing::ref_conv3d_transpose(x.value(), k.value(), &b.value(), s, "same", op, d);
  for (auto& v : expected) v = std::tanh(v);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  check_gradients([&] { return conv(x); }, {x, conv->kernel()->value, conv->bias()->value});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
          "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["output_padding"] == json::array({1, 0, 1}));
  CHECK(c["kernel_size"] == json::array({2, 3, 2}));
  xkeras::testing::check_config_round_trip(*conv);
  for (const char* alias : {"Convolution3DTranspose", "Deconvolution3D", "Deconv3D"})
    CHECK(layer_from_config(alias, json{{"filters", 2}, {"kernel_size", 3}}, "c")->class_name() == "Conv3DTranspose");
  CHECK_THROWS_WITH(layers::Conv3DTranspose(2, 3, {.strides = {2, 2, 1}, .output_padding = Size3(1, 1, 1)}),
                    Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(layers::Conv3DTranspose(2, 3, {.strides = 1 << 10, .name = "big"})(xkeras::Input({4, 4, 4, 1})),
                    Catch::Contains("\"big\""));
  CHECK_THROWS_WITH(layer_from_config("Conv3DTranspose", json{{"filters", 2}, {"kernel_size", 3}, {"output_padding", json::array({0, 0})}}, "c"),
                    Catch::Contains("c.config.output_padding"));
}
