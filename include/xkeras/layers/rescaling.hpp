// Rescaling: y = x * scale + offset (Keras's layers.Rescaling), e.g. pixels to [0, 1] or [-1, 1].
//
//   auto y = layers::Rescaling(1.0 / 255)(x);
//   auto z = layers::Rescaling(1.0 / 127.5, -1.0)(x);
//   auto w = layers::Rescaling({0.5, 0.25, 2.0}, {0.0, 1.0, 0.0})(rgb);   // per channel
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/layers/array_value.hpp"

namespace xkeras::layers {

/// `scale` and `offset` are each a number or an array that broadcasts against the input like
/// NumPy (a list of C values scales the last axis, channels_last). The output has the input's
/// shape; an array that would grow it is a ValueError.
class RescalingImpl : public Layer {
 public:
  explicit RescalingImpl(ArrayValue scale, ArrayValue offset = 0.0, std::string name = "");

  /// x * scale + offset with constant scale and offset, so dL/dx = dL/dy * scale.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, scale, offset (numbers stay numbers, lists stay lists).
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  static std::shared_ptr<RescalingImpl> from_config(const json& config, const std::string& path);

  const ArrayValue& scale() const { return scale_; }
  const ArrayValue& offset() const { return offset_; }

 private:
  void check_broadcast(const TensorShape& input) const;

  ArrayValue scale_, offset_;
  Tensor scale_t_, offset_t_;  // float32 copies for the ops
};

/// `layers::Rescaling(1.0 / 255)`, `layers::Rescaling(1.0 / 127.5, -1.0)`, `layers::Rescaling({0.5, 2.0}, {1.0, 0.0})`.
class Rescaling : public Holder<RescalingImpl> {
 public:
  explicit Rescaling(ArrayValue scale, ArrayValue offset = 0.0, const std::string& name = "");
  /// `Rescaling({0.5, 2.0})`: a braced list is a per-channel scale (not a scale and an offset).
  Rescaling(std::initializer_list<double> scale, ArrayValue offset = 0.0, const std::string& name = "")
      : Rescaling(ArrayValue(std::vector<double>(scale)), std::move(offset), name) {}
  Rescaling(std::shared_ptr<RescalingImpl> impl) : Holder<RescalingImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
