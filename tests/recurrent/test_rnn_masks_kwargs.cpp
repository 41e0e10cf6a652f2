// Recurrent layers with the sequence foundation: masks carried on tensors, initial states as Keras 3's
// "initial_state" keyword or tf.keras's extra inputs, in eager calls, models and JSON.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>

#include "recurrent/rnn_test_utils.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::testing;

namespace {
layers::RecurrentOptions constant_options(layers::RecurrentOptions o = {}) {
  o.kernel_initializer = initializers::Constant(0.01f);
  o.recurrent_initializer = initializers::Constant(0.02f);
  o.bias_initializer = initializers::Constant(0.03f);
  return o;
}
}  // namespace

TEST_CASE("a mask on the input reaches the cell, and the sequence output carries it") {
  Tensor x = arange({2, 4, 3});
  const Tensor mask = mask_of({{1, 1, 1, 0}, {1, 1, 0, 0}});
  x.set_keras_mask(mask);
  const Tensor y = layers::LSTM(2, constant_options({.return_sequences = true}))(x);
  check_sequence(y, {{0.0158891f, 0.05552048f, 0.11755939f, 0.11755939f},
                     {0.14185596f, 0.28556206f, 0.28556206f, 0.28556206f}});
  REQUIRE(y.keras_mask().defined());
  CHECK(y.keras_mask().to_vector() == mask.to_vector());
  // The last output and the states carry no mask.
  const Tensors last = layers::GRU(2, constant_options({.return_state = true}))(Tensors{x});
  REQUIRE(last.size() == 2);
  CHECK_FALSE(last[0].keras_mask().defined());
  CHECK_FALSE(last[1].keras_mask().defined());
  Tensor xb = arange({2, 4, 3});
  xb.set_keras_mask(mask_of({{1, 1, 0, 1}, {1, 0, 0, 1}}));
  check_rows(layers::SimpleRNN(4, constant_options({.go_backwards = true}))(xb), {0.07376196f, 0.43645123f});
}

TEST_CASE("initial_state as a Keras 3 keyword: eager, functional, JSON round trip") {
  const Tensor x = arange({2, 4, 3});
  const Tensor s0 = Tensor::from({2, 2}, {0, 1, 2, 3});
  const std::vector<float> want{0.20574439f, 0.3558822f, 0.64930826f, 0.66276f};
  layers::LSTM eager(2, constant_options());
  CallKwargs ekw;
  ekw.tensors.emplace_back("initial_state", Tensors{s0, s0});
  check_close(eager.call({x}, ekw)[0], want);
  CHECK_THROWS_WITH(eager.call({x, s0, s0}, ekw), Catch::Contains("both"));
  CallKwargs bad;
  bad.tensors.emplace_back("constants", Tensors{s0});
  CHECK_THROWS_WITH(eager.call({x}, bad), Catch::Contains("constants"));

  auto seq = Input({4, 3}, "seq");
  auto h0 = Input({2}, "h0");
  auto c0 = Input({2}, "c0");
  SymbolicKwargs kw;
  kw.tensors.emplace_back("initial_state", KerasTensors{h0, c0});
  layers::LSTM l(2, constant_options({.name = "lstm"}));
  const KerasTensors out = l.apply({seq}, kw);
  REQUIRE(out.size() == 1);
  CHECK(out[0].shape() == TensorShape{None, 2});
  Model m({seq, h0, c0}, out[0]);
  check_close(m.predict({x, s0, s0})[0], want);
  const json cfg = json::parse(m.to_json());
  json node;
  for (const auto& layer : cfg["config"]["layers"])
    if (layer["name"] == "lstm") node = layer["inbound_nodes"][0];
  CHECK(node["args"].size() == 1);
  REQUIRE(node["kwargs"]["initial_state"].size() == 2);
  CHECK(node["kwargs"]["initial_state"][1]["config"]["keras_history"] == json::array({"c0", 0, 0}));
  check_close(model_from_json(m.to_json()).predict({x, s0, s0})[0], want);
}

TEST_CASE("initial states as tf.keras's extra inbound tensors of the node") {
  const std::string text = R"({"class_name": "Functional", "config": {"name": "m", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 3], "dtype": "float32", "name": "seq"}, "name": "seq", "inbound_nodes": []},
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 2], "dtype": "float32", "name": "h0"}, "name": "h0", "inbound_nodes": []},
    {"class_name": "GRU", "config": {"name": "gru", "trainable": true, "dtype": "float32", "return_sequences": false,
      "return_state": true, "go_backwards": true, "stateful": false, "unroll": false, "time_major": false, "units": 2,
      "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
      "kernel_initializer": {"class_name": "Constant", "config": {"value": 0.01}},
      "recurrent_initializer": {"class_name": "Constant", "config": {"value": 0.02}},
      "bias_initializer": {"class_name": "Constant", "config": {"value": 0.03}}, "dropout": 0.0, "recurrent_dropout": 0.0,
      "implementation": 2, "reset_after": true},
     "name": "gru", "inbound_nodes": [[["seq", 0, 0, {}], ["h0", 0, 0, {}]]]}],
    "input_layers": [["seq", 0, 0], ["h0", 0, 0]], "output_layers": [["gru", 0, 0], ["gru", 0, 1]]},
    "keras_version": "2.12.0", "backend": "tensorflow"})";
  Model m = model_from_json(text);
  const Tensors y = m.predict({arange({2, 4, 3}), Tensor::from({2, 2}, {0, 1, 2, 3})});
  REQUIRE(y.size() == 2);
  check_close(y[0], {0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f});
  check_close(y[1], y[0].to_vector());
  // Written back, the states stay extra positional inputs of the node, and the file reloads.
  check_close(model_from_json(m.to_json()).predict({arange({2, 4, 3}), Tensor::from({2, 2}, {0, 1, 2, 3})})[0],
              y[0].to_vector());
}

TEST_CASE("masked steps do not move the gradient: a gradient check through a masked input") {
  Tensor x = random_tensor({2, 4, 2}, 41);
  layers::GRU g(3, {.return_sequences = true});
  Tensor xm = x;
  g(x);
  std::vector<Tensor> wrt{x};
  for (const auto& w : g->weights()) wrt.push_back(w->value);
  const Tensor mask = mask_of({{1, 0, 1, 1}, {0, 1, 1, 0}});
  check_gradients([&] {
    CallArgs args;
    args.masks = {mask};
    return g->call_args({x}, args)[0];
  }, wrt);
}
