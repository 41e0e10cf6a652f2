// Normalization: shifts and scales features by a fixed mean and variance, given or learned from data
// with adapt() (Keras's layers.Normalization, a preprocessing layer).
//
//   layers::Normalization norm;                       // per feature on the last axis
//   norm->adapt(train_x);                             // mean and variance of the data
//   auto y = norm(Input({3}));
//   layers::Normalization fixed({.mean = 3.0, .variance = 2.0});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/layers/array_value.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's Normalization keyword arguments, in Keras's order and with its defaults.
struct NormalizationOptions {
  XKERAS_OPTION(std::vector<int>, axis, {-1})         ///< kept axes, each with its own mean and variance; {} = Keras's axis=None
  XKERAS_OPTION(std::optional<ArrayValue>, mean)      ///< given together with variance, or neither (then adapt())
  XKERAS_OPTION(std::optional<ArrayValue>, variance)  ///< broadcast onto the kept axes, right-aligned
  XKERAS_OPTION(bool, invert, false)                  ///< true: y = mean + x * sqrt(variance)
  XKERAS_OPTION(std::string, name)
};

class NormalizationImpl : public Layer {
 public:
  /// ValueError when only one of mean/variance is given, their shapes differ, or their rank
  /// exceeds the number of kept axes (Keras's checks).
  explicit NormalizationImpl(NormalizationOptions options = {});

  /// Kept axes: `axis` made non-negative and sorted; they must have known sizes. Without a given
  /// mean/variance, creates the non-trainable weights mean (kept sizes, zeros), variance (ones)
  /// and count (shape (), zeros; Keras 3 never updates it), in that order.
  void build(const TensorShape& input_shape) override;
  /// y = (x - mean) / max(sqrt(variance), 1e-7), or with invert y = mean + x * max(sqrt(variance), 1e-7);
  /// mean and variance are constants, so dL/dx = dL/dy / max(...) (or * max(...)).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// name, trainable, dtype, axis (a list; [] for None), invert, mean, variance (null when adapted).
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  static std::shared_ptr<NormalizationImpl> from_config(const json& config, const std::string& path);

  /// Sets the mean and (population) variance weights to the moments of `data` over every axis
  /// but the kept ones, in double precision. Builds the layer from data's shape (batch included,
  /// as Keras records it) if needed; otherwise the kept axes must have the built sizes.
  void adapt(const Tensor& data);
  /// The same over a sequence of batches, merged with Keras's running formula (exact: the
  /// result equals adapt() on the concatenated batches up to rounding).
  void adapt(const Tensors& batches);

  const NormalizationOptions& options() const { return options_; }
  const std::vector<std::size_t>& keep_axes() const { return keep_; }
  const VariablePtr& adapt_mean() const { return mean_w_; }
  const VariablePtr& adapt_variance() const { return variance_w_; }
  const VariablePtr& count() const { return count_w_; }

 private:
  /// Builds from the data's own shape (batch included), or checks it against the built one.
  void build_for_adapt(const Shape& data_shape);
  /// Stores adapted moments (in kept-axis order) into the weights.
  void assign(const std::vector<double>& mean, const std::vector<double>& variance);
  /// The mean and max(sqrt(variance), eps) with size-1 reduced axes (Keras's finalize_state),
  /// from the weights, which set_weights or adapt may have changed since the last call.
  std::pair<Tensor, Tensor> statistics() const;

  NormalizationOptions options_;
  std::vector<std::size_t> keep_;  // sorted kept axes
  Shape keep_shape_;               // the input's sizes on them (the weights' shape)
  Shape broadcast_shape_;          // input rank, kept sizes, 1 elsewhere
  TensorShape built_shape_;
  Tensor given_mean_, given_denom_;  // the given mean/variance, broadcast (no weights then)
  VariablePtr mean_w_, variance_w_, count_w_;
};

/// `layers::Normalization()`, `layers::Normalization({.axis = {}})` (axis=None),
/// `layers::Normalization({.mean = ArrayValue{1, 2}, .variance = ArrayValue{4, 9}})`.
class Normalization : public Holder<NormalizationImpl> {
 public:
  Normalization(NormalizationOptions options = {});  // NOLINT
  Normalization(std::shared_ptr<NormalizationImpl> impl) : Holder<NormalizationImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
