// Metrics: Keras's stateful metric objects. A `Metric` is a spec (a name, a metric object, or a user
// function) from which the training loop makes fresh state for each output; the state accumulates
// over an epoch (running means, confusion counts per threshold, confusion matrices) and is reset
// every epoch, so result() is Keras's value over the whole epoch, not a mean of batch values.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "xkeras/json.hpp"
#include "xkeras/options.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

namespace metrics {
/// Subclass for a stateful user metric (Keras's Metric subclass): update_state accumulates,
/// result() reads, reset_state() clears. Built-in metrics are MetricImpls too.
class MetricImpl {
 public:
  virtual ~MetricImpl() = default;
  /// Adds a batch. `sample_weight` (undefined = every sample weighs 1) follows each metric's Keras
  /// semantics, usually shape (N,) or y_true's shape. Throws ValueError naming the metric and the
  /// shapes when they do not fit.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) = 0;
  void update_state(const Tensor& y_true, const Tensor& y_pred) { update_state(y_true, y_pred, Tensor()); }
  /// The scalar value (0 before any update). Metrics with several values (Precision with several
  /// thresholds, F1Score with average None) return the first and give all of them in results().
  virtual double result() const = 0;
  virtual std::vector<double> results() const { return {result()}; }
  virtual void reset_state() = 0;
  virtual std::string name() const = 0;        // the name shown in logs ("accuracy", "precision")
  virtual std::string class_name() const = 0;  // the Keras class ("BinaryAccuracy", "Precision", ...)
  /// Keras's get_config (compile_config writes it); the default is {"name": name()}.
  virtual json get_config() const { return json{{"name", name()}, {"dtype", "float32"}}; }
  /// A fresh copy with no state (each output of a model gets its own). The default returns nullptr:
  /// the object itself is then used, which is fine for a model with one output.
  virtual std::shared_ptr<MetricImpl> clone() const { return nullptr; }
  /// The state that adds up over the ranks of data-parallel training (totals, counts, confusion
  /// counts): fit sums it over ranks before it reads result(), so the logs show the metric of the
  /// whole global batch. The default, none, logs this rank's own value.
  using StateSpan = std::pair<double*, std::size_t>;
  virtual std::vector<StateSpan> summable_state() { return {}; }
};

/// Keras's compile_utils rule for "accuracy": (is_binary, is_sparse) from the two shapes.
/// Binary if y_pred's last dim is 1; sparse if y_true has a lower rank or (y_true's last dim is 1
/// and y_pred's last dim > 1); otherwise categorical.
std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true, const Shape& y_pred);

/// A per-sample metric function (Keras's MeanMetricWrapper fn): (y_true, y_pred) -> values whose
/// first axis is the batch; the metric is their (sample-weighted) mean over the epoch.
using MetricFn = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;
}  // namespace metrics

/// Value-type metric spec:
/// - a name: "accuracy"/"acc" (binary, sparse or categorical by shapes, as in Keras), "binary_accuracy",
///   "categorical_accuracy", "sparse_categorical_accuracy", "mae"/"mean_absolute_error",
///   "mse"/"mean_squared_error", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
///   "precision", "recall", "auc", "f1_score". Unknown names throw ValueError.
/// - a metric object: metrics::Precision(...), metrics::AUC(...), ..., or a user MetricImpl subclass;
/// - a user function with a name, wrapped like Keras's MeanMetricWrapper.
class Metric {
 public:
  Metric(const char* name);  // NOLINT
  Metric(const std::string& name);
  Metric(std::shared_ptr<metrics::MetricImpl> object);  // NOLINT
  template <class T, class = std::enable_if_t<std::is_base_of_v<metrics::MetricImpl, T>>>
  Metric(std::shared_ptr<T> object) : Metric(std::shared_ptr<metrics::MetricImpl>(std::move(object))) {}  // NOLINT
  Metric(std::string name, metrics::MetricFn fn);
  /// The name in logs.
  const std::string& name() const { return name_; }
  /// Builds a fresh state for one output; a named metric keeps the user's string as its name.
  std::shared_ptr<metrics::MetricImpl> make(const Shape& y_true_shape, const Shape& y_pred_shape) const;
  /// compile_config's entry: the user's string, or {"module": "keras.metrics", "class_name",
  /// "config", "registered_name": null} for a built-in object; a user object or function is
  /// written by name (loading it back then fails with a clear ConfigError, as in Keras without
  /// custom_objects).
  json to_json() const;
  /// A name, a Keras metric object, or {"class_name": "function", "config": "<name>"}; errors name `path`.
  static Metric from_json(const json& j, const std::string& path);

 private:
  std::string name_;
  std::shared_ptr<metrics::MetricImpl> object_;  // a metric object (cloned per output when it can)
  metrics::MetricFn fn_;                         // a user function
};

namespace metrics {

/// Keras's Precision/Recall arguments. `thresholds` empty = 0.5 (or, with top_k, every top-k entry
/// counts as predicted positive).
struct PrecisionOptions {
  XKERAS_OPTION(std::vector<float>, thresholds)
  XKERAS_OPTION(std::optional<int>, top_k)
  XKERAS_OPTION(std::optional<int>, class_id)
  XKERAS_OPTION(std::string, name)  // "" = "precision" / "recall"
};
Metric Precision(const PrecisionOptions& options = {});
Metric Recall(const PrecisionOptions& options = {});

/// Keras's AUC arguments (multi_label and label_weights are not supported).
struct AUCOptions {
  XKERAS_OPTION(int, num_thresholds, 200)
  XKERAS_OPTION(std::string, curve, "ROC")                      // "ROC" or "PR"
  XKERAS_OPTION(std::string, summation_method, "interpolation")  // or "minoring", "majoring"
  XKERAS_OPTION(std::string, name)                               // "" = "auc"
  XKERAS_OPTION(std::vector<float>, thresholds)                  // empty = num_thresholds evenly spaced
  XKERAS_OPTION(bool, from_logits, false)
};
Metric AUC(const AUCOptions& options = {});

/// Mean of "is the true class among the k highest scores" (ties count, as Keras's in_top_k).
Metric TopKCategoricalAccuracy(int k = 5, const std::string& name = "top_k_categorical_accuracy");
Metric SparseTopKCategoricalAccuracy(int k = 5, const std::string& name = "sparse_top_k_categorical_accuracy");

/// Keras's MeanIoU: a num_classes x num_classes confusion matrix over the epoch (counted in float,
/// as Keras with dtype="float32").
struct MeanIoUOptions {
  XKERAS_OPTION(std::string, name)  // "" = "mean_io_u"
  XKERAS_OPTION(std::optional<int>, ignore_class)
  XKERAS_OPTION(bool, sparse_y_true, true)
  XKERAS_OPTION(bool, sparse_y_pred, true)
};
Metric MeanIoU(int num_classes, const MeanIoUOptions& options = {});

/// Keras's F1Score: average std::nullopt (per class; results() holds every class), "micro",
/// "macro" or "weighted"; threshold std::nullopt = the row's maximum counts as positive.
struct F1ScoreOptions {
  XKERAS_OPTION(std::optional<std::string>, average)
  XKERAS_OPTION(std::optional<float>, threshold)
  XKERAS_OPTION(std::string, name, "f1_score")
};
Metric F1Score(const F1ScoreOptions& options = {});

}  // namespace metrics

}  // namespace xkeras
