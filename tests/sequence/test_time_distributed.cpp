// TimeDistributed: Keras's time_distributed_test values (with and without a mask), weights, shapes,
// gradients, configs and loading from Keras 3 and tf.keras JSON.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>
#include <xkeras/registry.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

Tensor arange(const Shape& s) {
  Tensor t = Tensor::zeros(s);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(i);
  return t;
}

// An inner layer that takes a mask, like the one in Keras's test: it zeros the masked samples.
class ZeroMaskedImpl : public Layer {
 public:
  explicit ZeroMaskedImpl(LayerPtr inner) : Layer("ZeroMasked"), inner_(std::move(inner)) { mark_built(); }
  Tensors call_args(const Tensors& xs, const CallArgs& args) override {
    Tensor y = (*inner_)(xs[0], args.training);
    if (args.masks.empty() || !args.masks[0].defined()) return {y};
    Shape s = args.masks[0].shape();
    s.push_back(1);
    return {ops::mul(y, ops::reshape(args.masks[0], s))};
  }
  std::vector<LayerPtr> sublayers() const override { return {inner_}; }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& in) override {
    return inner_->compute_output_shape(in);
  }

 private:
  LayerPtr inner_;
};

}  // namespace

TEST_CASE("TimeDistributed: Keras test values, Dense(1) kernel 0.01 without bias") {
  auto td = layers::TimeDistributed(
      layers::Dense(1, {.use_bias = false, .kernel_initializer = initializers::Constant(0.01)}));
  const Tensor y = td(arange({3, 2, 4}));
  REQUIRE(y.shape() == Shape{3, 2, 1});
  check_close(y, {0.06f, 0.22f, 0.38f, 0.54f, 0.7f, 0.86f});
  // the weights are exactly the inner layer's
  REQUIRE(td->weights().size() == 1);
  CHECK(td->weights()[0]->name == "kernel");
  CHECK(td->weights()[0]->shape() == Shape{4, 1});
  CHECK(td->count_params() == 4);
}

TEST_CASE("TimeDistributed: a mask is sliced per step for an inner layer that takes one") {
  auto dense = layers::Dense(1, {.use_bias = false, .kernel_initializer = initializers::Constant(0.01)});
  auto td = layers::TimeDistributed(std::make_shared<ZeroMaskedImpl>(dense));
  Tensor x = arange({3, 2, 4});
  x.set_keras_mask(Tensor::from({3, 2}, {0, 1, 1, 0, 1, 1}));
  const Tensor y = td(x);
  check_close(y, {0, 0.22f, 0.38f, 0, 0.7f, 0.86f});
  CHECK_FALSE(y.keras_mask().defined());  // Keras: TimeDistributed does not propagate masks
  // a mask that does not match the first two input dimensions
  Tensor bad = arange({3, 2, 4});
  bad.set_keras_mask(Tensor::from({2, 3}, {1, 1, 1, 1, 1, 1}));
  REQUIRE_THROWS_WITH(td(bad), Contains("mask"));
}

TEST_CASE("TimeDistributed: equals the inner layer applied step by step, rank 4 and Conv1D") {
  auto dense = layers::Dense(3);
  auto td = layers::TimeDistributed(dense);
  const Tensor x = random_tensor({2, 5, 4}, 3);
  const Tensor y = td(x);
  for (std::size_t t = 0; t < 5; ++t) {
    const Tensor step = dense(ops::squeeze(ops::slice(x, 1, t, t + 1), 1));
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t j = 0; j < 3; ++j) CHECK(y.data()[(b * 5 + t) * 3 + j] == Approx(step.data()[b * 3 + j]));
  }
  // a per-frame Conv1D on (B, T, steps, channels)
  auto conv = layers::TimeDistributed(layers::Conv1D(2, 3));
  const Tensor v = random_tensor({2, 3, 6, 2}, 4);
  CHECK(conv(v).shape() == Shape{2, 3, 4, 2});
  testing::check_output_shape(*conv, {v});
  CHECK(conv->compute_output_shape({{None, 7, 6, 2}}) == std::vector<TensorShape>{{None, 7, 4, 2}});
}

TEST_CASE("TimeDistributed: gradients of the input and the inner weights") {
  auto td = layers::TimeDistributed(layers::Dense(2, "tanh"));
  Tensor x = random_tensor({2, 3, 4}, 5);
  td(x);
  Tensor k = td->weights()[0]->value, b = td->weights()[1]->value;
  check_gradients([&] { return td(x); }, {x, k, b});
}

TEST_CASE("TimeDistributed: errors for inputs of rank below 3") {
  auto td = layers::TimeDistributed(layers::Dense(2));
  REQUIRE_THROWS_WITH(td(random_tensor({2, 4}, 1)), Contains("min_ndim=3"));
  REQUIRE_THROWS_AS(layers::TimeDistributed(LayerPtr()), ValueError);
}

TEST_CASE("TimeDistributed: Keras 3 config and round trip") {
  clear_session();
  auto td = layers::TimeDistributed(layers::Dense(4, "relu"));
  td(random_tensor({1, 2, 3}, 1));
  const json c = td->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "layer"});
  CHECK(c["name"] == "time_distributed");
  CHECK(c["layer"]["module"] == "keras.layers");
  CHECK(c["layer"]["class_name"] == "Dense");
  CHECK(c["layer"]["config"]["name"] == "dense");
  CHECK(c["layer"]["config"]["units"] == 4);
  CHECK(c["layer"]["registered_name"].is_null());
  CHECK(c["layer"]["build_config"]["input_shape"] == json::parse("[null, 3]"));
  LayerPtr again = layer_from_config("TimeDistributed", c, "config");
  CHECK(again->get_config()["layer"]["config"] == c["layer"]["config"]);
  REQUIRE_THROWS_WITH(layer_from_config("TimeDistributed", json::parse(R"({"name": "t", "layer": 3})"), "config"),
                      Contains("config.layer"));
  REQUIRE_THROWS_WITH(layer_from_config("TimeDistributed", json::parse(R"({"name": "t"})"), "config"),
                      Contains("layer"));
  REQUIRE_THROWS_WITH(layer_from_config("TimeDistributed",
                                        json::parse(R"({"layer": {"class_name": "Dense", "config": {"units": -1}}})"),
                                        "config"),
                      Contains("config.layer"));
}

TEST_CASE("TimeDistributed: Keras 3 and tf.keras models load through model_from_json") {
  // Keras 3 functional layout
  const std::string k3 = R"({"module": "keras", "class_name": "Functional", "config": {"name": "m", "trainable": true,
    "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 4], "dtype": "float32",
       "sparse": false, "name": "x"}, "registered_name": null, "name": "x", "inbound_nodes": []},
      {"module": "keras.layers", "class_name": "TimeDistributed", "config": {"name": "td", "trainable": true,
       "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
       "layer": {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
         "dtype": "float32", "units": 2, "activation": "linear", "use_bias": true,
         "kernel_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null},
         "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
         "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
         "registered_name": null, "build_config": {"input_shape": [null, 4]}}},
       "registered_name": null, "build_config": {"input_shape": [null, 3, 4]}, "name": "td",
       "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 4], "dtype": "float32",
         "keras_history": ["x", 0, 0]}}], "kwargs": {}}]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["td", 0, 0]]}, "registered_name": null})";
  Model m = model_from_json(k3);
  const Tensor y = m.predict(arange({1, 3, 4}));
  check_close(y, {6, 6, 22, 22, 38, 38});
  // tf.keras 2.x Sequential
  const std::string tfk = R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "trainable": true,
     "batch_input_shape": [null, 3, 4], "dtype": "float32",
     "layer": {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2,
       "activation": "linear", "use_bias": false, "kernel_initializer": {"class_name": "Ones", "config": {}},
       "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
       "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}}}]},
    "keras_version": "2.13.1", "backend": "tensorflow"})";
  Model s = model_from_json(tfk);
  check_close(s.predict(arange({1, 3, 4})), {6, 6, 22, 22, 38, 38});
  // and the written JSON reads back the same
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  check_close(again.predict(arange({1, 3, 4})), {6, 6, 22, 22, 38, 38});
}

TEST_CASE("TimeDistributed and Embedding: save_tfjs writes tf.keras weight names and loads back") {
  clear_session();
  auto in = Input({3});
  auto e = layers::Embedding(7, 4)(in);
  auto out = layers::TimeDistributed(layers::Dense(2))(e);
  Model m(in, out);
  const std::filesystem::path dir = std::filesystem::path(XKERAS_BINARY_DIR) / "tests" / "sequence_scratch" / "td_tfjs";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir.parent_path());
  m.save_tfjs(dir.string());
  std::ifstream f(dir / "model.json");
  std::stringstream text;
  text << f.rdbuf();
  const json model = json::parse(text.str());
  std::vector<std::string> names;
  for (const auto& w : model["weightsManifest"][0]["weights"]) names.push_back(w["name"]);
  CHECK(names == std::vector<std::string>{"embedding/embeddings", "time_distributed/kernel", "time_distributed/bias"});
  Model again = load_model((dir / "model.json").string());
  const Tensor ids = Tensor::from({2, 3}, {1, 6, 0, 3, 3, 2});
  const Tensor y = m.predict(ids);
  check_close(again.predict(ids), y.to_vector());
  // inputs and outputs for tools/tfjs/round_trip.js (node round_trip.js <dir>)
  const json io = {{"inputs", {{{"shape", ids.shape()}, {"data", ids.to_vector()}}}},
                   {"outputs", {{{"shape", y.shape()}, {"data", y.to_vector()}}}}};
  std::ofstream(dir / "xkeras_io.json") << io.dump();
}
