// True/false positive/negative counts per threshold, accumulated over batches as Keras's
// update_confusion_matrix_variables: an element is predicted positive when y_pred > threshold
// (strictly), a label is positive when y_true != 0, and each count adds the element's weight.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras::metrics::detail {

class ConfusionCounts {
 public:
  explicit ConfusionCounts(std::vector<float> thresholds);
  /// Keras's arguments: top_k keeps the k largest scores of each row (the rest become -1e10);
  /// class_id keeps one column; clip limits y_pred to [0, 1] (Keras's path for evenly spaced
  /// thresholds). sample_weight broadcasts to y_pred's shape.
  void update(const std::string& metric, const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight,
              std::optional<int> top_k, std::optional<int> class_id, bool clip);
  void reset();
  /// tp, fp, tn, fn: sums over the ranks of data-parallel training.
  std::vector<std::pair<double*, std::size_t>> summable_state() {
    return {{tp.data(), tp.size()}, {fp.data(), fp.size()}, {tn.data(), tn.size()}, {fn.data(), fn.size()}};
  }
  const std::vector<float>& thresholds() const { return thresholds_; }
  // Per threshold, in the order given.
  std::vector<double> tp, fp, tn, fn;

 private:
  std::vector<float> thresholds_;
  std::vector<float> sorted_;             // ascending
  std::vector<std::size_t> sorted_to_given_;
};

/// Keras's is_evenly_distributed_thresholds: at least 3 values, allclose to i / (n - 1) (atol 1e-7,
/// numpy's rtol 1e-5). Keras then takes a bucketing path that clips y_pred to [0, 1].
bool evenly_spaced(const std::vector<double>& thresholds);

/// divide_no_nan: 0 where the denominator is 0.
inline double ratio(double a, double b) { return b == 0 ? 0.0 : a / b; }

}  // namespace xkeras::metrics::detail
