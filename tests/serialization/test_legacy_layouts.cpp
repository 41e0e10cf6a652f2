// What real files written by older Keras, by TensorFlow.js or by hand look like, read as the Keras that
// wrote them: Keras 1 argument names, hard_sigmoid by version, the converter's model_config wrapper, a JSON
// string holding JSON, nested bare-list Sequentials, every problem of a file reported at once, and the
// messages that tell a Keras layer xkeras lacks from a user's own class.
#include "helpers.hpp"
#include "xkeras/layers.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/registry.hpp"

using namespace xkeras;
using namespace sertest;

namespace {

ConfigError load_error(const std::string& text) {
  try {
    model_from_json(text);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError");
  throw std::logic_error("unreachable");
}

// One Dense(1) with kernel 1 and bias 0 on a scalar input, with activation `act`, in tf.keras's layout.
std::string dense_file(const std::string& act, const std::string& version_key) {
  return R"({"class_name": "Sequential", )" + version_key + R"("config": {"name": "s", "layers": [
    {"class_name": "Dense", "config": {"name": "d", "batch_input_shape": [null, 1], "units": 1, "activation": ")" + act + R"(",
      "kernel_initializer": {"class_name": "Ones", "config": {}}, "bias_initializer": {"class_name": "Zeros", "config": {}}}},
    {"class_name": "Activation", "config": {"name": "a", "activation": ")" + act + R"("}}]}})";
}

float predict_one(const Model& m, float x) { return m.predict(Tensor::from({1, 1}, {x})).to_vector()[0]; }

}  // namespace

TEST_CASE("Keras 1 argument names load as Keras 2 read them") {
  // Keras 1.2 spelling, as in a real 1.2.1 file (Convolution2D nb_filter/nb_row/nb_col/subsample/border_mode/
  // dim_ordering/init/bias, Dropout p, Dense output_dim/input_dim/input_dtype, MaxPooling2D border_mode).
  const std::string text = R"({"class_name": "Sequential", "keras_version": "1.2.1", "config": [
    {"class_name": "Convolution2D", "config": {"name": "c", "batch_input_shape": [null, 6, 6, 1], "input_dtype": "float32",
      "nb_filter": 3, "nb_row": 3, "nb_col": 2, "subsample": [1, 1], "border_mode": "same", "dim_ordering": "tf",
      "init": "glorot_uniform", "bias": false, "activation": "relu", "W_regularizer": null, "b_regularizer": null,
      "activity_regularizer": null, "W_constraint": null, "b_constraint": null, "trainable": true}},
    {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2], "strides": [2, 2], "border_mode": "valid", "dim_ordering": "tf"}},
    {"class_name": "Dropout", "config": {"name": "drop", "p": 0.25}},
    {"class_name": "Flatten", "config": {"name": "f"}},
    {"class_name": "Dense", "config": {"name": "d", "output_dim": 4, "input_dim": 27, "init": "he_normal", "bias": true, "activation": "linear"}}]})";
  const Model m = model_from_json(text);
  const json c = json::parse(m.to_json())["config"]["layers"];
  REQUIRE(c.size() == 6);  // the InputLayer, then the five layers
  const json& conv = c[1]["config"];
  CHECK(c[1]["class_name"] == "Conv2D");
  CHECK(conv["filters"] == 3);
  CHECK(conv["kernel_size"] == json::array({3, 2}));
  CHECK(conv["padding"] == "same");
  CHECK(conv["use_bias"] == false);
  CHECK(conv["activation"] == "relu");
  CHECK(c[2]["config"]["padding"] == "valid");
  CHECK(c[3]["config"]["rate"] == Approx(0.25));
  CHECK(c[5]["config"]["units"] == 4);
  CHECK(c[5]["config"]["kernel_initializer"]["class_name"] == "HeNormal");
  CHECK(m.predict(Tensor::zeros({2, 6, 6, 1})).shape() == Shape{2, 4});
}

TEST_CASE("Keras 1 values without a Keras 2 meaning are refused with their path") {
  const ConfigError full = load_error(R"({"class_name": "Sequential", "keras_version": "1.1.0", "config": [
    {"class_name": "Convolution2D", "config": {"name": "c", "batch_input_shape": [null, 6, 6, 1], "nb_filter": 3, "nb_row": 3,
      "nb_col": 3, "border_mode": "full"}}]})");
  CHECK(full.path() == "config[0].config.border_mode");
  CHECK_THAT(full.what(), Catch::Contains("\"full\" has no Keras 2 equivalent"));
  const ConfigError bn = load_error(R"({"class_name": "Sequential", "keras_version": "1.2.0", "config": [
    {"class_name": "BatchNormalization", "config": {"name": "b", "batch_input_shape": [null, 3], "mode": 2}}]})");
  CHECK(bn.path() == "config[0].config.mode");
}

TEST_CASE("hard_sigmoid means what the Keras that wrote the file meant") {
  // x = 1.5: Keras 1/2 and TensorFlow.js clip(0.2x + 0.5) = 0.8; Keras 3 relu6(x + 3) / 6 = 0.75.
  // Both the Dense activation and the Activation layer apply it: 0.2 * 0.8 + 0.5 = 0.66 vs (0.75 + 3) / 6 = 0.625.
  const Model k2 = model_from_json(dense_file("hard_sigmoid", R"("keras_version": "2.2.4", "backend": "tensorflow", )"));
  CHECK(predict_one(k2, 1.5f) == Approx(0.66f));
  const Model tfjs = model_from_json(dense_file("hard_sigmoid", R"("keras_version": "tfjs-layers 1.3.1", "backend": "tensor_flow.js", )"));
  CHECK(predict_one(tfjs, 1.5f) == Approx(0.66f));
  // Keras 3's to_json writes no version and uses batch_shape: Keras 3's formula.
  std::string k3_text = dense_file("hard_sigmoid", "");
  k3_text.replace(k3_text.find("batch_input_shape"), 17, "batch_shape");
  const Model k3 = model_from_json(k3_text);
  CHECK(predict_one(k3, 1.5f) == Approx(0.625f));
  // A file without a version in tf.keras's layout (batch_input_shape) is read as Keras 2.
  CHECK(predict_one(model_from_json(dense_file("hard_sigmoid", "")), 1.5f) == Approx(0.66f));
  // What xkeras writes keeps the meaning: the Keras 2 formula under its own name, and back.
  const json saved = json::parse(k2.to_json());
  CHECK(saved["config"]["layers"][1]["config"]["activation"] == "hard_sigmoid_keras2");
  CHECK(predict_one(model_from_json(k2.to_json()), 1.5f) == Approx(0.66f));
}

TEST_CASE("the converter's model_config wrapper and a JSON string holding JSON load") {
  const std::string inner = dense_file("relu", "");
  const Model wrapped = model_from_json(R"({"keras_version": "2.15.0", "backend": "tensorflow", "model_config": )" + inner + "}");
  CHECK(predict_one(wrapped, 2.0f) == Approx(2.0f));
  const Model as_string = model_from_json(json(inner).dump());  // json.dump(model.to_json()) in Python
  CHECK(predict_one(as_string, -2.0f) == Approx(0.0f));
  // The wrapper carries the version: hard_sigmoid inside it is Keras 2's.
  const Model k2 = model_from_json(R"({"keras_version": "2.15.0", "model_config": )" + dense_file("hard_sigmoid", "") + "}");
  CHECK(predict_one(k2, 1.5f) == Approx(0.66f));
}

TEST_CASE("a TensorFlow.js model.json given to model_from_json says where the model is") {
  const ConfigError e = load_error(R"({"format": "layers-model", "modelTopology": {"class_name": "Sequential", "config": {}},
                                      "weightsManifest": []})");
  CHECK(e.path() == "modelTopology");
  CHECK_THAT(e.what(), Catch::Contains("load_model"));
}

TEST_CASE("nested Sequentials written as bare lists (Keras <= 2.1) load") {
  const Model m = model_from_json(R"({"class_name": "Sequential", "keras_version": "2.0.6", "config": [
    {"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "a", "batch_input_shape": [null, 3], "units": 2}}]},
    {"class_name": "Dense", "config": {"name": "b", "units": 1}}]})");
  CHECK(m.predict(Tensor::zeros({4, 3})).shape() == Shape{4, 1});
}

TEST_CASE("a file with several problems reports every one with its path") {
  try {
    model_from_json(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "in"}},
      {"class_name": "Dense", "config": {"name": "a", "units": -4}},
      {"class_name": "Dense", "config": {"name": "b", "units": 2, "kernel_initializer": "no_such_init"}},
      {"class_name": "Sequential", "config": {"name": "inner", "layers": [
        {"class_name": "Dense", "config": {"name": "c", "units": 2, "activation": "no_such_act"}}]}},
      {"class_name": "LocallyConnected2D", "config": {"name": "l"}}]}})");
    FAIL("expected ConfigErrors");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.problems().size() == 4);
    CHECK(e.problems()[0].path() == "config.layers[1].config.units");
    CHECK(e.problems()[1].path() == "config.layers[2].config.kernel_initializer");
    CHECK(e.problems()[2].path() == "config.layers[3].config.layers[0].config.activation");
    CHECK(e.problems()[3].path() == "config.layers[4].class_name");
    CHECK(e.path() == "config.layers[1].config.units");  // the first problem, for code that reads one
    CHECK_THAT(e.what(), Catch::StartsWith("4 problems:") && Catch::Contains("no_such_act"));
  }
  // A functional model too.
  try {
    model_from_json(R"({"class_name": "Functional", "config": {"name": "f", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 3], "name": "in"}, "inbound_nodes": []},
      {"class_name": "Dense", "name": "a", "config": {"name": "a"}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 0}, "inbound_nodes": [[["a", 0, 0, {}]]]}],
      "input_layers": [["in", 0, 0]], "output_layers": [["b", 0, 0]]}})");
    FAIL("expected ConfigErrors");
  } catch (const ConfigErrors& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].path() == "config.layers[1].config.units");
    CHECK(e.problems()[1].path() == "config.layers[2].config.units");
  }
}

TEST_CASE("a Keras layer xkeras lacks and a user's unregistered class get different messages") {
  const ConfigError keras = load_error(R"({"class_name": "Sequential", "config": {"layers": [
    {"class_name": "LocallyConnected2D", "config": {"name": "l"}}]}})");
  CHECK_THAT(keras.what(), Catch::Contains("layer class \"LocallyConnected2D\" is a Keras layer that xkeras does not implement yet"));
  const ConfigError user = load_error(R"({"class_name": "Sequential", "config": {"layers": [
    {"class_name": "PixelShuffler", "config": {"name": "p"}}]}})");
  CHECK_THAT(user.what(), Catch::Contains("not a Keras layer") && Catch::Contains("XKERAS_REGISTER_LAYER(PixelShuffler)"));
  const auto missing = keras_layers_not_implemented();
  CHECK(std::count(missing.begin(), missing.end(), "LocallyConnected2D") == 1);
  CHECK(std::count(missing.begin(), missing.end(), "Dense") == 0);
  CHECK(std::count(missing.begin(), missing.end(), "Conv2DTranspose") == 0);
}

namespace {
class Doubler : public Layer {  // a user's class that names nothing
 public:
  Doubler() : Layer("Doubler") {}
  Tensor call(const Tensor& x, bool) override { return ops::scale(x, 2.0f); }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& s) override { return s; }
};
class Tripler : public Doubler {  // one that gives its package
 public:
  json registered_name() const override { return "my_pkg>Tripler"; }
};
}  // namespace

TEST_CASE("a user's class is written as Keras writes a user's class, not as keras.layers") {
  auto in = Input({2});
  Model m(in, make_layer<Tripler>()(make_layer<Doubler>()(in)));
  const json layers = json::parse(m.to_json())["config"]["layers"];
  CHECK(layers[1]["module"] == "Custom");
  CHECK(layers[1]["registered_name"] == "Custom>Doubler");
  CHECK(layers[2]["module"] == "my_pkg");
  CHECK(layers[2]["registered_name"] == "my_pkg>Tripler");
  CHECK(layers[0]["module"] == "keras.layers");  // the InputLayer, a Keras class
  CHECK(layers[0]["registered_name"].is_null());
}
