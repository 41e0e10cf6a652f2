// Fused recurrent ops: a whole SimpleRNN / LSTM / GRU sequence as ONE op on the tape, with a
// hand-written backward through time (src/ops/lstm.cpp, gru.cpp, simple_rnn.cpp).
#pragma once

#include <string>

#include "xkeras/options.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// The activations the fused cells evaluate natively (their derivative is a function of the output).
enum class RnnActivation { tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras2, relu, linear, softsign, elu };

/// Keras's activation name -> RnnActivation. "hard_sigmoid" is Keras 3's relu6(x + 3) / 6;
/// "hard_sigmoid_keras2" is Keras 2's clip(0.2 x + 0.5, 0, 1). ValueError naming `who` and the
/// supported names otherwise.
RnnActivation rnn_activation(const std::string& name, const std::string& who = "recurrent op");
const char* rnn_activation_name(RnnActivation a);

/// The tensors of one recurrent call. Shapes (G = 1 SimpleRNN, 4 LSTM, 3 GRU; u = units):
///   x (B, T, D); kernel (D, G*u); recurrent_kernel (u, G*u);
///   bias (G*u,) or undefined; GRU with reset_after: (2, 3u) (row 0 input bias, row 1 recurrent bias);
///   initial_states: empty (zeros) or {h0} / LSTM {h0, c0}, each (B, u);
///   mask (B, T) of 0/1 or undefined; recurrent_dropout_mask (B, u) multiplying h_{t-1} in the
///   recurrent product, or undefined.
struct RecurrentInputs {
  Tensor x, kernel, recurrent_kernel, bias;
  Tensors initial_states;
  Tensor mask;
  Tensor recurrent_dropout_mask;
};

struct RecurrentOptions {
  XKERAS_OPTION(RnnActivation, activation, RnnActivation::tanh)
  XKERAS_OPTION(RnnActivation, recurrent_activation, RnnActivation::sigmoid)  ///< LSTM / GRU gates
  XKERAS_OPTION(bool, go_backwards, false)                                    ///< process t = T-1 .. 0; outputs stay in processing order
  XKERAS_OPTION(bool, return_sequences, false)                                ///< output (B, T, u) instead of the last output (B, u)
  XKERAS_OPTION(bool, zero_output_for_mask, false)                            ///< masked steps output zeros instead of the previous output
  XKERAS_OPTION(bool, reset_after, true)                                      ///< GRU only
};

/// output: (B, T, u) or (B, u); states: the final states, {h} or LSTM {h, c}, each (B, u).
struct RecurrentResult {
  Tensor output;
  Tensors states;
};

/// Keras semantics (reference §2.1-2.4): LSTM gates i, f, c, o; GRU gates z, r, h. A masked step
/// (mask 0) keeps every state; its output repeats the previous output (zeros before any unmasked
/// step, or always zeros with zero_output_for_mask). ValueError naming the op on any bad shape.
RecurrentResult lstm(const RecurrentInputs& in, const RecurrentOptions& options);
RecurrentResult gru(const RecurrentInputs& in, const RecurrentOptions& options);
RecurrentResult simple_rnn(const RecurrentInputs& in, const RecurrentOptions& options);

}  // namespace xkeras::ops
