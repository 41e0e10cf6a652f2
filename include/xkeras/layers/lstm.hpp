// LSTM: Keras's LSTM layer (gates i, f, c, o; states [h, c]; unit_forget_bias makes the initial forget bias ones.) as one fused op.
#pragma once

#include "xkeras/layers/rnn.hpp"

namespace xkeras::layers {

using LSTMOptions = RecurrentOptions;

class LSTMImpl : public RecurrentImpl {
 public:
  /// Throws ValueError when units <= 0 or an activation is not one the fused cell evaluates.
  LSTMImpl(int units, LSTMOptions options = {});
  /// Keras 3's keys in Keras's order (reference §2.7).
  json get_config() const override;
  /// Reads Keras 3, tf.keras 2.x, multi-backend Keras 2 and TensorFlow.js configs.
  static std::shared_ptr<LSTMImpl> from_config(const json& config, const std::string& path);

 protected:
  ops::RecurrentResult fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const override;
};

/// `layers::LSTM(32)` or `layers::LSTM(32, {.return_sequences = true})`.
class LSTM : public Holder<LSTMImpl> {
 public:
  explicit LSTM(int units, LSTMOptions options = {});
  LSTM(std::shared_ptr<LSTMImpl> impl) : Holder<LSTMImpl>(std::move(impl)) {}  // NOLINT
  /// Zeros the kept states of a stateful layer.
  void reset_states() const { ptr_->reset_states(); }
  void reset_state() const { ptr_->reset_state(); }
};

}  // namespace xkeras::layers
