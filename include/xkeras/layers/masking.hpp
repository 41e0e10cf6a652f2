// Masking: skips the time steps whose features all equal mask_value, Keras's layers.Masking.
//
//   auto x = Input({10, 8});
//   auto m = layers::Masking(0.0)(x);      // steps that are all zeros are masked downstream
#pragma once

#include <string>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// keep = any(x != mask_value over the last axis); output = x where keep, 0 elsewhere; the output's
/// mask is keep (the input's shape without the last axis). The gradient flows to kept steps only.
class MaskingImpl : public Layer {
 public:
  explicit MaskingImpl(float mask_value = 0.0f, std::string name = "");

  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  bool supports_masking() const override { return true; }
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  /// name, trainable, dtype, mask_value.
  json get_config() const override;
  static std::shared_ptr<MaskingImpl> from_config(const json& config, const std::string& path);

  float mask_value() const { return mask_value_; }

 private:
  /// 0/1 per step with the last axis kept as 1: (..., 1).
  Tensor keep(const Tensor& x) const;

  float mask_value_;
};

/// `layers::Masking()` or `layers::Masking(-1.0)`.
class Masking : public Holder<MaskingImpl> {
 public:
  explicit Masking(float mask_value = 0.0f, const std::string& name = "");
  Masking(std::shared_ptr<MaskingImpl> impl) : Holder<MaskingImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
