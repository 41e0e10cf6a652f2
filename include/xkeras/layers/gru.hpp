// GRU: Keras's GRU layer (gates z, r, h; reset_after (default) uses a (2, 3u) bias; one state h.) as one fused op.
#pragma once

#include "xkeras/layers/rnn.hpp"

namespace xkeras::layers {

using GRUOptions = RecurrentOptions;

class GRUImpl : public RecurrentImpl {
 public:
  /// Throws ValueError when units <= 0 or an activation is not one the fused cell evaluates.
  GRUImpl(int units, GRUOptions options = {});
  /// Keras 3's keys in Keras's order (reference §2.7).
  json get_config() const override;
  /// Reads Keras 3, tf.keras 2.x, multi-backend Keras 2 and TensorFlow.js configs.
  static std::shared_ptr<GRUImpl> from_config(const json& config, const std::string& path);

 protected:
  ops::RecurrentResult fused(const ops::RecurrentInputs& in, const ops::RecurrentOptions& o) const override;
};

/// `layers::GRU(32)` or `layers::GRU(32, {.return_sequences = true})`.
class GRU : public Holder<GRUImpl> {
 public:
  explicit GRU(int units, GRUOptions options = {});
  GRU(std::shared_ptr<GRUImpl> impl) : Holder<GRUImpl>(std::move(impl)) {}  // NOLINT
  /// Zeros the kept states of a stateful layer.
  void reset_states() const { ptr_->reset_states(); }
  void reset_state() const { ptr_->reset_state(); }
};

}  // namespace xkeras::layers
