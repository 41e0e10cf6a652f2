// The activation layers of keras.layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, and tf.keras's
// ThresholdedReLU (removed in Keras 3, still found in older files). All but PReLU have no weights
// and are built at construction, as in Keras.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// An elementwise layer without weights: output shape = input shape, no build config.
class ElementwiseLayer : public Layer {
 public:
  using Layer::Layer;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  json build_config() const override { return nullptr; }  // Keras builds these at construction
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
};

// ---- ReLU -----------------------------------------------------------------------------------
struct ReLUOptions {
  XKERAS_OPTION(std::optional<float>, max_value)  ///< Keras's None: no cap; must be >= 0
  XKERAS_OPTION(float, negative_slope, 0.0f)      ///< >= 0
  XKERAS_OPTION(float, threshold, 0.0f)           ///< >= 0
  XKERAS_OPTION(std::string, name)
};

/// y = min(x, max_value) where x > threshold (strictly), else negative_slope * (x - threshold).
class ReLUImpl : public ElementwiseLayer {
 public:
  explicit ReLUImpl(ReLUOptions options = {});
  Tensor call(const Tensor& x, bool training) override;
  /// name, trainable, dtype, max_value, negative_slope, threshold.
  json get_config() const override;
  static std::shared_ptr<ReLUImpl> from_config(const json& config, const std::string& path);
  const ReLUOptions& options() const { return options_; }

 private:
  ReLUOptions options_;
};

/// `layers::ReLU()`, `layers::ReLU({.max_value = 6.0f})`.
class ReLU : public Holder<ReLUImpl> {
 public:
  ReLU(ReLUOptions options = {});  // NOLINT
  ReLU(std::shared_ptr<ReLUImpl> impl) : Holder<ReLUImpl>(std::move(impl)) {}  // NOLINT
};

// ---- LeakyReLU ------------------------------------------------------------------------------
/// y = x for x >= 0, negative_slope * x otherwise. Keras 3's default slope 0.3 (the "leaky_relu"
/// activation string uses 0.2). Keras 2 / TFJS configs say "alpha"; it reads as negative_slope.
class LeakyReLUImpl : public ElementwiseLayer {
 public:
  explicit LeakyReLUImpl(float negative_slope = 0.3f, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// name, trainable, dtype, negative_slope.
  json get_config() const override;
  static std::shared_ptr<LeakyReLUImpl> from_config(const json& config, const std::string& path);
  float negative_slope() const { return negative_slope_; }

 private:
  float negative_slope_;
};

class LeakyReLU : public Holder<LeakyReLUImpl> {
 public:
  explicit LeakyReLU(float negative_slope = 0.3f, const std::string& name = "");
  LeakyReLU(std::shared_ptr<LeakyReLUImpl> impl) : Holder<LeakyReLUImpl>(std::move(impl)) {}  // NOLINT
};

// ---- PReLU ----------------------------------------------------------------------------------
struct PReLUOptions {
  XKERAS_OPTION(Initializer, alpha_initializer, "Zeros")
  XKERAS_OPTION(Regularizer, alpha_regularizer)
  XKERAS_OPTION(Constraint, alpha_constraint)
  XKERAS_OPTION(std::vector<int>, shared_axes)  ///< 1-based input axes (batch = 0) where alpha is shared; empty = None
  XKERAS_OPTION(std::string, name)
};

/// y = x for x > 0, alpha * x otherwise, with a trainable weight "alpha" of the input shape
/// without the batch axis, size 1 on every shared axis.
class PReLUImpl : public Layer {
 public:
  explicit PReLUImpl(PReLUOptions options = {});
  void build(const TensorShape& input_shape) override;
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  /// name, trainable, dtype, alpha_initializer, alpha_regularizer, alpha_constraint, shared_axes.
  json get_config() const override;
  static std::shared_ptr<PReLUImpl> from_config(const json& config, const std::string& path);
  const PReLUOptions& options() const { return options_; }
  const VariablePtr& alpha() const { return alpha_; }

 private:
  PReLUOptions options_;
  VariablePtr alpha_;
};

class PReLU : public Holder<PReLUImpl> {
 public:
  PReLU(PReLUOptions options = {});  // NOLINT
  PReLU(std::shared_ptr<PReLUImpl> impl) : Holder<PReLUImpl>(std::move(impl)) {}  // NOLINT
};

// ---- ELU ------------------------------------------------------------------------------------
/// y = x for x >= 0, alpha * (e^x - 1) otherwise.
class ELUImpl : public ElementwiseLayer {
 public:
  explicit ELUImpl(float alpha = 1.0f, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// Keras 3's auto-config order: name, alpha, trainable, dtype.
  json get_config() const override;
  static std::shared_ptr<ELUImpl> from_config(const json& config, const std::string& path);
  float alpha() const { return alpha_; }

 private:
  float alpha_;
};

class ELU : public Holder<ELUImpl> {
 public:
  explicit ELU(float alpha = 1.0f, const std::string& name = "");
  ELU(std::shared_ptr<ELUImpl> impl) : Holder<ELUImpl>(std::move(impl)) {}  // NOLINT
};

// ---- Softmax --------------------------------------------------------------------------------
/// Softmax over one axis, or jointly over several (exp(x - logsumexp(x, axes))). With a mask (the
/// input's, or mask=), as Keras 3: positions where mask <= 0.5 enter as -1e9 and come out as 0; the
/// mask must broadcast to the input (each of its trailing dimensions 1 or the input's).
class SoftmaxImpl : public ElementwiseLayer {
 public:
  /// `axes` one or more axes (negative count from the end); `as_list` writes them as a list.
  explicit SoftmaxImpl(std::vector<int> axes = {-1}, bool as_list = false, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, axis.
  json get_config() const override;
  static std::shared_ptr<SoftmaxImpl> from_config(const json& config, const std::string& path);
  const std::vector<int>& axes() const { return axes_; }

 private:
  std::vector<int> axes_;
  bool as_list_;
};

class Softmax : public Holder<SoftmaxImpl> {
 public:
  explicit Softmax(int axis = -1, const std::string& name = "");
  Softmax(std::vector<int> axes, const std::string& name = "");
  Softmax(std::shared_ptr<SoftmaxImpl> impl) : Holder<SoftmaxImpl>(std::move(impl)) {}  // NOLINT
};

// ---- ThresholdedReLU ------------------------------------------------------------------------
/// y = x for x > theta, 0 otherwise (tf.keras / Keras 2 / TFJS; not in Keras 3). theta >= 0.
class ThresholdedReLUImpl : public ElementwiseLayer {
 public:
  explicit ThresholdedReLUImpl(float theta = 1.0f, std::string name = "");
  Tensor call(const Tensor& x, bool training) override;
  /// tf.keras's: name, trainable, dtype, theta.
  json get_config() const override;
  static std::shared_ptr<ThresholdedReLUImpl> from_config(const json& config, const std::string& path);
  float theta() const { return theta_; }

 private:
  float theta_;
};

class ThresholdedReLU : public Holder<ThresholdedReLUImpl> {
 public:
  explicit ThresholdedReLU(float theta = 1.0f, const std::string& name = "");
  ThresholdedReLU(std::shared_ptr<ThresholdedReLUImpl> impl) : Holder<ThresholdedReLUImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
