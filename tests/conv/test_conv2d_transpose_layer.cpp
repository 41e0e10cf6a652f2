// layers::Conv2DTranspose: Keras's conv_transpose_test shapes, forward with fixed weights,
// gradients, weights (kh, kw, filters, in), the Keras 3 config (output_padding) and its round
// trip, tf.keras and TFJS configs, Keras's argument checks.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/conv2d_transpose.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size2;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Conv2DTranspose: Keras conv_transpose_test shapes, compute_output_shape equals the real shape") {
  struct Case {
    Shape in;
    int filters;
    Size2 kernel;
    layers::Conv2DTransposeOptions options;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{2, 8, 8, 4}, 5, 2, {.strides = 2}, {2, 16, 16, 5}},
      {{2, 8, 8, 4}, 6, 2, {.strides = 3, .padding = "same", .output_padding = Size2(2)}, {2, 23, 23, 6}},
      {{2, 8, 8, 4}, 6, {2, 3}, {.strides = {2, 1}}, {2, 16, 10, 6}},
      {{1, 14, 14, 2}, 2, 7, {.strides = 16}, {1, 224, 224, 2}},
      {{2, 5, 4, 3}, 3, 3, {.padding = "same", .dilation_rate = 2}, {2, 5, 4, 3}},
  };
  for (const auto& c : cases) {
    layers::Conv2DTranspose conv(c.filters, c.kernel, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::Conv2DTranspose conv(8, 3, {.strides = 2, .padding = "same"});
  CHECK(conv->compute_output_shape({{None, None, 9, 3}})[0] == TensorShape{None, None, 18, 8});
  CHECK(conv(xkeras::Input({7, 7, 3})).shape() == TensorShape{None, 14, 14, 8});
}

TEST_CASE("Conv2DTranspose: the reference's stride-2 example and fixed weights against the scatter loop") {
  layers::Conv2DTranspose up(1, 3, {.strides = 2, .padding = "same", .use_bias = false, .kernel_initializer = "ones"});
  check_close(up(Tensor::from({1, 2, 2, 1}, {1, 2, 3, 4})), {1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4});
  layers::Conv2DTranspose conv(5, {3, 2}, {.strides = {2, 3}, .output_padding = Size2(1, 2), .activation = "relu"});
  const Tensor x = random_tensor({2, 4, 3, 4}, 3);
  conv(x);
  const Tensor k = random_tensor({3, 2, 5, 4}, 4), b = random_tensor({5}, 5);
  conv->set_weights({k.value(), b.value()});
  Array expected = testing::ref_conv2d_transpose(x.value(), k.value(), &b.value(), 2, 3, "valid", 1, 2, 1, 1);
  for (auto& v : expected) v = std::max(v, 0.0f);
  CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
}

TEST_CASE("Conv2DTranspose: gradients of the input, kernel and bias through the layer") {
  layers::Conv2DTranspose conv(3, 3, {.strides = 2, .padding = "same", .activation = "tanh"});
  Tensor x = random_tensor({2, 3, 3, 2}, 6);
  conv(x);
  conv->set_weights({random_tensor({3, 3, 3, 2}, 7).value(), random_tensor({3}, 8).value()});
  check_gradients([&] { return conv(x); }, {x, conv->kernel()->value, conv->bias()->value});
}

TEST_CASE("Conv2DTranspose: weights kernel (kh, kw, filters, in_channels) then bias, auto-names") {
  clear_session();
  layers::Conv2DTranspose conv(6, {3, 2});
  CHECK(conv->name() == "conv2d_transpose");
  conv(random_tensor({1, 4, 4, 5}));
  const auto w = conv->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->path() == "conv2d_transpose/kernel");
  CHECK(w[0]->shape() == Shape{3, 2, 6, 5});
  CHECK(w[1]->path() == "conv2d_transpose/bias");
  CHECK(w[1]->shape() == Shape{6});
}

TEST_CASE("Conv2DTranspose: Keras 3 config keys and values, round trip, aliases, tf.keras and TFJS configs") {
  layers::Conv2DTranspose conv(4, {3, 2}, {.strides = {2, 2}, .padding = "same", .output_padding = Size2(1, 0),
                                           .activation = "relu", .name = "up"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
          "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["filters"] == 4);
  CHECK(c["kernel_size"] == json::array({3, 2}));
  CHECK(c["strides"] == json::array({2, 2}));
  CHECK(c["padding"] == "same");
  CHECK(c["output_padding"] == json::array({1, 0}));
  CHECK(c["dilation_rate"] == json::array({1, 1}));
  CHECK(c["activation"] == "relu");
  xkeras::testing::check_config_round_trip(*conv);
  CHECK(layers::Conv2DTranspose(2, 2)->get_config()["output_padding"].is_null());
  xkeras::testing::check_config_round_trip(*layers::Conv2DTranspose(2, 2));
  for (const char* alias : {"Convolution2DTranspose", "Deconvolution2D"})
    CHECK(layer_from_config(alias, json{{"filters", 2}, {"kernel_size", 3}}, "config")->class_name() == "Conv2DTranspose");
  // tf.keras: Conv2D's keys with groups 1 and output_padding last; Keras 3.0-3.2: no output_padding; TFJS: no dilation_rate
  LayerPtr tfk = layer_from_config("Conv2DTranspose", json{{"filters", 2}, {"kernel_size", json::array({2, 2})}, {"groups", 1},
                                                          {"strides", json::array({2, 2})}, {"output_padding", nullptr}}, "config");
  CHECK(tfk->compute_output_shape({{None, 3, 3, 1}})[0] == TensorShape{None, 6, 6, 2});
  LayerPtr old = layer_from_config("Conv2DTranspose", json{{"filters", 2}, {"kernel_size", 3}, {"output_padding", 1},
                                                          {"strides", 2}}, "config");
  CHECK(old->get_config()["output_padding"] == json::array({1, 1}));
}

TEST_CASE("Conv2DTranspose: Keras's argument checks name the layer, bad configs name the JSON path") {
  using layers::Conv2DTranspose;
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.strides = 2, .output_padding = Size2(2), .name = "bad"}),
                    Catch::Contains("\"bad\"") && Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.output_padding = Size2(0, -1)}), Catch::Contains("output padding"));
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.strides = 2, .dilation_rate = 2}), Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.padding = "causal"}), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(Conv2DTranspose(0, 3), Catch::Contains("filters=0"));
  CHECK_THROWS_WITH(Conv2DTranspose(4, {0, 3}), Catch::Contains("kernel_size"));
  CHECK_THROWS_AS(Conv2DTranspose(4, 3, {.activity_regularizer = "l2"}), NotImplementedError);
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.name = "r"})(random_tensor({1, 5, 3})),
                    Catch::Contains("\"r\"") && Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3)(xkeras::Input({5, 5, None})), Catch::Contains("channel dimension"));
  // an upsampled image past the per-sample limit is refused at build, naming the layer
  CHECK_THROWS_WITH(Conv2DTranspose(4, 3, {.strides = 1 << 12, .name = "huge"})(xkeras::Input({8, 8, 1})),
                    Catch::Contains("huge"));
  auto cfg = [](json extra) {
    json j{{"filters", 4}, {"kernel_size", 3}};
    for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
    return j;
  };
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"output_padding", -1}}), "m"), Catch::Contains("m.config.output_padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"output_padding", json::array({1, 2, 3})}}), "m"),
                    Catch::Contains("m.config.output_padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"output_padding", 1}}), "m"),
                    Catch::Contains("m.config: ") && Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"groups", 2}}), "m"), Catch::Contains("m.config.groups"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"padding", "full"}}), "m"), Catch::Contains("m.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", cfg({{"strides", 1 << 30}}), "m"), Catch::Contains("m.config.strides"));
  CHECK_THROWS_WITH(layer_from_config("Conv2DTranspose", json{{"filters", 4}}, "m"), Catch::Contains("m.config.kernel_size"));
}

TEST_CASE("Conv2DTranspose: built for unknown sizes, an image that would upsample past 2^26 values per sample is refused") {
  layers::Conv2DTranspose up(1, 2, {.strides = 1 << 10, .name = "late"});
  up(xkeras::Input({None, None, 1}));
  CHECK(up(random_tensor({1, 2, 2, 1})).shape() == Shape{1, 2048, 2048, 1});
  CHECK_THROWS_WITH(up(random_tensor({1, 16, 16, 1})), Catch::Contains("\"late\""));
}
