// The layers of this folder inside models: JSON round trips with identical predictions, and a
// Keras 3 model JSON (built from the layers' get_config code paths) loaded by model_from_json.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/models/sequential.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::random_tensor;

TEST_CASE("Preprocessing Sequential: every noise layer and Normalization through JSON") {
  layers::Normalization norm;
  norm->adapt(random_tensor({20, 6, 4}, 1, -2.0f, 3.0f));
  Sequential s({layers::Input({6, 4}), layers::Rescaling({0.5, 1.0, 2.0, 4.0}, 1.0), layers::SpatialDropout1D(0.2),
                layers::GaussianNoise(0.1, 3), norm, layers::Flatten(), layers::Dense(5), layers::AlphaDropout(0.1),
                layers::GaussianDropout(0.2), layers::Dropout(0.1)});
  const Tensor x = random_tensor({3, 6, 4}, 2);
  const Tensor y = s.predict(x);
  const std::string text = s.to_json();
  Model again = model_from_json(text);
  again.set_weights(s.get_weights());
  CHECK(again.to_json() == text);
  check_close(again.predict(x), y.to_vector(), 1e-6);
  // the adapted statistics travel as weights: mean, variance, count of the Normalization layer
  CHECK(again.get_layer(norm->name())->weights().size() == 3);
  // training mode does draw noise
  CHECK(s->operator()(x, true).to_vector() != y.to_vector());
}

TEST_CASE("Preprocessing: SpatialDropout2D/3D and channels_first configs survive a model round trip") {
  Sequential s({layers::Input({4, 4, 3}), layers::SpatialDropout2D(0.3, "channels_first"), layers::Rescaling(2.0),
                layers::Normalization({.axis = {}, .mean = 1.0, .variance = 4.0})});
  const Tensor x = random_tensor({2, 4, 4, 3}, 3);
  const std::string text = s.to_json();
  Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  check_close(again.predict(x), s.predict(x).to_vector(), 1e-6);
  std::vector<float> expected;
  for (float v : x.to_vector()) expected.push_back((2 * v - 1) / 2);
  check_close(again.predict(x), expected, 1e-6);
}

TEST_CASE("Preprocessing: SpatialDropout3D and GaussianNoise in a model loaded from its JSON") {
  Sequential s({layers::Input({2, 2, 2, 3}), layers::SpatialDropout3D(0.5, "", 5), layers::GaussianNoise(0.2)});
  const std::string text = s.to_json();
  CHECK(text.find(R"("class_name":"SpatialDropout3D","config":{"rate":0.5,"seed":5,"name":)") != std::string::npos);
  Model again = model_from_json(text);
  CHECK(again.to_json() == text);
  const Tensor x = random_tensor({2, 2, 2, 2, 3}, 4);
  check_close(again.predict(x), x.to_vector(), 0.0);
}

TEST_CASE("Normalization: a kept batch axis in a model file is an error at the layer's path") {
  // batch_shape [2^26, 2^26] with axis [0, 1] and a scalar mean would broadcast to 2^52 values; layers
  // build with the batch as None, so Keras's known-size rule refuses it first
  const std::string text = R"({"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [67108864, 67108864], "name": "in"}},
      {"module": "keras.layers", "class_name": "Normalization", "config": {"name": "n", "axis": [0, 1], "mean": 1.0,
       "variance": 1.0}}]}})";
  CHECK_THROWS_WITH(model_from_json(text), Catch::Contains("layers[1]") && Catch::Contains("Normalization") &&
                                               Catch::Contains("must have a known shape"));
}

namespace {
const char* kDtype = R"("dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null})";

std::string layer_json(const std::string& cls, const std::string& name, const std::string& own, const std::string& args) {
  return R"({"module": "keras.layers", "class_name": ")" + cls + R"(", "config": {"name": ")" + name +
         R"(", "trainable": true, )" + kDtype + own + R"(}, "registered_name": null, "name": ")" + name +
         R"(", "inbound_nodes": [{"args": )" + args + R"(, "kwargs": {}}]})";
}

std::string kt(const std::string& from, const std::string& shape) {
  return R"({"class_name": "__keras_tensor__", "config": {"shape": )" + shape +
         R"(, "dtype": "float32", "keras_history": [")" + from + R"(", 0, 0]}})";
}
}  // namespace

TEST_CASE("Preprocessing: a Keras 3 functional JSON with Dot, Maximum, Minimum, Rescaling, Normalization") {
  // Two (None, 3) inputs; a = Rescaling(2, 1)(x1), b = Normalization(mean=[1,2,3], variance=[1,4,9])(x2);
  // out = Dot(axes=-1)([Maximum([a, b]), Minimum([a, b])]) plus the noise layers (identity at inference).
  const std::string input = R"({"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3],
      "dtype": "float32", "sparse": false, "ragged": false, "name": "NAME", "optional": false}, "registered_name": null,
      "name": "NAME", "inbound_nodes": []})";
  auto input_named = [&](const std::string& n) {
    std::string s = input;
    for (std::size_t p; (p = s.find("NAME")) != std::string::npos;) s.replace(p, 4, n);
    return s;
  };
  const std::string v = "[null, 3]";
  const std::string layers_json = "[" + input_named("x1") + ", " + input_named("x2") + ", " +
      layer_json("Rescaling", "rescaling", R"(, "scale": 2.0, "offset": 1.0)", "[" + kt("x1", v) + "]") + ", " +
      layer_json("Normalization", "normalization", R"(, "axis": [-1], "invert": false, "mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0])",
                 "[" + kt("x2", v) + "]") + ", " +
      layer_json("GaussianNoise", "gaussian_noise", R"(, "stddev": 0.1, "seed": null)", "[" + kt("rescaling", v) + "]") + ", " +
      layer_json("AlphaDropout", "alpha_dropout", R"(, "rate": 0.1, "seed": 4, "noise_shape": null)", "[" + kt("normalization", v) + "]") + ", " +
      layer_json("Maximum", "maximum", "", "[[" + kt("gaussian_noise", v) + ", " + kt("alpha_dropout", v) + "]]") + ", " +
      layer_json("Minimum", "minimum", "", "[[" + kt("gaussian_noise", v) + ", " + kt("alpha_dropout", v) + "]]") + ", " +
      layer_json("Dot", "dot", R"(, "axes": -1, "normalize": false)", "[[" + kt("maximum", v) + ", " + kt("minimum", v) + "]]") + "]";
  const std::string text = R"({"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "f",
      "trainable": true, "layers": )" + layers_json + R"(, "input_layers": [["x1", 0, 0], ["x2", 0, 0]],
      "output_layers": [["dot", 0, 0]]}, "registered_name": "Functional", "build_config": {"input_shape": null}})";
  Model m = model_from_json(text);
  const Tensor x1 = Tensor::from({2, 3}, {0, 1, 2, -1, 0.5f, 3}), x2 = Tensor::from({2, 3}, {2, 4, 0, 1, 2, 3});
  const Tensor y = m.predict(Tensors{x1, x2})[0];
  REQUIRE(y.shape() == Shape{2, 1});
  // a = 2 x1 + 1; b = (x2 - [1, 2, 3]) / [1, 2, 3]; max . min = sum(a * b) (the pair is {a, b} either way)
  std::vector<float> expected;
  const float mean[] = {1, 2, 3}, sd[] = {1, 2, 3};
  for (int r = 0; r < 2; ++r) {
    float s = 0;
    for (int i = 0; i < 3; ++i) s += (2 * x1.data()[r * 3 + i] + 1) * ((x2.data()[r * 3 + i] - mean[i]) / sd[i]);
    expected.push_back(s);
  }
  check_close(y, expected, 1e-5);
  CHECK(m.get_layer("dot")->get_config()["axes"] == -1);
  CHECK(m.get_layer("normalization")->weights().empty());
}

TEST_CASE("Preprocessing: a bad layer config in a model names its JSON path") {
  Sequential s({layers::Input({3}), layers::GaussianNoise(0.1)});
  std::string text = s.to_json();
  const std::string key = "\"stddev\":0.1";
  const auto pos = text.find(key);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, key.size(), "\"stddev\":7");
  CHECK_THROWS_WITH(model_from_json(text), Catch::Contains("config.layers[1].config.stddev") ||
                                               Catch::Contains("layers[1].config.stddev"));
}
