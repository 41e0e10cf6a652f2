// SimpleRNN / LSTM / GRU layers: Keras's own test values through the layers (reference §2.6),
// states, return_state shapes, gradient checks of the input and every weight, errors.
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

TEST_CASE("LSTM layer: Keras lstm_test values, unit_forget_bias from the bias initializer") {
  const Tensor x = arange({3, 6, 4});
  check_rows(layers::LSTM(3, constant_options())(x), {0.6288687f, 0.86899155f, 0.9460773f});
  check_rows(layers::LSTM(3, constant_options({.go_backwards = true}))(x), {0.35622165f, 0.74789524f, 0.8872726f});
  check_rows(layers::LSTM(3, constant_options({.unit_forget_bias = false}))(x), {0.57019705f, 0.8661914f, 0.9459622f});
  check_rows(layers::LSTM(3, constant_options({.use_bias = false}))(x), {0.54986924f, 0.86226785f, 0.9443936f});
  layers::LSTM l(3, constant_options());
  l(x);
  check_close(l->bias()->value, {0.03f, 0.03f, 0.03f, 1, 1, 1, 0.03f, 0.03f, 0.03f, 0.03f, 0.03f, 0.03f});
  CHECK(l->weights().size() == 3);
  CHECK(l->weights()[1]->name == "recurrent_kernel");
  CHECK(l->recurrent_kernel()->shape() == Shape{3, 12});
}

TEST_CASE("GRU and SimpleRNN layers: Keras test values") {
  const Tensor x = arange({3, 6, 4});
  check_rows(layers::GRU(3, constant_options())(x), {0.5217289f, 0.6371659f, 0.39384964f});
  check_rows(layers::GRU(3, constant_options({.reset_after = false}))(x), {0.51447755f, 0.6426879f, 0.40208298f});
  check_rows(layers::GRU(3, constant_options({.use_bias = false}))(x), {0.49988455f, 0.64701194f, 0.4103359f});
  check_rows(layers::GRU(3, constant_options({.go_backwards = true}))(x), {0.24406259f, 0.611516f, 0.3928808f});
  layers::GRU g(3, constant_options());
  g(x);
  CHECK(g->bias()->shape() == Shape{2, 9});
  const Tensor x2 = arange({2, 3, 4});
  check_rows(layers::SimpleRNN(4, constant_options())(x2), {0.405432f, 0.73605347f});
  check_rows(layers::SimpleRNN(4, constant_options({.go_backwards = true, .unroll = true}))(x2), {0.11144729f, 0.5528889f});
}

TEST_CASE("stateful layers: the second call starts from the kept states, reset_states zeros them") {
  const Tensor x = arange({2, 3, 4});
  layers::LSTM l(4, constant_options({.stateful = true}));
  const Tensor first = l(x);
  check_rows(l(x), {0.3124785f, 0.6863672f});
  l.reset_states();
  check_close(l(x), first.to_vector());
  layers::GRU g(4, constant_options({.stateful = true}));
  g(x);
  check_rows(g(x), {0.29542392f, 0.5885018f});
  layers::SimpleRNN s(4, constant_options({.stateful = true}));
  s(x);
  check_rows(s(x), {0.40559256f, 0.7361247f});
  CHECK(s->states().size() == 1);
  CHECK(l->weights().size() == 3);  // the kept states are not weights
  CHECK_THROWS_WITH(s(arange({3, 3, 4})), Catch::Contains("batch of 2") && Catch::Contains("batch of 3"));
}

TEST_CASE("initial states as extra inputs and return_state outputs") {
  const Tensor x = arange({2, 4, 3});
  const Tensor s0 = Tensor::from({2, 2}, {0, 1, 2, 3});
  const Tensors lo = layers::LSTM(2, constant_options({.return_state = true}))(Tensors{x, s0, s0});
  REQUIRE(lo.size() == 3);
  check_close(lo[0], {0.20574439f, 0.3558822f, 0.64930826f, 0.66276f});
  check_close(lo[1], lo[0].to_vector());
  const Tensors gb = layers::GRU(2, constant_options({.return_state = true, .go_backwards = true}))(Tensors{x, s0});
  REQUIRE(gb.size() == 2);
  check_close(gb[0], {0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f});
  check_close(gb[1], gb[0].to_vector());
  check_rows(layers::SimpleRNN(4, constant_options())(Tensors{x, arange({2, 4})})[0], {0.33621645f, 0.6262637f});
}

TEST_CASE("masks through the layer call") {
  layers::SimpleRNN s(2, constant_options({.return_sequences = true, .zero_output_for_mask = true}));
  const Tensors y = s->run(arange({2, 4, 3}), mask_of({{1, 1, 0, 1}, {1, 0, 0, 1}}), {}, false);
  check_sequence(y[0], {{0.0599281f, 0.15122814f, 0.0f, 0.32394567f}, {0.3969304f, 0.0f, 0.0f, 0.608085f}});
}

TEST_CASE("compute_output_shape with return_sequences and return_state") {
  const KerasTensor in = Input({5, 3});
  const KerasTensors l = layers::LSTM(4, {.return_sequences = true, .return_state = true})->apply({in}, false);
  REQUIRE(l.size() == 3);
  CHECK(l[0].shape() == TensorShape{None, 5, 4});
  CHECK(l[1].shape() == TensorShape{None, 4});
  CHECK(l[2].shape() == TensorShape{None, 4});
  const KerasTensors g = layers::GRU(6, {.return_state = true})->apply({in}, false);
  REQUIRE(g.size() == 2);
  CHECK(g[0].shape() == TensorShape{None, 6});
  CHECK(layers::SimpleRNN(2)(in).shape() == TensorShape{None, 2});
}

TEST_CASE("layer gradients: the input and every weight match central differences") {
  Tensor x = random_tensor({2, 3, 2}, 31);
  layers::LSTM l(2, {.return_sequences = true});
  layers::GRU g(2, {.reset_after = false});
  layers::GRU ga(2, {.go_backwards = true});
  layers::SimpleRNN s(3, {.return_sequences = true});
  for (LayerPtr layer : std::vector<LayerPtr>{l, g, ga, s}) {
    INFO(layer->name());
    (*layer)(x);
    std::vector<Tensor> wrt{x};
    for (const auto& w : layer->weights()) wrt.push_back(w->value);
    check_gradients([&] { return (*layer)(x); }, wrt);
  }
}

TEST_CASE("dropout masks apply in training only") {
  const Tensor x = arange({2, 3, 4});
  layers::LSTM l(3, constant_options({.dropout = 1.0, .recurrent_dropout = 0.5, .seed = 7}));
  const Tensor plain = layers::LSTM(3, constant_options())(x);
  check_close(l(x), plain.to_vector());  // inference ignores both rates
  // Training: rate 1 drops every input and the recurrent mask draws 0 or 2 per unit, once per call.
  layers::LSTM d(3, constant_options({.dropout = 1.0}));
  const Tensor bias_only = layers::LSTM(3, constant_options())(Tensor::zeros({2, 3, 4}));
  check_close(d(x, true), bias_only.to_vector(), 1e-5);
  const Tensor t1 = l(x, true), t2 = l(x, true);
  bool differs = false;
  for (std::size_t i = 0; i < t1.size(); ++i) differs = differs || t1.data()[i] != plain.data()[i] || t2.data()[i] != plain.data()[i];
  CHECK(differs);
}

TEST_CASE("recurrent layer errors: units, rank, activation, stateful batch") {
  CHECK_THROWS_WITH(layers::LSTM(0), Catch::Contains("units") && Catch::Contains("0"));
  layers::GRU g(2, {.name = "gru_rank"});
  CHECK_THROWS_WITH(g(Tensor::zeros({2, 3})), Catch::Contains("gru_rank") && Catch::Contains("ndim=3"));
  CHECK_THROWS_WITH(layers::SimpleRNN(2, {.activation = "gelu"}), Catch::Contains("gelu"));
  layers::LSTM st(2, {.stateful = true, .name = "st"});
  CHECK_THROWS_WITH(st(Input({5, 3})), Catch::Contains("st") && Catch::Contains("fixed batch size"));
}
