// Losses with Keras's formulas, clipping and "sum_over_batch_size" reduction.
#pragma once

#include <memory>
#include <string>

#include "xkeras/json.hpp"

#include "xkeras/tensor.hpp"

namespace xkeras {


namespace losses {
/// Subclass for a custom loss: compose per_sample() of xkeras::ops (it is differentiated on the tape).
class LossImpl {
 public:
  virtual ~LossImpl() = default;
  /// Per-sample losses (reduced over the last axis), differentiable in y_pred. Shapes follow
  /// Keras: (N,) and (N, 1) are reconciled; any other mismatch is a ValueError naming both shapes.
  virtual Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const = 0;
  /// Keras reduction "sum_over_batch_size": sum of per-sample losses / their count (a scalar tensor).
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred) const;
  virtual std::string name() const = 0;        // "mean_squared_error"
  virtual std::string class_name() const = 0;  // "MeanSquaredError"
  /// {"name", "reduction"} then the loss's own keys, in Keras's order.
  virtual json get_config() const;
};
}  // namespace losses

/// Value-type loss; a string resolves Keras's names and aliases: "mean_squared_error"/"mse"/"MSE",
/// "mean_absolute_error"/"mae"/"MAE", "binary_crossentropy"/"bce", "categorical_crossentropy",
/// "sparse_categorical_crossentropy", and the class names ("MeanSquaredError", ...).
class Loss {
 public:
  Loss(const char* name);  // NOLINT
  Loss(const std::string& name);
  Loss(std::shared_ptr<losses::LossImpl> impl);  // NOLINT
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred) const { return (*impl_)(y_true, y_pred); }
  losses::LossImpl* operator->() const { return impl_.get(); }
  const std::shared_ptr<losses::LossImpl>& ptr() const { return impl_; }
  /// A string when it was given as one (as Keras's compile_config keeps it), otherwise
  /// {"module": "keras.losses", "class_name", "config", "registered_name": null}.
  json to_json() const;
  /// A name, a Keras loss object, or {"class_name": "function", "config": "<name>"}; errors name `path`.
  static Loss from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<losses::LossImpl> impl_;
  std::string given_name_;
};

namespace losses {
Loss MeanSquaredError();
Loss MeanAbsoluteError();
Loss BinaryCrossentropy(bool from_logits = false, float label_smoothing = 0.0f);
Loss CategoricalCrossentropy(bool from_logits = false, float label_smoothing = 0.0f);
Loss SparseCategoricalCrossentropy(bool from_logits = false);
}  // namespace losses

}  // namespace xkeras
