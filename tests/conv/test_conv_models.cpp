// The convolution variants inside models: Keras 3 model JSON (as Keras writes it) loads through
// model_from_json, an xkeras model round-trips with identical predictions, and every weight
// receives a gradient.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/tape.hpp>

#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::random_tensor;

namespace {

json dtype_policy() {
  return json{{"module", "keras"}, {"class_name", "DTypePolicy"}, {"config", {{"name", "float32"}}}, {"registered_name", nullptr}};
}
json initializer(const char* name) {
  const json config = std::string(name) == "Zeros" ? json::object() : json{{"seed", nullptr}};
  return json{{"module", "keras.initializers"}, {"class_name", name}, {"config", config}, {"registered_name", nullptr}};
}
// A layer entry as Keras 3 writes it in a Sequential's "layers".
json keras_layer(const char* class_name, json config) {
  json c{{"name", config["name"]}, {"trainable", true}, {"dtype", dtype_policy()}};
  for (auto it = config.begin(); it != config.end(); ++it) c[it.key()] = it.value();
  return json{{"module", "keras.layers"}, {"class_name", class_name}, {"config", c}, {"registered_name", nullptr}};
}
json sequential(json input_shape, json layers) {
  json all = json::array({json{{"module", "keras.layers"}, {"class_name", "InputLayer"},
                               {"config", {{"batch_shape", input_shape}, {"dtype", "float32"}, {"sparse", false}, {"name", "input_layer"}}},
                               {"registered_name", nullptr}}});
  for (auto& l : layers) all.push_back(l);
  return json{{"module", "keras"}, {"class_name", "Sequential"},
              {"config", {{"name", "sequential"}, {"trainable", true}, {"dtype", dtype_policy()}, {"layers", all}}},
              {"registered_name", nullptr}};
}

}  // namespace

TEST_CASE("Keras 3 Sequential JSON with Conv1D (causal, dilated) loads through model_from_json") {
  const json conv_a{{"name", "conv1d"}, {"filters", 6}, {"kernel_size", {3}}, {"strides", {1}}, {"padding", "causal"},
                    {"data_format", "channels_last"}, {"dilation_rate", {2}}, {"groups", 1}, {"activation", "relu"},
                    {"use_bias", true}, {"kernel_initializer", initializer("GlorotUniform")},
                    {"bias_initializer", initializer("Zeros")}, {"kernel_regularizer", nullptr}, {"bias_regularizer", nullptr},
                    {"activity_regularizer", nullptr}, {"kernel_constraint", nullptr}, {"bias_constraint", nullptr}};
  json conv_b = conv_a;
  conv_b["name"] = "conv1d_1";
  conv_b["filters"] = 4;
  conv_b["strides"] = {2};
  conv_b["padding"] = "same";
  conv_b["dilation_rate"] = {1};
  conv_b["groups"] = 2;
  const json text = sequential({nullptr, 16, 3}, {keras_layer("Conv1D", conv_a), keras_layer("Conv1D", conv_b)});
  Model m = model_from_json(text.dump());
  const Tensor y = m.predict(random_tensor({2, 16, 3}, 1));
  CHECK(y.shape() == Shape{2, 8, 4});
  const json again = json::parse(m.to_json());
  CHECK(again["config"]["layers"][1]["config"] == text["config"]["layers"][1]["config"]);
  CHECK(again["config"]["layers"][2]["config"] == text["config"]["layers"][2]["config"]);
}

TEST_CASE("Keras 3 Sequential JSON with DepthwiseConv2D, SeparableConv2D and Conv2DTranspose loads") {
  const json dw{{"name", "depthwise_conv2d"}, {"depth_multiplier", 2}, {"kernel_size", {3, 3}}, {"strides", {1, 1}},
                {"padding", "same"}, {"data_format", "channels_last"}, {"dilation_rate", {1, 1}}, {"activation", "relu"},
                {"use_bias", true}, {"depthwise_initializer", initializer("GlorotUniform")},
                {"bias_initializer", initializer("Zeros")}, {"depthwise_regularizer", nullptr}, {"bias_regularizer", nullptr},
                {"activity_regularizer", nullptr}, {"depthwise_constraint", nullptr}, {"bias_constraint", nullptr}};
  const json sep{{"name", "separable_conv2d"}, {"depth_multiplier", 1}, {"filters", 8}, {"kernel_size", {3, 3}},
                 {"strides", {2, 2}}, {"padding", "same"}, {"data_format", "channels_last"}, {"dilation_rate", {1, 1}},
                 {"activation", "linear"}, {"use_bias", true}, {"depthwise_initializer", initializer("GlorotUniform")},
                 {"pointwise_initializer", initializer("GlorotUniform")}, {"bias_initializer", initializer("Zeros")},
                 {"depthwise_regularizer", nullptr}, {"pointwise_regularizer", nullptr}, {"bias_regularizer", nullptr},
                 {"activity_regularizer", nullptr}, {"depthwise_constraint", nullptr}, {"pointwise_constraint", nullptr},
                 {"bias_constraint", nullptr}};
  const json up{{"name", "conv2d_transpose"}, {"filters", 3}, {"kernel_size", {3, 3}}, {"strides", {2, 2}},
                {"padding", "same"}, {"output_padding", {1, 1}}, {"data_format", "channels_last"}, {"dilation_rate", {1, 1}},
                {"activation", "sigmoid"}, {"use_bias", true}, {"kernel_initializer", initializer("GlorotUniform")},
                {"bias_initializer", initializer("Zeros")}, {"kernel_regularizer", nullptr}, {"bias_regularizer", nullptr},
                {"activity_regularizer", nullptr}, {"kernel_constraint", nullptr}, {"bias_constraint", nullptr}};
  const json text = sequential({nullptr, 6, 6, 4}, {keras_layer("DepthwiseConv2D", dw), keras_layer("SeparableConv2D", sep),
                                                   keras_layer("Conv2DTranspose", up)});
  Model m = model_from_json(text.dump());
  // 6x6x4 -> depthwise same M2: 6x6x8 -> separable s2 same: 3x3x8 -> transpose s2 same op1: (3-1)*2 + 1 + 1 = 6
  CHECK(m.predict(random_tensor({2, 6, 6, 4}, 2)).shape() == Shape{2, 6, 6, 3});
  const json again = json::parse(m.to_json());
  for (int i = 1; i <= 3; ++i) CHECK(again["config"]["layers"][i]["config"] == text["config"]["layers"][i]["config"]);
  CHECK(m.count_params() == (3 * 3 * 4 * 2 + 8) + (3 * 3 * 8 + 8 * 8 + 8) + (3 * 3 * 3 * 8 + 3));
}

TEST_CASE("a model of every conv variant: JSON round trip with identical predictions, gradients reach every weight") {
  auto inp = Input({8, 8, 3});
  auto x = layers::DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2, .activation = "relu"})(inp);  // 8x8x6
  x = layers::SeparableConv2D(4, 3, {.strides = 2, .padding = "same"})(x);                                  // 4x4x4
  x = layers::Conv2DTranspose(2, 3, {.strides = 2, .padding = "same", .activation = "tanh"})(x);            // 8x8x2
  x = layers::Reshape({64, 2})(x);
  x = layers::Conv1D(3, 3, {.padding = "causal", .dilation_rate = 2})(x);                                   // 64x3
  Model m(inp, x, "conv_variants");
  const Tensor in = random_tensor({3, 8, 8, 3}, 4);
  const Tensor y = m.predict(in);
  REQUIRE(y.shape() == Shape{3, 64, 3});
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  CHECK(again.to_json() == m.to_json());
  CHECK(all_close(again.predict(in).value(), y.value(), 0, 0));
  // save() / load_model: the weights come back by path, the predictions are identical
  const std::string path = std::string(XKERAS_BINARY_DIR) + "/test_conv_variants_model.json";
  m.save(path);
  Model loaded = load_model(path);
  std::remove(path.c_str());
  CHECK(all_close(loaded.predict(in).value(), y.value(), 0, 0));
  const auto ws = m->trainable_weights();
  REQUIRE(ws.size() == 2 + 3 + 2 + 2);
  for (const auto& w : ws) w->value.zero_grad();
  Tape::current().clear();
  Tensor out = m->operator()(in, true);
  Tape::current().backward(out);
  for (const auto& w : ws) {
    INFO(w->path());
    double norm = 0;
    for (float g : w->value.grad()) norm += double(g) * g;
    CHECK(norm > 0);
  }
}
