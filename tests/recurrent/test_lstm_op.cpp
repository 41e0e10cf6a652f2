// The fused LSTM op against Keras's own test values (reference §2.6) and central differences.
#include <catch2/catch.hpp>

#include <xkeras/ops/recurrent.hpp>

#include "recurrent/rnn_test_utils.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::testing;

namespace {
// LSTM's constant setup with unit_forget_bias: the forget block of the bias is 1.
ops::RecurrentInputs lstm_cell(const Tensor& x, std::size_t units, bool forget_one = true) {
  auto in = constant_cell(x, 4, units);
  if (forget_one)
    for (std::size_t j = units; j < 2 * units; ++j) in.bias.data()[j] = 1.0f;
  return in;
}
}  // namespace

TEST_CASE("lstm op: Keras lstm_test values (default, go_backwards, unit_forget_bias, use_bias)") {
  const Tensor x = arange({3, 6, 4});
  ops::RecurrentOptions o;
  check_rows(ops::lstm(lstm_cell(x, 3), o).output, {0.6288687f, 0.86899155f, 0.9460773f});
  check_rows(ops::lstm(lstm_cell(x, 3, false), o).output, {0.57019705f, 0.8661914f, 0.9459622f});
  check_rows(ops::lstm(constant_cell(x, 4, 3, false), o).output, {0.54986924f, 0.86226785f, 0.9443936f});
  o.go_backwards = true;
  check_rows(ops::lstm(lstm_cell(x, 3), o).output, {0.35622165f, 0.74789524f, 0.8872726f});
}

TEST_CASE("lstm op: initial state and the stateful second call") {
  ops::RecurrentOptions o;
  auto in = lstm_cell(arange({2, 4, 3}), 2);
  const Tensor s0 = Tensor::from({2, 2}, {0, 1, 2, 3});
  in.initial_states = {s0, s0};
  const auto r = ops::lstm(in, o);
  check_close(r.output, {0.20574439f, 0.3558822f, 0.64930826f, 0.66276f});
  check_close(r.states[0], {0.20574439f, 0.3558822f, 0.64930826f, 0.66276f});  // h is the output
  o.go_backwards = true;
  check_close(ops::lstm(in, o).output, {0.13281618f, 0.2790356f, 0.5839337f, 0.5992567f});

  // Stateful: the second call starts from the first call's final states.
  ops::RecurrentOptions p;
  auto st = lstm_cell(arange({2, 3, 4}), 4);
  const auto first = ops::lstm(st, p);
  st.initial_states = first.states;
  check_rows(ops::lstm(st, p).output, {0.3124785f, 0.6863672f});
}

TEST_CASE("lstm op: masking with return_sequences, zero_output_for_mask and go_backwards") {
  ops::RecurrentOptions o;
  o.return_sequences = true;
  auto in = lstm_cell(arange({2, 4, 3}), 2);
  in.mask = mask_of({{1, 1, 1, 0}, {1, 1, 0, 0}});
  check_sequence(ops::lstm(in, o).output, {{0.0158891f, 0.05552048f, 0.11755939f, 0.11755939f},
                                           {0.14185596f, 0.28556206f, 0.28556206f, 0.28556206f}});
  o.zero_output_for_mask = true;
  check_sequence(ops::lstm(in, o).output, {{0.0158891f, 0.05552048f, 0.11755939f, 0.0f},
                                           {0.14185596f, 0.28556206f, 0.0f, 0.0f}});
  ops::RecurrentOptions b;
  b.go_backwards = true;
  in.mask = mask_of({{0, 1, 1, 1}, {0, 0, 1, 1}});
  check_rows(ops::lstm(in, b).output, {0.15341201f, 0.3844719f});
}

TEST_CASE("lstm op: a masked first step outputs zeros while the state keeps h0") {
  ops::RecurrentOptions o;
  o.return_sequences = true;
  auto in = lstm_cell(arange({1, 2, 3}), 2);
  const Tensor s0 = Tensor::from({1, 2}, {0.5f, -0.5f});
  in.initial_states = {s0, s0};
  in.mask = mask_of({{0, 0}});
  const auto r = ops::lstm(in, o);
  check_close(r.output, {0, 0, 0, 0});
  check_close(r.states[0], {0.5f, -0.5f});
  check_close(r.states[1], {0.5f, -0.5f});
}

TEST_CASE("lstm op: gradients of x, weights and initial states match central differences") {
  for (int variant = 0; variant < 4; ++variant) {
    INFO("variant " << variant);
    ops::RecurrentOptions o;
    o.return_sequences = variant != 1;
    o.go_backwards = variant >= 2;
    o.zero_output_for_mask = variant == 3;
    Tensor x = random_tensor({3, 4, 2}, 1), W = random_tensor({2, 12}, 2, -0.6f, 0.6f),
           U = random_tensor({3, 12}, 3, -0.6f, 0.6f), b = random_tensor({12}, 4, -0.5f, 0.5f),
           h0 = random_tensor({3, 3}, 5), c0 = random_tensor({3, 3}, 6);
    const Tensor mask = variant == 0 ? Tensor() : mask_of({{1, 0, 1, 1}, {0, 1, 1, 0}, {1, 1, 1, 1}});
    // Only the h state enters the loss for variant 1 (return_sequences false), c for variant 2.
    check_gradients([&] {
      ops::RecurrentInputs in{x, W, U, b, {h0, c0}, mask, Tensor()};
      auto r = ops::lstm(in, o);
      if (variant == 1) return ops::add(r.output, r.states[0]);
      if (variant == 2) return ops::add(ops::sum(r.output, {1}), r.states[1]);
      return r.output;
    }, {x, W, U, b, h0, c0}, 1e-2, 2e-2, 2e-3);
  }
}

TEST_CASE("lstm op: gradients with a recurrent dropout mask, other activations, no bias") {
  Tensor x = random_tensor({2, 3, 2}, 11), W = random_tensor({2, 8}, 12, -0.6f, 0.6f),
         U = random_tensor({2, 8}, 13, -0.6f, 0.6f);
  const Tensor rm = Tensor::from({2, 2}, {2.0f, 0.0f, 2.0f, 2.0f});
  ops::RecurrentOptions o;
  o.return_sequences = true;
  o.activation = ops::RnnActivation::softsign;
  o.recurrent_activation = ops::RnnActivation::hard_sigmoid;
  check_gradients([&] { return ops::lstm({x, W, U, Tensor(), {}, Tensor(), rm}, o).output; }, {x, W, U}, 1e-3);
}

TEST_CASE("lstm op: bad shapes name the op and both shapes") {
  ops::RecurrentOptions o;
  auto in = constant_cell(arange({2, 3, 4}), 4, 2);
  in.kernel = constant({5, 8}, 0.1f);
  CHECK_THROWS_WITH(ops::lstm(in, o), Catch::Contains("lstm") && Catch::Contains("(4, 4 * units)") && Catch::Contains("(5, 8)"));
  auto rank = constant_cell(arange({2, 3, 4}), 4, 2);
  rank.x = arange({6, 4});
  CHECK_THROWS_WITH(ops::lstm(rank, o), Catch::Contains("rank 3"));
  auto st = constant_cell(arange({2, 3, 4}), 4, 2);
  st.initial_states = {constant({2, 2}, 0.f)};
  CHECK_THROWS_WITH(ops::lstm(st, o), Catch::Contains("2 initial state"));
  CHECK_THROWS_WITH(ops::rnn_activation("gelu", "LSTM \"l\""), Catch::Contains("gelu") && Catch::Contains("LSTM"));
}
