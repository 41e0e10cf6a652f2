// Losses with Keras's formulas, clipping and "sum_over_batch_size" reduction.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "xkeras/tensor.hpp"

namespace xkeras {

using json = nlohmann::json;

namespace losses {
class LossImpl {
 public:
  virtual ~LossImpl() = default;
  /// Per-sample losses (reduced over the last axis), composed of ops (differentiable in y_pred).
  virtual Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const = 0;
  /// Keras reduction "sum_over_batch_size": sum of per-sample losses / their count (a scalar tensor).
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred) const;
  virtual std::string name() const = 0;        // "mean_squared_error"
  virtual std::string class_name() const = 0;  // "MeanSquaredError"
  virtual json get_config() const;
};
}  // namespace losses

/// Value-type loss; a string resolves Keras's names and aliases ("mse", "binary_crossentropy", ...).
class Loss {
 public:
  Loss(const char* name);  // NOLINT
  Loss(const std::string& name);
  Loss(std::shared_ptr<losses::LossImpl> impl) : impl_(std::move(impl)) {}
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred) const { return (*impl_)(y_true, y_pred); }
  losses::LossImpl* operator->() const { return impl_.get(); }
  /// A string when it was given as one (as Keras keeps it), otherwise the Keras object.
  json to_json() const;
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
