// Helpers shared by the metric families: shape reconciliation as Keras's squeeze_or_expand_to_same_rank,
// sample-weight broadcasting, and errors that name the metric and the shapes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "xkeras/metrics.hpp"

namespace xkeras::metrics::detail {

[[noreturn]] void shape_error(const std::string& metric, const Tensor& y_true, const Tensor& y_pred, const std::string& what);

/// Float32 view of a tensor (int tensors, as sparse labels, are converted; labels below 2^24 exactly).
Tensor as_float(const Tensor& t);

/// (N,) and (N, 1) are reconciled by squeezing the larger rank's last dim of 1; then the shapes must
/// be equal. Returns the common shape.
Shape same_shape(const std::string& metric, const Tensor& y_true, const Tensor& y_pred);

/// One weight per element of `target`: sample_weight padded with trailing axes of 1 (Keras expands
/// the last axis), then broadcast; a scalar weighs everything. Empty when `sample_weight` is undefined.
std::vector<float> element_weights(const std::string& metric, const Tensor& sample_weight, const Shape& target);

/// One weight per sample (first axis of `values_shape`): shape (N,), (N, 1) or a scalar.
std::vector<float> sample_weights(const std::string& metric, const Tensor& sample_weight, std::size_t n);

/// The first index of the largest value (numpy's argmax).
std::size_t argmax(const float* row, std::size_t n);

// Constructors of the families, for the Metric spec (by name) and from_json.
std::shared_ptr<MetricImpl> make_mean_metric(const std::string& name, const std::string& resolved,
                                             const Shape& y_true, const Shape& y_pred);
bool is_mean_metric_name(const std::string& name);
std::shared_ptr<MetricImpl> make_top_k(const std::string& name, int k, bool sparse_labels);
std::shared_ptr<MetricImpl> make_fn_metric(const std::string& name, const MetricFn& fn);
/// "precision", "recall", "auc", "f1_score" and their class names with default arguments (nullptr otherwise).
std::shared_ptr<MetricImpl> make_object_by_name(const std::string& name);
/// A Keras metric object from its class name and config (nullptr when the class is not one of these).
std::shared_ptr<MetricImpl> confusion_from_config(const std::string& class_name, const json& config, const std::string& path);
std::shared_ptr<MetricImpl> iou_from_config(const std::string& class_name, const json& config, const std::string& path);
std::shared_ptr<MetricImpl> f_score_from_config(const std::string& class_name, const json& config, const std::string& path);

}  // namespace xkeras::metrics::detail
