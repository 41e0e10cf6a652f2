// layers::Conv2D: Keras's shapes, forward with fixed weights, gradients of input and weights,
// config keys and round trip through the registry, Keras's argument checks.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers/conv2d.hpp>
#include <xkeras/layers/input_layer.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size2;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::ConvCase;
using xkeras::testing::random_tensor;
using xkeras::testing::reference_conv2d;

TEST_CASE("Conv2D: Keras conv_test shape cases, compute_output_shape equals the real shape") {
  struct Case {
    Shape in;
    int filters;
    Size2 kernel;
    layers::Conv2DOptions options;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{3, 5, 5, 4}, 5, 2, {}, {3, 4, 4, 5}},
      {{3, 4, 4, 4}, 6, 2, {.padding = "same", .dilation_rate = 2, .groups = 2}, {3, 4, 4, 6}},
      {{3, 5, 5, 4}, 6, {2, 2}, {.strides = {2, 1}, .groups = 2}, {3, 2, 4, 6}},
      {{2, 7, 9, 3}, 4, 3, {.strides = 2, .padding = "same"}, {2, 4, 5, 4}},
  };
  for (const auto& c : cases) {
    layers::Conv2D conv(c.filters, c.kernel, c.options);
    const Tensor x = random_tensor(c.in, 1);
    CHECK(conv(x).shape() == c.out);
    xkeras::testing::check_output_shape(*conv, {x});
  }
  // unknown spatial sizes stay unknown; the symbolic path gives the same shapes
  layers::Conv2D conv(8, 3, {.strides = 2, .padding = "same"});
  CHECK(conv->compute_output_shape({{None, None, 9, 3}})[0] == TensorShape{None, None, 5, 8});
  const KerasTensor y = conv(xkeras::Input({28, 28, 3}));
  CHECK(y.shape() == TensorShape{None, 14, 14, 8});
}

TEST_CASE("Conv2D: forward with fixed weights equals the naive convolution plus the activation") {
  for (const ConvCase& c : {ConvCase{5, 2, 2, 1, 1, "valid"}, ConvCase{4, 3, 3, 2, 2, "same"},
                            ConvCase{6, 2, 2, 1, 1, "same", 2, 2, 2}, ConvCase{6, 4, 3, 2, 1, "valid", 1, 1, 2}}) {
    layers::Conv2D conv(c.filters, {c.kh, c.kw},
                        {.strides = {c.sh, c.sw}, .padding = c.padding, .dilation_rate = {c.dh, c.dw}, .groups = c.groups,
                         .activation = "relu"});
    const Tensor x = random_tensor({2, 8, 8, 4}, 3);
    conv(x);
    const Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), std::size_t(4 / c.groups), std::size_t(c.filters)}, 4);
    const Tensor b = random_tensor({std::size_t(c.filters)}, 5);
    conv->set_weights({k.value(), b.value()});
    Array expected = reference_conv2d(x.value(), k.value(), &b.value(), c);
    for (auto& v : expected) v = std::max(v, 0.0f);
    CHECK(all_close(conv(x).value(), expected, 5e-4, 1e-5));
  }
}

TEST_CASE("Conv2D: the TF 'same' example through the layer (use_bias=false, ones kernel)") {
  layers::Conv2D conv(1, 3, {.strides = 2, .padding = "same", .use_bias = false, .kernel_initializer = "ones"});
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[std::size_t(i)] = float(i + 1);
  check_close(conv(Tensor::from({1, 4, 4, 1}, v)), {54, 45, 72, 54});
  CHECK(conv->weights().size() == 1);
}

TEST_CASE("Conv2D: gradients of the input, kernel and bias through the layer") {
  for (const auto& o : {layers::Conv2DOptions{.strides = 1, .padding = "same", .activation = "tanh"},
                        layers::Conv2DOptions{.strides = 2, .padding = "valid"},
                        layers::Conv2DOptions{.padding = "same", .dilation_rate = 2, .groups = 3}}) {
    layers::Conv2D conv(3, 3, o);
    Tensor x = random_tensor({2, 5, 5, 3}, 6);
    conv(x);
    conv->set_weights({random_tensor(conv->kernel()->shape(), 7).value(), random_tensor({3}, 8).value()});
    check_gradients([&] { return conv(x); }, {x, conv->kernel()->value, conv->bias()->value});
  }
}

TEST_CASE("Conv2D: weights kernel (kh, kw, in/groups, filters) then bias, glorot fans of a conv kernel") {
  layers::Conv2D conv(6, {3, 2}, {.groups = 2, .name = "c"});
  conv(random_tensor({1, 6, 6, 4}));
  const auto w = conv->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->name == "kernel");
  CHECK(w[0]->path() == "c/kernel");
  CHECK(w[0]->shape() == Shape{3, 2, 2, 6});
  CHECK(w[1]->name == "bias");
  CHECK(w[1]->shape() == Shape{6});
  CHECK(conv->count_params() == 3 * 2 * 2 * 6 + 6);
  // glorot_uniform: limit sqrt(6 / (fan_in + fan_out)), fan_in = 3*2*2, fan_out = 3*2*6
  const float limit = std::sqrt(6.0f / (12.0f + 36.0f));
  float largest = 0;
  for (float k : w[0]->value.to_vector()) largest = std::max(largest, std::fabs(k));
  CHECK(largest <= limit);
  CHECK(largest > 0.5f * limit);  // really drawn from that range, not a smaller one
  for (float b : w[1]->value.to_vector()) CHECK(b == 0.0f);
}

TEST_CASE("Conv2D: the channel axis is fixed after build") {
  layers::Conv2D conv(2, 3);
  conv(random_tensor({1, 5, 5, 3}));
  CHECK_THROWS_WITH(conv(random_tensor({1, 5, 5, 4})), Catch::Contains("expected axis -1 of input shape to have value 3"));
  CHECK_THROWS_WITH(conv(random_tensor({5, 5, 3})), Catch::Contains("expected ndim=4, found ndim=3"));
}

TEST_CASE("Conv2D: API forms and auto-names") {
  clear_session();
  layers::Conv2D a(32, 3, {.padding = "same", .activation = "relu"});
  layers::Conv2D b(32, {3, 3}, {.strides = {2, 2}});
  layers::Conv2D c(16, 5, "relu");
  const std::string act = "tanh";
  CHECK(layers::Conv2D(1, 1, act)->options().activation == "tanh");
  CHECK(a->name() == "conv2d");
  CHECK(b->name() == "conv2d_1");
  CHECK(a->kernel_size() == Size2(3, 3));
  CHECK(a->options().padding == "same");
  CHECK(a->options().activation == "relu");
  CHECK(b->options().strides == Size2(2, 2));
  CHECK(c->options().activation == "relu");
  CHECK(layers::Conv2D(1, 1, {.padding = "SAME"})->options().padding == "same");  // lower-cased like Keras
}

TEST_CASE("Conv2D: config keys, values and round trip through the registry") {
  layers::Conv2D conv(6, {4, 3}, {.strides = {2, 1}, .padding = "same", .groups = 2, .activation = "relu",
                                  .use_bias = false, .kernel_regularizer = "l2", .name = "conv_a"});
  const json c = conv->get_config();
  xkeras::testing::check_key_order(
      c, {"name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
          "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
          "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"});
  CHECK(c["name"] == "conv_a");
  CHECK(c["filters"] == 6);
  CHECK(c["kernel_size"] == json::array({4, 3}));
  CHECK(c["strides"] == json::array({2, 1}));
  CHECK(c["padding"] == "same");
  CHECK(c["data_format"] == "channels_last");
  CHECK(c["dilation_rate"] == json::array({1, 1}));
  CHECK(c["groups"] == 2);
  CHECK(c["activation"] == "relu");
  CHECK(c["use_bias"] == false);
  CHECK(c["kernel_initializer"]["class_name"] == "GlorotUniform");
  CHECK(c["bias_initializer"]["class_name"] == "Zeros");
  CHECK(c["activity_regularizer"].is_null());
  CHECK_FALSE(c["kernel_regularizer"].is_null());
  CHECK(c["bias_constraint"].is_null());
  LayerPtr again = xkeras::testing::check_config_round_trip(*conv);
  // Keras's Convolution2D alias and a minimal Keras config with ints for tuples
  LayerPtr alias = layer_from_config("Convolution2D", json{{"filters", 2}, {"kernel_size", 3}, {"strides", 1}}, "config");
  CHECK(alias->class_name() == "Conv2D");
  CHECK(alias->get_config()["kernel_size"] == json::array({3, 3}));
  // build_config records the input shape (Conv2D is built on first call)
  conv(random_tensor({1, 6, 6, 4}));
  CHECK(conv->build_config() == json{{"input_shape", json::array({nullptr, 6, 6, 4})}});
}

TEST_CASE("Conv2D: Keras's argument checks are ValueErrors naming the layer") {
  using layers::Conv2D;
  CHECK_THROWS_WITH(Conv2D(4, 3, {.strides = 2, .dilation_rate = 2, .name = "bad"}),
                    Catch::Contains("\"bad\"") && Catch::Contains("`strides > 1` not supported in conjunction with `dilation_rate > 1`"));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.padding = "causal"}), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.padding = "full"}), Catch::Contains("padding=\"full\""));
  CHECK_THROWS_WITH(Conv2D(5, 3, {.groups = 2}), Catch::Contains("filters must be evenly divisible"));
  CHECK_THROWS_WITH(Conv2D(0, 3), Catch::Contains("filters=0"));
  CHECK_THROWS_WITH(Conv2D(4, {3, 0}), Catch::Contains("kernel_size"));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.strides = {1, -2}}), Catch::Contains("strides"));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.groups = 0}), Catch::Contains("groups"));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.data_format = "nchw"}), Catch::Contains("data_format"));
  CHECK_THROWS_WITH(Conv2D(4, 3, {.activation = "relux"}), Catch::Contains("relux"));
  CHECK_THROWS_AS(Conv2D(4, 3, {.activity_regularizer = "l2"}), NotImplementedError);
  // at build: input channels % groups, a window that does not fit, an unknown channel count
  CHECK_THROWS_WITH(Conv2D(4, 3, {.groups = 2})(random_tensor({1, 5, 5, 3})),
                    Catch::Contains("input channels must be evenly divisible"));
  CHECK_THROWS_WITH(Conv2D(4, 7)(random_tensor({1, 5, 5, 3})), Catch::Contains("zero or negative"));
  {  // built for unknown spatial sizes, then called on an image smaller than the window: the op's error names the layer
    Conv2D late(4, 7, {.name = "late"});
    late(xkeras::Input({None, None, 3}));
    CHECK_THROWS_WITH(late(random_tensor({1, 5, 5, 3})), Catch::Contains("\"late\"") && Catch::Contains("does not fit"));
  }
  CHECK_THROWS_WITH(Conv2D(4, 3)(xkeras::Input({5, 5, None})), Catch::Contains("channel dimension"));
  CHECK_THROWS_WITH(Conv2D(4, 3)(xkeras::Input({5, 3})), Catch::Contains("expected ndim=4"));
  // from_config names the JSON path
  CHECK_THROWS_WITH(layer_from_config("Conv2D", json{{"filters", 4}, {"kernel_size", 3}, {"padding", "causal"}}, "cfg"),
                    Catch::Contains("cfg.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("Conv2D", json{{"filters", -4}, {"kernel_size", 3}}, "cfg"),
                    Catch::Contains("cfg.config.filters"));
  CHECK_THROWS_WITH(layer_from_config("Conv2D", json{{"filters", 4}}, "cfg"), Catch::Contains("cfg.config.kernel_size"));
  CHECK_THROWS_WITH(layer_from_config("Conv2D", json{{"filters", 4}, {"kernel_size", 3}, {"data_format", "channels_first"}}, "cfg"),
                    Catch::Contains("cfg.config.data_format"));
  CHECK_THROWS_AS(layer_from_config("Conv2D", json{{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"dilation_rate", 2}}, "cfg"),
                  ConfigError);
}
