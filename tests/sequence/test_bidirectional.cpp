// Bidirectional: Keras's bidirectional_test values (concat, ave, None, an explicit backward layer with
// mul, GRU with sum and return_sequences), states, masks, gradients, configs of Keras 3 and tf.keras.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/layers/gru.hpp>
#include <xkeras/layers/lstm.hpp>
#include <xkeras/layers/simple_rnn.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/ops/sequence.hpp>
#include <xkeras/registry.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

Tensor sequence() {
  Tensor t = Tensor::zeros({2, 3, 4});
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(i);
  return t;
}

layers::RecurrentOptions constants(float k, float r, float b) {
  layers::RecurrentOptions o;
  o.kernel_initializer = initializers::Constant(k);
  o.recurrent_initializer = initializers::Constant(r);
  o.bias_initializer = initializers::Constant(b);
  return o;
}

}  // namespace

TEST_CASE("Bidirectional: Keras test_correctness values for SimpleRNN, concat, ave and None") {
  auto fwd = layers::SimpleRNN(2, constants(0.01f, 0.02f, 0.03f));
  const Tensor x = sequence();
  auto concat = layers::Bidirectional(fwd);
  const Tensor y = concat(x);
  REQUIRE(y.shape() == Shape{2, 4});
  check_close(y, {0.39687276f, 0.39687276f, 0.10004295f, 0.10004295f, 0.7237238f, 0.7237238f, 0.53391594f, 0.53391594f});
  auto ave = layers::Bidirectional(fwd, {.merge_mode = "ave"});
  check_close(ave(x), {0.24845785f, 0.24845785f, 0.6288199f, 0.6288199f});
  auto none = layers::Bidirectional(fwd, {.merge_mode = ""});
  const Tensors pair = none(Tensors{x});
  REQUIRE(pair.size() == 2);
  check_close(pair[0], {0.39687276f, 0.39687276f, 0.7237238f, 0.7237238f});
  check_close(pair[1], {0.10004295f, 0.10004295f, 0.53391594f, 0.53391594f});
}

TEST_CASE("Bidirectional: an explicit backward layer with mul, Keras's value") {
  auto fwd = layers::SimpleRNN(2, constants(0.01f, 0.02f, 0.03f));
  auto o = constants(0.03f, 0.02f, 0.01f);
  o.go_backwards = true;
  auto bwd = layers::SimpleRNN(2, o);
  auto bi = layers::Bidirectional(fwd, {.merge_mode = "mul", .backward_layer = bwd});
  check_close(bi(sequence()), {0.08374989f, 0.08374989f, 0.6740834f, 0.6740834f});
  CHECK(bi->backward_layer().get() == bwd.get());  // used as given
  // both going the same way is Keras's ValueError
  REQUIRE_THROWS_WITH(layers::Bidirectional(fwd, {.backward_layer = fwd}), Contains("go_backwards"));
  auto seq = constants(0.03f, 0.02f, 0.01f);
  seq.go_backwards = true;
  seq.return_sequences = true;
  REQUIRE_THROWS_WITH(layers::Bidirectional(fwd, {.backward_layer = layers::SimpleRNN(2, seq)}), Contains("return_sequences"));
}

TEST_CASE("Bidirectional: GRU with return_sequences and sum, Keras's values, backward flipped back") {
  auto o = constants(0.01f, 0.02f, 0.03f);
  o.return_sequences = true;
  auto bi = layers::Bidirectional(layers::GRU(2, o), {.merge_mode = "sum"});
  const Tensor y = bi(sequence());
  REQUIRE(y.shape() == Shape{2, 3, 2});
  check_close(y, {0.20937867f, 0.20937867f, 0.34462988f, 0.34462988f, 0.40290534f, 0.40290534f, 0.59829646f,
                  0.59829646f, 0.6734641f, 0.6734641f, 0.6479671f, 0.6479671f});
}

TEST_CASE("Bidirectional: names, weights forward then backward, forced zero_output_for_mask") {
  clear_session();
  auto o = constants(0.01f, 0.02f, 0.03f);
  o.return_sequences = true;
  auto bi = layers::Bidirectional(layers::LSTM(3, o));
  bi(random_tensor({2, 4, 5}, 1));
  CHECK(bi->forward_layer()->name() == "forward_lstm");
  CHECK(bi->backward_layer()->name() == "backward_lstm");
  const auto w = bi->weights();
  REQUIRE(w.size() == 6);
  CHECK(w[0]->owner == bi->forward_layer().get());
  CHECK(w[3]->owner == bi->backward_layer().get());
  CHECK(w[0]->shape() == Shape{5, 12});
  CHECK(bi->forward_layer()->get_config()["zero_output_for_mask"] == true);
  CHECK(bi->backward_layer()->get_config()["zero_output_for_mask"] == true);
  CHECK(bi->backward_layer()->get_config()["go_backwards"] == true);
  CHECK(bi->compute_output_shape({{None, 4, 5}}) == std::vector<TensorShape>{{None, 4, 6}});
}

TEST_CASE("Bidirectional: equals its two layers run by hand, with a mask and initial states") {
  auto o = constants(0.1f, -0.2f, 0.05f);
  o.return_sequences = true;
  o.return_state = true;
  auto bi = layers::Bidirectional(layers::LSTM(2, o), {.merge_mode = "concat"});
  Tensor x = random_tensor({2, 4, 3}, 7);
  const Tensor mask = Tensor::from({2, 4}, {1, 1, 1, 0, 1, 1, 0, 0});
  const Tensors h = {random_tensor({2, 2}, 8), random_tensor({2, 2}, 9), random_tensor({2, 2}, 10), random_tensor({2, 2}, 11)};
  Tensor xm = x * 1.0f;
  xm.set_keras_mask(mask);
  CallKwargs kw;
  kw.tensors.emplace_back("initial_state", h);
  const Tensors out = bi.call({xm}, kw);
  REQUIRE(out.size() == 5);  // merged, h_f, c_f, h_b, c_b
  auto* fl = dynamic_cast<layers::RecurrentImpl*>(bi->forward_layer().get());
  auto* bl = dynamic_cast<layers::RecurrentImpl*>(bi->backward_layer().get());
  REQUIRE(fl);
  REQUIRE(bl);
  const Tensors f = fl->run(x, mask, {h[0], h[1]}, false);
  const Tensors b = bl->run(x, mask, {h[2], h[3]}, false);
  check_close(out[0], ops::concatenate({f[0], ops::flip(b[0], 1)}, -1).to_vector());
  check_close(out[1], f[1].to_vector());
  check_close(out[2], f[2].to_vector());
  check_close(out[3], b[1].to_vector());
  check_close(out[4], b[2].to_vector());
  // Keras 3's compute_mask: the sequence output carries the input's mask, the states none.
  REQUIRE(out[0].keras_mask().defined());
  CHECK(out[0].keras_mask().to_vector() == mask.to_vector());
  for (std::size_t i = 1; i < out.size(); ++i) CHECK_FALSE(out[i].keras_mask().defined());
  // Without return_sequences the output has no mask; with merge_mode None both outputs carry it.
  auto last = layers::Bidirectional(layers::LSTM(2, constants(0.1f, -0.2f, 0.05f)));
  CHECK_FALSE(last(xm).keras_mask().defined());
  auto seq = constants(0.1f, -0.2f, 0.05f);
  seq.return_sequences = true;
  const Tensors pair = layers::Bidirectional(layers::LSTM(2, seq), {.merge_mode = ""})(Tensors{xm});
  REQUIRE(pair.size() == 2);
  CHECK(pair[0].keras_mask().to_vector() == mask.to_vector());
  CHECK(pair[1].keras_mask().to_vector() == mask.to_vector());
  // tf.keras passes the states after the sequence: the same numbers
  const Tensors positional = bi(Tensors{xm, h[0], h[1], h[2], h[3]});
  check_close(positional[0], out[0].to_vector());
  // an odd number of states cannot be split
  CallKwargs odd;
  odd.tensors.emplace_back("initial_state", Tensors{h[0]});
  REQUIRE_THROWS_WITH(bi.call({x}, odd), Contains("even number"));
}

TEST_CASE("Bidirectional: gradients of the input and every weight") {
  auto o = constants(0.1f, -0.2f, 0.05f);
  o.return_sequences = true;
  auto bi = layers::Bidirectional(layers::GRU(2, o), {.merge_mode = "ave"});
  Tensor x = random_tensor({2, 3, 2}, 12);
  bi(x);
  std::vector<Tensor> wrt = {x};
  for (const auto& w : bi->weights()) wrt.push_back(w->value);
  check_gradients([&] { return bi(x); }, wrt);
}

TEST_CASE("Bidirectional: Keras 3 config, round trip, tf.keras config") {
  clear_session();
  auto bi = layers::Bidirectional(layers::LSTM(8));
  bi(random_tensor({1, 10, 4}, 1));
  const json c = bi->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "merge_mode", "layer", "backward_layer"});
  CHECK(c["merge_mode"] == "concat");
  CHECK(c["layer"]["class_name"] == "LSTM");
  CHECK(c["layer"]["config"]["name"] == "forward_lstm");
  CHECK(c["layer"]["config"]["go_backwards"] == false);
  CHECK(c["backward_layer"]["config"]["name"] == "backward_lstm");
  CHECK(c["backward_layer"]["config"]["go_backwards"] == true);
  CHECK(c["layer"]["build_config"]["input_shape"] == json::parse("[null, 10, 4]"));
  LayerPtr again = layer_from_config("Bidirectional", c, "config");
  CHECK(again->get_config()["layer"]["config"] == c["layer"]["config"]);
  CHECK(again->get_config()["backward_layer"]["config"] == c["backward_layer"]["config"]);
  auto none = layers::Bidirectional(layers::GRU(2), {.merge_mode = ""});
  CHECK(none->get_config()["merge_mode"].is_null());
  CHECK(std::dynamic_pointer_cast<layers::BidirectionalImpl>(
            layer_from_config("Bidirectional", none->get_config(), "config"))->merge_mode().empty());
  // tf.keras: the original layer (its own name, go_backwards false), merge_mode after it, no backward_layer
  const json tfk = json::parse(R"({"name": "bidi", "trainable": true, "dtype": "float32",
    "layer": {"class_name": "SimpleRNN", "config": {"name": "simple_rnn", "trainable": true, "dtype": "float32",
      "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
      "time_major": false, "units": 2, "activation": "tanh", "use_bias": true,
      "kernel_initializer": {"class_name": "Constant", "config": {"value": 0.01}},
      "recurrent_initializer": {"class_name": "Constant", "config": {"value": 0.02}},
      "bias_initializer": {"class_name": "Constant", "config": {"value": 0.03}}, "kernel_regularizer": null,
      "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0}},
    "merge_mode": "concat"})");
  auto loaded = std::dynamic_pointer_cast<layers::BidirectionalImpl>(layer_from_config("Bidirectional", tfk, "config"));
  REQUIRE(loaded);
  CHECK(loaded->forward_layer()->name() == "forward_simple_rnn");
  CHECK(loaded->backward_layer()->name() == "backward_simple_rnn");
  check_close((*loaded)(sequence()),
              {0.39687276f, 0.39687276f, 0.10004295f, 0.10004295f, 0.7237238f, 0.7237238f, 0.53391594f, 0.53391594f});
  // bad configs
  json bad = tfk;
  bad["merge_mode"] = "max";
  REQUIRE_THROWS_WITH(layer_from_config("Bidirectional", bad, "config"), Contains("merge mode"));
  bad = tfk;
  bad["layer"] = json::parse(R"({"class_name": "Dense", "config": {"units": 2}})");
  REQUIRE_THROWS_WITH(layer_from_config("Bidirectional", bad, "config"), Contains("recurrent layer"));
}

TEST_CASE("Bidirectional: Keras 3 functional model through model_from_json") {
  clear_session();
  auto in = Input({5, 3});
  auto o = constants(0.1f, -0.2f, 0.05f);
  auto out = layers::Bidirectional(layers::LSTM(2, o))(in);
  Model m(in, out);
  const Tensor x = random_tensor({2, 5, 3}, 3);
  const Tensor y = m.predict(x);
  REQUIRE(y.shape() == Shape{2, 4});
  Model again = model_from_json(m.to_json());
  CHECK(again.to_json() == m.to_json());
  check_close(again.predict(x), y.to_vector());  // the Constant initializers travel in the config
}

TEST_CASE("Bidirectional: save_tfjs writes tf.keras's layout and weight names, and loads back") {
  clear_session();
  auto in = Input({4, 2});
  auto o = constants(0.1f, -0.2f, 0.05f);
  o.return_sequences = true;
  auto out = layers::Bidirectional(layers::LSTM(3, o), {.merge_mode = "sum"})(in);
  Model m(in, out);
  const std::filesystem::path dir = std::filesystem::path(XKERAS_BINARY_DIR) / "tests" / "sequence_scratch" / "bidi_tfjs";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir.parent_path());
  m.save_tfjs(dir.string());
  std::ifstream f(dir / "model.json");
  std::stringstream text;
  text << f.rdbuf();
  const json model = json::parse(text.str());
  std::vector<std::string> names;
  for (const auto& w : model["weightsManifest"][0]["weights"]) names.push_back(w["name"]);
  CHECK(names == std::vector<std::string>{"bidirectional/forward_lstm/lstm_cell/kernel",
                                          "bidirectional/forward_lstm/lstm_cell/recurrent_kernel",
                                          "bidirectional/forward_lstm/lstm_cell/bias",
                                          "bidirectional/backward_lstm/lstm_cell/kernel",
                                          "bidirectional/backward_lstm/lstm_cell/recurrent_kernel",
                                          "bidirectional/backward_lstm/lstm_cell/bias"});
  // tf.keras's layout: the original layer, then merge_mode, no backward_layer
  // (contains() first: operator[] of a const json on a missing key is undefined behaviour)
  const json& topology = model.at("modelTopology");
  const json& layers_json = topology.contains("model_config") ? topology.at("model_config").at("config").at("layers")
                                                              : topology.at("config").at("layers");
  const json& bi = layers_json[1]["config"];
  testing::check_key_order(bi, {"name", "trainable", "dtype", "layer", "merge_mode"});
  CHECK(bi["layer"]["config"]["name"] == "lstm");
  CHECK(bi["layer"]["config"]["go_backwards"] == false);
  Model again = load_model((dir / "model.json").string());
  const Tensor x = random_tensor({2, 4, 2}, 30);
  const Tensor y = m.predict(x);
  check_close(again.predict(x), y.to_vector());
  // inputs and outputs for tools/tfjs/round_trip.js (node round_trip.js <dir>)
  const json io = {{"inputs", {{{"shape", x.shape()}, {"data", x.to_vector()}}}},
                   {"outputs", {{{"shape", y.shape()}, {"data", y.to_vector()}}}}};
  std::ofstream(dir / "xkeras_io.json") << io.dump();
  // a user's own backward layer has no TensorFlow.js spelling
  auto fo = constants(0.1f, -0.2f, 0.05f);
  auto bo = constants(0.3f, 0.1f, 0.0f);
  bo.go_backwards = true;
  auto in2 = Input({4, 2});
  Model own(in2, layers::Bidirectional(layers::SimpleRNN(2, fo), {.backward_layer = layers::SimpleRNN(2, bo)})(in2));
  REQUIRE_THROWS_WITH(own.save_tfjs((dir.parent_path() / "bidi_own").string()), Contains("backward_layer"));
}

TEST_CASE("Bidirectional: a tf.keras Sequential Embedding -> Bidirectional(LSTM) -> Dense loads and runs") {
  const std::string text = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5], "dtype": "int32", "sparse": false,
     "ragged": false, "name": "tokens"}},
    {"class_name": "Embedding", "config": {"name": "embedding", "trainable": true, "batch_input_shape": [null, 5],
     "dtype": "float32", "input_dim": 20, "output_dim": 4, "embeddings_initializer": {"class_name": "RandomUniform",
     "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}, "embeddings_regularizer": null,
     "activity_regularizer": null, "embeddings_constraint": null, "mask_zero": true, "input_length": 5}},
    {"class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": true, "dtype": "float32",
     "layer": {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32",
       "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
       "time_major": false, "units": 3, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
       "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
       "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
       "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true, "kernel_regularizer": null,
       "recurrent_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
       "recurrent_constraint": null, "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0,
       "implementation": 2}}, "merge_mode": "concat"}},
    {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 1,
     "activation": "sigmoid", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
     "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null,
     "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}]},
    "keras_version": "2.13.1", "backend": "tensorflow"})";
  Model m = model_from_json(text);
  const auto w = m.get_weights();
  REQUIRE(w.size() == 1 + 6 + 2);  // embeddings, forward and backward LSTM, dense
  CHECK(w[1].shape()[0] == 4);
  CHECK(w[1].shape()[1] == 12);
  const Tensor ids = Tensor::from_ints({2, 5}, {3, 9, 12, 0, 0, 19, 1, 0, 0, 0});
  const Tensor y = m.predict(ids);
  REQUIRE(y.shape() == Shape{2, 1});
  CHECK(std::isfinite(y.data()[0]));
  // the written Keras 3 JSON reads back to the same predictions
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  check_close(again.predict(ids), y.to_vector());
}
