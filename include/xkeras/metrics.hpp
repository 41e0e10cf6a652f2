// Metrics: accuracy (Keras's resolution by shape), mae, mse; running weighted means per epoch.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "xkeras/tensor.hpp"

namespace xkeras {

namespace metrics {
class MetricImpl {
 public:
  virtual ~MetricImpl() = default;
  /// Adds a batch: its per-sample values join the running mean (Keras's MeanMetricWrapper).
  /// Throws ValueError naming the metric and both shapes when they do not fit.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred) = 0;
  virtual double result() const = 0;  // 0 before any update
  virtual void reset_state() = 0;
  virtual std::string name() const = 0;        // the name shown in logs ("accuracy", "mae")
  virtual std::string class_name() const = 0;  // the resolved Keras class ("BinaryAccuracy", ...)
};

/// Keras's compile_utils rule for "accuracy": (is_binary, is_sparse) from the two shapes.
/// Binary if y_pred's last dim is 1; sparse if y_true has a lower rank or (y_true's last dim is 1
/// and y_pred's last dim > 1); otherwise categorical.
std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true, const Shape& y_pred);
}  // namespace metrics

/// Value-type metric spec: "accuracy"/"acc" (binary, sparse or categorical by shapes, as in
/// Keras), "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
/// "mae"/"mean_absolute_error", "mse"/"mean_squared_error". Unknown names throw ValueError.
class Metric {
 public:
  Metric(const char* name);  // NOLINT
  Metric(const std::string& name);
  const std::string& name() const { return name_; }
  /// Builds a fresh state for one output; the metric keeps the user's string as its name.
  std::shared_ptr<metrics::MetricImpl> make(const Shape& y_true_shape, const Shape& y_pred_shape) const;

 private:
  std::string name_;
};

}  // namespace xkeras
