// Metrics: accuracy (Keras's resolution by shape), mae, mse; running weighted means per epoch.
#pragma once

#include <memory>
#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras {

namespace metrics {
class MetricImpl {
 public:
  virtual ~MetricImpl() = default;
  /// Adds a batch: per-sample values are averaged into the running mean.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred) = 0;
  virtual double result() const = 0;
  virtual void reset_state() = 0;
  virtual std::string name() const = 0;  // the name shown in logs ("accuracy", "mae")
};
}  // namespace metrics

/// Value-type metric spec ("accuracy", "acc", "mae", "mse", ...). `make()` builds a fresh state.
class Metric {
 public:
  Metric(const char* name);  // NOLINT
  Metric(const std::string& name);
  const std::string& name() const { return name_; }
  /// Resolves the concrete metric for an output (accuracy depends on the shapes, as in Keras).
  std::shared_ptr<metrics::MetricImpl> make(const Shape& y_true_shape, const Shape& y_pred_shape) const;

 private:
  std::string name_;
};

}  // namespace xkeras
