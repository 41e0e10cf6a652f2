// TimeDistributed: one layer applied to every time step of (batch, time, ...) inputs with shared
// weights, Keras's layers.TimeDistributed.
//
//   auto y = layers::TimeDistributed(layers::Dense(8))(x);             // (None, 10, 16) -> (None, 10, 8)
//   auto f = layers::TimeDistributed(layers::Conv2D(16, 3))(frames);   // (None, T, H, W, C) per frame
#pragma once

#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// The inner layer is built on (batch, ...) (the time axis removed) and runs once on the whole
/// (batch * time, ...) stack, then the result is split back into (batch, time, ...). This equals
/// Keras's per-step loop for every layer that treats samples independently (Dense, Conv, pooling,
/// ...); a layer that mixes samples (BatchNormalization in training) sees all steps in one batch,
/// as tf.keras's reshape path did. A (batch, time[, ...]) mask is reshaped the same way and passed
/// to the inner layer; the output carries no mask (Keras: supports_masking is False).
class TimeDistributedImpl : public Layer {
 public:
  TimeDistributedImpl(LayerPtr layer, std::string name = "");

  void build(const TensorShape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  std::vector<LayerPtr> sublayers() const override { return {layer_}; }
  /// name, trainable, dtype, layer (Keras 3 and tf.keras alike).
  json get_config() const override;
  static std::shared_ptr<TimeDistributedImpl> from_config(const json& config, const std::string& path);

  const LayerPtr& layer() const { return layer_; }

 private:
  LayerPtr layer_;
};

/// `layers::TimeDistributed(layers::Dense(8))`.
class TimeDistributed : public Holder<TimeDistributedImpl> {
 public:
  explicit TimeDistributed(LayerPtr layer, const std::string& name = "");
  TimeDistributed(std::shared_ptr<TimeDistributedImpl> impl) : Holder<TimeDistributedImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
