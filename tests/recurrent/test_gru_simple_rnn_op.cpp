// The fused GRU (both variants) and SimpleRNN ops against Keras's own test values (reference §2.6)
// and central differences.
#include <catch2/catch.hpp>

#include <xkeras/ops/recurrent.hpp>

#include "recurrent/rnn_test_utils.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::testing;

TEST_CASE("gru op: Keras gru_test values (default, go_backwards, reset_after false, use_bias false)") {
  const Tensor x = arange({3, 6, 4});
  ops::RecurrentOptions o;
  check_rows(ops::gru(constant_cell(x, 3, 3, true, true), o).output, {0.5217289f, 0.6371659f, 0.39384964f});
  check_rows(ops::gru(constant_cell(x, 3, 3, false), o).output, {0.49988455f, 0.64701194f, 0.4103359f});
  o.go_backwards = true;
  check_rows(ops::gru(constant_cell(x, 3, 3, true, true), o).output, {0.24406259f, 0.611516f, 0.3928808f});
  ops::RecurrentOptions before;
  before.reset_after = false;
  check_rows(ops::gru(constant_cell(x, 3, 3), before).output, {0.51447755f, 0.6426879f, 0.40208298f});
}

TEST_CASE("gru op: initial state, stateful second call, masking") {
  ops::RecurrentOptions o;
  auto in = constant_cell(arange({2, 4, 3}), 3, 2, true, true);
  in.initial_states = {Tensor::from({2, 2}, {0, 1, 2, 3})};
  const auto r = ops::gru(in, o);
  check_close(r.output, {0.23774096f, 0.33508456f, 0.83659905f, 1.0227708f});
  check_close(r.states[0], {0.23774096f, 0.33508456f, 0.83659905f, 1.0227708f});
  o.go_backwards = true;
  check_close(ops::gru(in, o).output, {0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f});

  ops::RecurrentOptions p;
  auto st = constant_cell(arange({2, 3, 4}), 3, 4, true, true);
  st.initial_states = ops::gru(st, p).states;
  check_rows(ops::gru(st, p).output, {0.29542392f, 0.5885018f});

  ops::RecurrentOptions seq;
  seq.return_sequences = true;
  auto m = constant_cell(arange({2, 4, 3}), 3, 2, true, true);
  m.mask = mask_of({{1, 1, 0, 1}, {1, 0, 0, 1}});
  check_sequence(ops::gru(m, seq).output, {{0.03606692f, 0.09497581f, 0.09497581f, 0.19393763f},
                                           {0.16051409f, 0.16051409f, 0.16051409f, 0.30818558f}});
  ops::RecurrentOptions back;
  back.go_backwards = true;
  check_rows(ops::gru(m, back).output, {0.11669192f, 0.28380975f});
}

TEST_CASE("simple_rnn op: Keras simple_rnn_test values") {
  ops::RecurrentOptions o;
  const auto in = constant_cell(arange({2, 3, 4}), 1, 4);
  check_rows(ops::simple_rnn(in, o).output, {0.405432f, 0.73605347f});
  auto st = in;
  st.initial_states = ops::simple_rnn(in, o).states;
  check_rows(ops::simple_rnn(st, o).output, {0.40559256f, 0.7361247f});
  auto init = constant_cell(arange({2, 4, 3}), 1, 4);
  init.initial_states = {arange({2, 4})};
  check_rows(ops::simple_rnn(init, o).output, {0.33621645f, 0.6262637f});
  ops::RecurrentOptions back;
  back.go_backwards = true;
  check_rows(ops::simple_rnn(in, back).output, {0.11144729f, 0.5528889f});
  check_rows(ops::simple_rnn(init, back).output, {0.07344437f, 0.43043602f});
}

TEST_CASE("simple_rnn op: masking, return_sequences, zero_output_for_mask, go_backwards") {
  const Tensor mask = mask_of({{1, 1, 0, 1}, {1, 0, 0, 1}});
  auto in4 = constant_cell(arange({2, 4, 3}), 1, 4);
  in4.mask = mask;
  ops::RecurrentOptions o;
  check_rows(ops::simple_rnn(in4, o).output, {0.32951632f, 0.61799484f});
  ops::RecurrentOptions back;
  back.go_backwards = true;
  check_rows(ops::simple_rnn(in4, back).output, {0.07376196f, 0.43645123f});
  auto in2 = constant_cell(arange({2, 4, 3}), 1, 2);
  in2.mask = mask;
  ops::RecurrentOptions seq;
  seq.return_sequences = true;
  check_sequence(ops::simple_rnn(in2, seq).output, {{0.0599281f, 0.15122814f, 0.15122814f, 0.32394567f},
                                                    {0.3969304f, 0.3969304f, 0.3969304f, 0.608085f}});
  seq.zero_output_for_mask = true;
  check_sequence(ops::simple_rnn(in2, seq).output, {{0.0599281f, 0.15122814f, 0.0f, 0.32394567f},
                                                    {0.3969304f, 0.0f, 0.0f, 0.608085f}});
}

namespace {
// Gradient check of one cell for x, every weight and the initial state, over mask / direction variants.
void check_cell(ops::RecurrentResult (*fn)(const ops::RecurrentInputs&, const ops::RecurrentOptions&),
                std::size_t gates, bool reset_after, ops::RnnActivation act) {
  for (int variant = 0; variant < 4; ++variant) {
    INFO("variant " << variant);
    ops::RecurrentOptions o;
    o.activation = act;
    o.reset_after = reset_after;
    o.return_sequences = variant != 1;
    o.go_backwards = variant >= 2;
    o.zero_output_for_mask = variant == 3;
    const std::size_t u = 3, gu = gates * u;
    Tensor x = random_tensor({3, 4, 2}, 21), W = random_tensor({2, gu}, 22, -0.6f, 0.6f),
           U = random_tensor({u, gu}, 23, -0.6f, 0.6f),
           b = random_tensor(reset_after ? Shape{2, gu} : Shape{gu}, 24, -0.5f, 0.5f), h0 = random_tensor({3, u}, 25);
    const Tensor mask = variant == 0 ? Tensor() : mask_of({{1, 0, 1, 1}, {0, 1, 1, 0}, {1, 1, 1, 1}});
    const Tensor rm = variant == 2 ? Tensor::from({3, u}, {2, 0, 2, 2, 2, 0, 0, 2, 2}) : Tensor();
    check_gradients([&] {
      auto r = fn({x, W, U, b, {h0}, mask, rm}, o);
      return variant == 1 ? ops::add(r.output, r.states[0]) : r.output;
    }, {x, W, U, b, h0});
  }
}
}  // namespace

TEST_CASE("gru op: gradients, reset_after true and false, with masks and go_backwards") {
  check_cell(&ops::gru, 3, true, ops::RnnActivation::tanh);
  check_cell(&ops::gru, 3, false, ops::RnnActivation::tanh);
}

TEST_CASE("simple_rnn op: gradients with masks and go_backwards, tanh and elu") {
  check_cell(&ops::simple_rnn, 1, false, ops::RnnActivation::tanh);
  check_cell(&ops::simple_rnn, 1, false, ops::RnnActivation::elu);
}
