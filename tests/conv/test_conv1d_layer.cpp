// layers::Conv1D: Keras's conv_test shapes, forward with fixed weights, gradients, weights,
// the Keras 3 config and its round trip, Keras's argument checks.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/conv1d.hpp>
#include <xkeras/layers/input_layer.hpp>
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

TEST_CASE("Conv1D: Keras conv_test shape cases, compute_output_shape equals the real shape") {
  struct Case {
    Shape in;
    int filters, k;
    layers::Conv1DOptions options;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{3, 4, 4}, 6, 2, {.padding = "causal", .dilation_rate = 2, .groups = 2}, {3, 4, 6}},
      {{3, 5, 4}, 5, 2, {}, {3, 4, 5}},
      {{3, 5, 4}, 6, 2, {.strides = 2, .groups = 2}, {3, 2, 6}},
      {{2, 9, 3}, 4, 3, {.strides = 2, .padding = "causal"}, {2, 5, 4}},
      {{2, 9, 3}, 4, 4, {.strides = 2, .padding = "same"}, {2, 5, 4}},
  };
  for (const auto& c : cases) {
    layers::Conv1D conv(c.filters, c.k, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  layers::Conv1D conv(8, 3, {.padding = "causal"});
  CHECK(conv->compute_output_shape({{None, None, 3}})[0] == TensorShape{None, None, 8});
  CHECK(conv(xkeras::Input({20, 3})).shape() == TensorShape{None, 20, 8});
}

TEST_CASE("Conv1D: causal example through the layer, and fixed weights against the naive loop") {
  layers::Conv1D causal(1, 2, {.padding = "causal", .dilation_rate = 2, .use_bias = false});
  const Tensor x = Tensor::from({1, 4, 1}, {1, 2, 3, 4});
  causal(x);
  causal->set_weights({Tensor::from({2, 1, 1}, {1, 10}).value()});
  check_close(causal(x), {10, 20, 31, 42});
  for (const auto& pad : {"valid", "same", "causal"}) {
    layers::Conv1D conv(6, 3, {.padding = pad, .groups = 2, .activation = "relu"});
    const Tensor xs = random_tensor({2, 8, 4}, 3);
    conv(xs);
    const Tensor k = random_tensor({3, 2, 6}, 4), b = random_tensor({6}, 5);
    conv->set_weights({k.value(), b.value()});
    Array expected = testing::ref_conv1d(xs.value(), k.value(), &b.value(), 1, pad, 1, 2);
    for (auto& v : expected) v = std::max(v, 0.0f);
    CHECK(all_close(conv(xs).value(), expected, 5e-4, 1e-5));
  }
}

TEST_CASE("Conv1D: gradients of the input, kernel and bias through the layer") {
  layers::Conv1D conv(4, 3, {.padding = "causal", .dilation_rate = 2, .groups = 2, .activation = "tanh"});
  Tensor x = random_tensor({2, 7, 4}, 6);
  conv(x);
  conv->set_weights({random_tensor({3, 2, 4}, 7).value(), random_tensor({4}, 8).value()});
  check_gradients([&] { return conv(x); }, {x, conv->kernel()->value, conv->bias()->value});
}

TEST_CASE("Conv1D: weights kernel (k, in/groups, filters) then bias") {
  layers::Conv1D conv(6, 5, {.groups = 3, .name = "c1"});
  conv(random_tensor({1, 9, 6}));
  const auto w = conv->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->path() == "c1/kernel");
  CHECK(w[0]->shape() == Shape{5, 2, 6});
  CHECK(w[1]->path() == "c1/bias");
  CHECK(w[1]->shape() == Shape{6});
  CHECK_THROWS_WITH(conv(random_tensor({1, 9, 5})), Catch::Contains("expected axis -1 of input shape to have value 6"));
}

TEST_CASE("Conv1D: Keras 3 config keys and values, round trip, Convolution1D alias, tf.keras 1-tuples") {
  clear_session();
  layers::Conv1D conv(4, 3, {.strides = 2, .padding = "causal", .groups = 2, .activation = "relu", .use_bias = false});
  CHECK(conv->name() == "conv1d");
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
          "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["filters"] == 4);
  CHECK(c["kernel_size"] == json::array({3}));
  CHECK(c["strides"] == json::array({2}));
  CHECK(c["padding"] == "causal");
  CHECK(c["data_format"] == "channels_last");
  CHECK(c["dilation_rate"] == json::array({1}));
  CHECK(c["groups"] == 2);
  CHECK(c["activation"] == "relu");
  CHECK(c["use_bias"] == false);
  CHECK(c["kernel_initializer"]["class_name"] == "GlorotUniform");
  CHECK(c["activity_regularizer"].is_null());
  xkeras::testing::check_config_round_trip(*conv);
  LayerPtr alias = layer_from_config("Convolution1D", json{{"filters", 2}, {"kernel_size", 5}, {"padding", "CAUSAL"}}, "config");
  CHECK(alias->class_name() == "Conv1D");
  CHECK(alias->get_config()["kernel_size"] == json::array({5}));
  CHECK(alias->get_config()["padding"] == "causal");
}

TEST_CASE("Conv1D: Keras's argument checks name the layer, bad configs name the JSON path") {
  using layers::Conv1D;
  CHECK_THROWS_WITH(Conv1D(4, 3, {.strides = 2, .dilation_rate = 2, .name = "bad"}),
                    Catch::Contains("\"bad\"") && Catch::Contains("`strides > 1` not supported"));
  CHECK_THROWS_WITH(Conv1D(4, 3, {.padding = "full"}), Catch::Contains("\"causal\". Received: padding=\"full\""));
  CHECK_THROWS_WITH(Conv1D(5, 3, {.groups = 2}), Catch::Contains("filters must be evenly divisible"));
  CHECK_THROWS_WITH(Conv1D(0, 3), Catch::Contains("filters=0"));
  CHECK_THROWS_WITH(Conv1D(4, 0), Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(Conv1D(4, 3, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_AS(Conv1D(4, 3, {.activity_regularizer = "l2"}), NotImplementedError);
  CHECK_THROWS_WITH(Conv1D(4, 3, {.groups = 2})(random_tensor({1, 5, 3})), Catch::Contains("input channels must be evenly divisible"));
  CHECK_THROWS_WITH(Conv1D(4, 7, {.name = "short"})(random_tensor({1, 5, 3})),
                    Catch::Contains("\"short\"") && Catch::Contains("zero or negative"));
  CHECK_THROWS_WITH(Conv1D(4, 3, {.name = "r"})(random_tensor({1, 5, 5, 3})),
                    Catch::Contains("\"r\"") && Catch::Contains("expected ndim=3"));
  CHECK_THROWS_WITH(Conv1D(4, 3)(xkeras::Input({5, None})), Catch::Contains("channel dimension"));
  CHECK_THROWS_WITH(layer_from_config("Conv1D", json{{"filters", 4}, {"kernel_size", json::array({3, 3})}}, "cfg"),
                    Catch::Contains("cfg.config.kernel_size"));
  CHECK_THROWS_WITH(layer_from_config("Conv1D", json{{"filters", 4}, {"kernel_size", 3}, {"padding", "full"}}, "cfg"),
                    Catch::Contains("cfg.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv1D", json{{"filters", 4}, {"kernel_size", 3}, {"dilation_rate", 0}}, "cfg"),
                    Catch::Contains("cfg.config.dilation_rate"));
  CHECK_THROWS_WITH(layer_from_config("Conv1D", json{{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"dilation_rate", 2}}, "cfg"),
                    Catch::Contains("cfg"));
  CHECK_THROWS_AS(layer_from_config("Conv1D", json{{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"dilation_rate", 2}}, "cfg"),
                  ConfigError);
  // a dilated window past 2^26 is refused when the layer is built, naming the layer
  CHECK_THROWS_WITH(Conv1D(1, 5, {.dilation_rate = 1 << 24, .name = "wide"})(random_tensor({1, 5, 2})),
                    Catch::Contains("\"wide\"") && Catch::Contains("2^26"));
}
