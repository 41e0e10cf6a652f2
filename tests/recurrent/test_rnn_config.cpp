// Configs of the recurrent layers: Keras 3 keys in Keras's order (reference §2.7), round trips, and
// files written by Keras 3, tf.keras 2.x, multi-backend Keras 2 and TensorFlow.js (§2.8).
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "recurrent/rnn_test_utils.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::testing;

namespace {

std::vector<std::string> keys(const json& j) {
  std::vector<std::string> k;
  for (auto it = j.begin(); it != j.end(); ++it) k.push_back(it.key());
  return k;
}

const std::vector<std::string> kRnnKeys = {"name", "trainable", "dtype", "return_sequences", "return_state",
                                           "go_backwards", "stateful", "unroll", "zero_output_for_mask", "units",
                                           "activation"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A Sequential of one recurrent layer over an input (batch, 4, 3), in the layout `keras` wrote.
std::string sequential(const std::string& input, const std::string& layer, const std::string& version) {
  return R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [)" + input + ", " + layer + R"(]})" +
         (version.empty() ? "" : R"(, "keras_version": ")" + version + R"(", "backend": "tensorflow")") + "}";
}
const std::string kTfInput = R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 3], "dtype": "float32", "name": "in"}})";
const std::string kK3Input = R"({"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 3], "dtype": "float32", "sparse": false, "name": "in"}, "registered_name": null})";

}  // namespace

TEST_CASE("LSTM get_config: Keras 3 keys, order and values") {
  layers::LSTM l(32, {.name = "lstm"});
  const json c = l->get_config();
  CHECK(keys(c) == concat(kRnnKeys, {"recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                                     "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                                     "bias_regularizer", "activity_regularizer", "kernel_constraint",
                                     "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed"}));
  CHECK(c["units"] == 32);
  CHECK(c["activation"] == "tanh");
  CHECK(c["recurrent_activation"] == "sigmoid");
  CHECK(c["recurrent_initializer"]["class_name"] == "Orthogonal");
  CHECK(c["kernel_initializer"]["class_name"] == "GlorotUniform");
  CHECK(c["unit_forget_bias"] == true);
  CHECK(c["zero_output_for_mask"] == false);
  CHECK(c["seed"].is_null());
  CHECK(c["activity_regularizer"].is_null());
  CHECK(c["dropout"] == 0.0);
  // from_config(get_config()) gives the same config
  auto again = layer_from_config("LSTM", c, "config");
  CHECK(again->get_config() == c);
}

TEST_CASE("GRU and SimpleRNN get_config: Keras 3 keys and order, round trip") {
  layers::GRU g(4, {.recurrent_activation = "hard_sigmoid", .dropout = 0.25, .seed = 3, .return_sequences = true,
                    .reset_after = false, .name = "gru"});
  const json c = g->get_config();
  CHECK(keys(c) == concat(kRnnKeys, {"recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                                     "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                                     "bias_regularizer", "activity_regularizer", "kernel_constraint",
                                     "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                                     "reset_after", "seed"}));
  CHECK(c["reset_after"] == false);
  CHECK(c["seed"] == 3);
  CHECK(c["dropout"] == 0.25);
  CHECK(c["return_sequences"] == true);
  CHECK(layer_from_config("GRU", c, "config")->get_config() == c);
  layers::SimpleRNN s(2, {.activation = "relu", .name = "s"});
  const json sc = s->get_config();
  CHECK(keys(sc) == concat(kRnnKeys, {"use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
                                      "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                                      "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                                      "bias_constraint", "dropout", "recurrent_dropout"}));
  CHECK(layer_from_config("SimpleRNN", sc, "config")->get_config() == sc);
}

TEST_CASE("a Keras 3 Sequential with an LSTM loads, predicts like the eager layer and writes itself back") {
  const std::string lstm = R"({"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
    "return_sequences": true, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
    "zero_output_for_mask": false, "units": 2, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
    "kernel_initializer": {"module": "keras.initializers", "class_name": "Constant", "config": {"value": 0.01}, "registered_name": null},
    "recurrent_initializer": {"module": "keras.initializers", "class_name": "Constant", "config": {"value": 0.02}, "registered_name": null},
    "bias_initializer": {"module": "keras.initializers", "class_name": "Constant", "config": {"value": 0.03}, "registered_name": null},
    "unit_forget_bias": true, "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
    "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null,
    "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null}, "registered_name": null, "build_config": {"input_shape": [null, 4, 3]}})";
  Model m = model_from_json(sequential(kK3Input, lstm, ""));
  const Tensor x = arange({2, 4, 3});
  const Tensor y = m.predict(x);
  const Tensor e = layers::LSTM(2, {.kernel_initializer = initializers::Constant(0.01f),
                                    .recurrent_initializer = initializers::Constant(0.02f),
                                    .bias_initializer = initializers::Constant(0.03f), .return_sequences = true})(x);
  check_close(y, e.to_vector());
  const std::string text = m.to_json();
  CHECK(model_from_json(text).to_json() == text);
}

TEST_CASE("a tf.keras 2.x GRU and LSTM config (time_major, implementation) loads, time_major true is refused") {
  const std::string gru = R"({"class_name": "GRU", "config": {"name": "gru", "trainable": true, "dtype": "float32",
    "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
    "time_major": false, "units": 3, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
    "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
    "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "recurrent_regularizer": null,
    "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
    "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2, "reset_after": true}})";
  Model m = model_from_json(sequential(kTfInput, gru, "2.12.0"));
  const auto& l = dynamic_cast<layers::GRUImpl&>(*m.get_layer("gru"));
  CHECK(l.options().reset_after);
  CHECK(l.bias()->shape() == Shape{2, 9});
  CHECK(m.predict(arange({1, 4, 3})).shape() == Shape{1, 3});
  std::string major = sequential(kTfInput, gru, "2.12.0");
  major.replace(major.find("\"time_major\": false"), 19, "\"time_major\": true");
  CHECK_THROWS_WITH(model_from_json(major), Catch::Contains("time_major") && Catch::Contains("layers[1]"));
  std::string impl = sequential(kTfInput, gru, "2.12.0");
  impl.replace(impl.find("\"implementation\": 2"), 19, "\"implementation\": 0");
  CHECK_NOTHROW(model_from_json(impl));  // Keras's test_legacy_implementation_argument
}

TEST_CASE("multi-backend Keras 2 files: hard_sigmoid means Keras 2's, an old GRU means reset_after false") {
  const std::string lstm = R"({"class_name": "LSTM", "config": {"name": "lstm_1", "trainable": true,
    "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
    "implementation": 0, "units": 2, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true,
    "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
    "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true, "kernel_regularizer": null,
    "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
    "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0}})";
  Model m = model_from_json(sequential(kTfInput, lstm, "2.0.8"));
  const auto& l = dynamic_cast<layers::LSTMImpl&>(*m.get_layer("lstm_1"));
  CHECK(l.options().recurrent_activation == "hard_sigmoid_keras2");
  // Every weight 0.5 and x = 1: every gate's pre-activation is z = 3 * 0.5 + 0.5 + 0.5 * 2h = 2 + h,
  // through Keras 2's hard sigmoid clip(0.2 z + 0.5, 0, 1) (Keras 3's relu6(z + 3) / 6 differs).
  for (auto& w : m->weights()) std::fill(w->value.data(), w->value.data() + w->value.size(), 0.5f);
  const Tensor y = m.predict(Tensor::full({1, 4, 3}, 1.0f));
  float h = 0, c = 0;
  for (int t = 0; t < 4; ++t) {
    const float z = 2.0f + h, s = std::min(1.0f, std::max(0.0f, 0.2f * z + 0.5f));
    c = s * c + s * std::tanh(z);
    h = s * std::tanh(c);
  }
  check_close(y, {h, h}, 1e-5);

  const std::string gru = R"({"class_name": "GRU", "config": {"name": "gru_1", "trainable": true,
    "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
    "implementation": 1, "units": 2, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true,
    "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
    "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "recurrent_regularizer": null,
    "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
    "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0}})";
  Model g = model_from_json(sequential(kTfInput, gru, "2.1.2"));
  CHECK(g.get_layer("gru_1")->weights()[2]->shape() == Shape{6});
}

TEST_CASE("recurrent config errors name the JSON path") {
  CHECK_THROWS_WITH(layer_from_config("LSTM", json{{"units", 0}}, "config.layers[2]"),
                    Catch::Contains("config.layers[2].config.units"));
  CHECK_THROWS_WITH(layer_from_config("GRU", json{{"units", 2}, {"time_major", true}}, "config"),
                    Catch::Contains("config.time_major"));
  CHECK_THROWS_WITH(layer_from_config("SimpleRNN", json{{"units", 2}, {"activation", "gelu"}}, "config"),
                    Catch::Contains("gelu"));
  CHECK_THROWS_WITH(layer_from_config("LSTM", json{{"units", 2}, {"implementation", 7}}, "config"),
                    Catch::Contains("config.implementation"));
  CHECK_THROWS_AS(layer_from_config("LSTM", json{{"units", 1 << 29}}, "config"), ValueError);
}

TEST_CASE("RNN with one LSTMCell or GRUCell reads as LSTM or GRU, other cells are refused") {
  const json rnn = json::parse(R"({"name": "rnn", "trainable": true, "dtype": "float32", "return_sequences": true,
    "return_state": false, "go_backwards": true, "stateful": false, "unroll": false, "zero_output_for_mask": false,
    "cell": {"module": "keras.layers", "class_name": "LSTMCell", "config": {"name": "lstm_cell", "trainable": true,
      "dtype": "float32", "units": 3, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
      "unit_forget_bias": true, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null,
      "kernel_initializer": {"class_name": "Constant", "config": {"value": 0.01}},
      "recurrent_initializer": {"class_name": "Constant", "config": {"value": 0.02}},
      "bias_initializer": {"class_name": "Constant", "config": {"value": 0.03}}}, "registered_name": null}})");
  auto l = layer_from_config("RNN", rnn, "config");
  CHECK(l->class_name() == "LSTM");
  CHECK(l->name() == "rnn");
  const Tensor y = (*l)(arange({3, 6, 4}));
  REQUIRE(y.shape() == Shape{3, 6, 3});
  // go_backwards: the last output is Keras's lstm_test go_backwards value
  for (std::size_t b = 0; b < 3; ++b)
    CHECK(std::fabs(y.data()[(b * 6 + 5) * 3] - std::vector<float>{0.35622165f, 0.74789524f, 0.8872726f}[b]) < 2e-6);
  json gru = rnn;
  gru["cell"]["class_name"] = "GRUCell";
  gru["cell"]["config"].erase("unit_forget_bias");
  gru["cell"]["config"]["reset_after"] = false;
  auto g = layer_from_config("RNN", gru, "config");
  CHECK(g->class_name() == "GRU");
  CHECK(dynamic_cast<layers::GRUImpl&>(*g).options().reset_after == false);
  json stacked = rnn;
  stacked["cell"]["class_name"] = "StackedRNNCells";
  CHECK_THROWS_WITH(layer_from_config("RNN", stacked, "config.layers[1]"),
                    Catch::Contains("config.layers[1].config.cell.class_name") && Catch::Contains("StackedRNNCells"));
}

TEST_CASE("a Keras 1 LSTM and GRU (output_dim, inner_activation, consume_less) load with Keras 2 meanings") {
  const std::string text = R"({"class_name": "Sequential", "keras_version": "1.2.2", "config": [
    {"class_name": "LSTM", "config": {"name": "lstm_1", "trainable": true, "batch_input_shape": [null, 4, 3],
      "input_dtype": "float32", "return_sequences": true, "go_backwards": false, "stateful": false, "unroll": false,
      "consume_less": "cpu", "output_dim": 5, "init": "glorot_uniform", "inner_init": "orthogonal",
      "forget_bias_init": "one", "activation": "tanh", "inner_activation": "hard_sigmoid", "W_regularizer": null,
      "U_regularizer": null, "b_regularizer": null, "dropout_W": 0.0, "dropout_U": 0.0}},
    {"class_name": "GRU", "config": {"name": "gru_1", "trainable": true, "return_sequences": false,
      "go_backwards": false, "stateful": false, "unroll": false, "consume_less": "gpu", "output_dim": 2,
      "init": "glorot_uniform", "inner_init": "orthogonal", "activation": "tanh", "inner_activation": "hard_sigmoid",
      "W_regularizer": null, "U_regularizer": null, "b_regularizer": null, "dropout_W": 0.0, "dropout_U": 0.0}}]})";
  Model m = model_from_json(text);
  const auto& l = dynamic_cast<layers::LSTMImpl&>(*m.get_layer("lstm_1"));
  CHECK(l.units() == 5);
  CHECK(l.options().recurrent_activation == "hard_sigmoid_keras2");
  CHECK(l.options().unit_forget_bias);
  const auto& g = dynamic_cast<layers::GRUImpl&>(*m.get_layer("gru_1"));
  CHECK_FALSE(g.options().reset_after);
  CHECK(g.bias()->shape() == Shape{6});
  CHECK(m.predict(arange({2, 4, 3})).shape() == Shape{2, 2});
}
