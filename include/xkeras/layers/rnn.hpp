// The shared base of SimpleRNN, LSTM and GRU: Keras's RNN wrapper arguments (return_sequences,
// return_state, go_backwards, stateful, unroll, zero_output_for_mask), the cell's weights
// (kernel, recurrent_kernel, bias, in Keras's order and shapes), dropout masks drawn once per call,
// initial states and masks. Each layer is one fused op (include/xkeras/ops/recurrent.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "xkeras/config.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/ops/recurrent.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's keyword arguments of SimpleRNN / LSTM / GRU, with Keras 3's defaults, in Keras's order.
/// recurrent_activation is ignored by SimpleRNN, unit_forget_bias is LSTM's, reset_after GRU's.
struct RecurrentOptions {
  XKERAS_OPTION(std::string, activation, "tanh")
  XKERAS_OPTION(std::string, recurrent_activation, "sigmoid")
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, kernel_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, recurrent_initializer, "orthogonal")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  XKERAS_OPTION(bool, unit_forget_bias, true)    ///< LSTM: the forget block of the initial bias is ones
  XKERAS_OPTION(Regularizer, kernel_regularizer)
  XKERAS_OPTION(Regularizer, recurrent_regularizer)
  XKERAS_OPTION(Regularizer, bias_regularizer)
  XKERAS_OPTION(Constraint, kernel_constraint)
  XKERAS_OPTION(Constraint, recurrent_constraint)
  XKERAS_OPTION(Constraint, bias_constraint)
  XKERAS_OPTION(double, dropout, 0.0)            ///< on the step input, training only
  XKERAS_OPTION(double, recurrent_dropout, 0.0)  ///< on h_{t-1}, training only
  XKERAS_OPTION(std::optional<std::uint64_t>, seed)
  XKERAS_OPTION(bool, return_sequences, false)
  XKERAS_OPTION(bool, return_state, false)
  XKERAS_OPTION(bool, go_backwards, false)
  XKERAS_OPTION(bool, stateful, false)
  XKERAS_OPTION(bool, unroll, false)             ///< accepted; the fused op gives the same numbers either way
  XKERAS_OPTION(bool, zero_output_for_mask, false)
  XKERAS_OPTION(bool, reset_after, true)         ///< GRU: bias (2, 3u) and the reset gate applied after the product
  XKERAS_OPTION(std::string, name)
};

/// The common layer. Inputs: the sequence (B, T, D), then optionally the initial states
/// (tf.keras's layout [seq, h0(, c0)]). Outputs: the output, then the final states with return_state.
class RecurrentImpl : public Layer {
 public:
  /// `gates` = 1 (SimpleRNN), 4 (LSTM) or 3 (GRU). ValueError for units <= 0, an activation the
  /// fused cell lacks, or a dropout outside [0, 1].
  RecurrentImpl(std::string class_name, std::size_t gates, int units, RecurrentOptions options);

  void build_list(const std::vector<TensorShape>& input_shapes) override;
  Tensors call_list(const Tensors& xs, bool training) override;
  /// Keras 3's call(sequences, initial_state=None, mask=None, training): the mask of the sequence
  /// (args.masks[0]) and the keyword tensors "initial_state" (Keras 3) or extra positional inputs
  /// (tf.keras's [seq, h0(, c0)]), not both.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  /// The layer receives masks; its outputs carry the input mask only for the sequence output of
  /// return_sequences (Keras's RNN.compute_mask), none for the last output or the states.
  bool supports_masking() const override { return true; }
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  /// Shapes without a trace (a trace would advance a stateful layer's states).
  std::vector<TensorShape> compute_output_shape_args(const std::vector<TensorShape>& input_shapes,
                                                     const ShapeKwargs& kwargs) override;
  /// The full call: the sequence, its mask (B, T) or undefined, the initial states (empty: zeros or,
  /// when stateful, the kept states).
  Tensors run(const Tensor& sequence, const Tensor& mask, const Tensors& initial_states, bool training);
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;

  int units() const { return units_; }
  const RecurrentOptions& options() const { return options_; }
  /// How many states the cell carries (LSTM 2: h, c; else 1: h).
  std::size_t state_count() const { return gates_ == 4 ? 2 : 1; }
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& recurrent_kernel() const { return recurrent_kernel_; }
  const VariablePtr& bias() const { return bias_; }
  /// A stateful layer's kept states (empty before its first call or after reset_states()).
  const Tensors& states() const { return states_; }
  /// Zeros the kept states of a stateful layer (Keras's reset_states / reset_state).
  void reset_states() { states_.clear(); }
  void reset_state() { states_.clear(); }

 protected:
  /// RNN part of the config then the cell keys shared by all three, each class adds its own.
  json rnn_config() const;
  /// Reads what every recurrent config has (Keras 3, tf.keras, multi-backend Keras 2, TFJS spellings).
  static RecurrentOptions read_options(const ConfigReader& r, bool gated);
  virtual ops::RecurrentResult fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const = 0;
  std::string who() const;
  /// Rank 3 with known features; the initial states (batch, units). Not the batch (build sees None).
  void check_shapes(const std::vector<TensorShape>& shapes) const;

 private:
  std::size_t gates_;
  int units_;
  RecurrentOptions options_;
  ops::RnnActivation act_, rec_act_;
  VariablePtr kernel_, recurrent_kernel_, bias_;
  Tensors states_;
  std::mt19937_64 rng_;
};

}  // namespace xkeras::layers
