// UnitNormalization: scales each sample to unit L2 norm over `axis` (Keras's layers.UnitNormalization).
#pragma once

#include <string>
#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

class UnitNormalizationImpl : public Layer {
 public:
  /// One axis (written to the config as an int, as Keras) ...
  explicit UnitNormalizationImpl(int axis = -1, std::string name = "");
  /// ... or several (written as a list). ValueError for an empty list.
  explicit UnitNormalizationImpl(std::vector<int> axes, std::string name = "");

  /// y = x * rsqrt(max(sum(x^2, axis), 1e-24)): Keras >= 3.6 semantics (ops.normalize with
  /// epsilon 1e-12 clamps the NORM at 1e-12). Keras <= 3.5 and tf.keras clamp the squared sum at
  /// 1e-12 instead; the two differ only when ||x|| < 1e-6 (use Lambda("l2_normalize") for TF's).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, axis.
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  json build_config() const override { return nullptr; }  // Keras builds it at construction

  static std::shared_ptr<UnitNormalizationImpl> from_config(const json& config, const std::string& path);

  const std::vector<int>& axes() const { return axes_; }

 private:
  void check_axes(const TensorShape& shape) const;

  std::vector<int> axes_;
  bool axis_is_list_;
};

/// `layers::UnitNormalization()`, `layers::UnitNormalization(1)`, `layers::UnitNormalization(std::vector<int>{1, 2})`.
class UnitNormalization : public Holder<UnitNormalizationImpl> {
 public:
  explicit UnitNormalization(int axis = -1, const std::string& name = "");
  explicit UnitNormalization(const std::vector<int>& axes, const std::string& name = "");
  UnitNormalization(std::shared_ptr<UnitNormalizationImpl> impl) : Holder<UnitNormalizationImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
