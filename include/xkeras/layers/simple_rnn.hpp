// SimpleRNN: Keras's SimpleRNN layer (h_t = act(x_t W + b + h_{t-1} U); one state h.) as one fused op.
#pragma once

#include "xkeras/layers/rnn.hpp"

namespace xkeras::layers {

using SimpleRNNOptions = RecurrentOptions;

class SimpleRNNImpl : public RecurrentImpl {
 public:
  /// Throws ValueError when units <= 0 or an activation is not one the fused cell evaluates.
  SimpleRNNImpl(int units, SimpleRNNOptions options = {});
  /// Keras 3's keys in Keras's order (reference §2.7).
  json get_config() const override;
  /// Reads Keras 3, tf.keras 2.x, multi-backend Keras 2 and TensorFlow.js configs.
  static std::shared_ptr<SimpleRNNImpl> from_config(const json& config, const std::string& path);

 protected:
  ops::RecurrentResult fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const override;
};

/// `layers::SimpleRNN(32)` or `layers::SimpleRNN(32, {.return_sequences = true})`.
class SimpleRNN : public Holder<SimpleRNNImpl> {
 public:
  explicit SimpleRNN(int units, SimpleRNNOptions options = {});
  SimpleRNN(std::shared_ptr<SimpleRNNImpl> impl) : Holder<SimpleRNNImpl>(std::move(impl)) {}  // NOLINT
  /// Zeros the kept states of a stateful layer.
  void reset_states() const { ptr_->reset_states(); }
  void reset_state() const { ptr_->reset_state(); }
};

}  // namespace xkeras::layers
