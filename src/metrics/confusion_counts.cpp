#include "src/metrics/confusion_counts.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "src/metrics/metric_utils.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::metrics::detail {

namespace {
constexpr float kNegInf = -1e10f;  // Keras's metrics_utils.NEG_INF for entries outside the top k
}

bool evenly_spaced(const std::vector<double>& ts) {
  const std::size_t n = ts.size();
  if (n < 3) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const double even = double(float(i) / float(n - 1));
    if (std::fabs(ts[i] - even) > 1e-7 + 1e-5 * std::fabs(even)) return false;
  }
  return true;
}

ConfusionCounts::ConfusionCounts(std::vector<float> thresholds) : thresholds_(std::move(thresholds)) {
  const std::size_t n = thresholds_.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return thresholds_[a] < thresholds_[b]; });
  sorted_to_given_ = order;
  for (auto i : order) sorted_.push_back(thresholds_[i]);
  reset();
}

void ConfusionCounts::reset() {
  const std::size_t n = thresholds_.size();
  tp.assign(n, 0.0);
  fp.assign(n, 0.0);
  tn.assign(n, 0.0);
  fn.assign(n, 0.0);
}

void ConfusionCounts::update(const std::string& metric, const Tensor& y_true_in, const Tensor& y_pred_in,
                             const Tensor& sample_weight, std::optional<int> top_k, std::optional<int> class_id, bool clip) {
  const Tensor y_true = as_float(y_true_in), y_pred = as_float(y_pred_in);
  const Shape shape = same_shape(metric, y_true, y_pred);
  const std::vector<float> w_all = element_weights(metric, sample_weight, shape);
  std::vector<float> pred(y_pred.data(), y_pred.data() + y_pred.size());
  const std::size_t C = shape.empty() ? 1 : shape.back();
  const std::size_t rows = C ? pred.size() / C : 0;
  if (top_k) {
    if (*top_k <= 0) throw ValueError("Metric \"" + metric + "\": top_k must be positive, received " + std::to_string(*top_k));
    // Keep the k largest of each row (the earlier index wins a tie, as top_k does), the rest become -1e10.
    std::vector<std::size_t> idx(C);
    for (std::size_t r = 0; r < rows; ++r) {
      float* row = pred.data() + r * C;
      std::iota(idx.begin(), idx.end(), 0);
      const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(*top_k), C);
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return row[a] > row[b]; });
      for (std::size_t j = k; j < C; ++j) row[idx[j]] = kNegInf;
    }
  }
  // The (label, prediction, weight) triples to count.
  std::size_t first = 0, step = 1, count = pred.size();
  if (class_id) {
    if (shape.size() < 2)
      throw ValueError("Metric \"" + metric + "\": with class_id, y_pred must have shape (num_samples, num_classes), received " +
                       shape_str(shape));
    if (*class_id < 0 || static_cast<std::size_t>(*class_id) >= C)
      throw ValueError("Metric \"" + metric + "\": class_id " + std::to_string(*class_id) + " is out of range for " +
                       std::to_string(C) + " classes");
    first = static_cast<std::size_t>(*class_id);
    step = C;
    count = rows;
  }
  // Histogram of how many thresholds each prediction exceeds; cumulative sums give the counts.
  const std::size_t T = sorted_.size();
  std::vector<double> pos(T + 1, 0.0), neg(T + 1, 0.0);
  const float* t = y_true.data();
  for (std::size_t i = 0, e = first; i < count; ++i, e += step) {
    float p = pred[e];
    if (clip) p = std::min(1.0f, std::max(0.0f, p));
    const std::size_t k = std::isnan(p) ? 0 : std::lower_bound(sorted_.begin(), sorted_.end(), p) - sorted_.begin();
    const double w = w_all.empty() ? 1.0 : w_all[e];
    (t[e] != 0.0f ? pos : neg)[k] += w;
  }
  double above_pos = 0, above_neg = 0;
  const double total_pos = std::accumulate(pos.begin(), pos.end(), 0.0);
  const double total_neg = std::accumulate(neg.begin(), neg.end(), 0.0);
  for (std::size_t j = T; j-- > 0;) {  // predictions above sorted threshold j: those in buckets > j
    above_pos += pos[j + 1];
    above_neg += neg[j + 1];
    const std::size_t g = sorted_to_given_[j];
    tp[g] += above_pos;
    fp[g] += above_neg;
    fn[g] += total_pos - above_pos;
    tn[g] += total_neg - above_neg;
  }
}

}  // namespace xkeras::metrics::detail
