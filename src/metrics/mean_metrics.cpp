// Keras's mean metrics (MeanMetricWrapper): each batch gives per-element values; a sample's value is
// the mean of its elements, and the metric is the (sample-weighted) running mean over samples,
// sum(v * w) / sum(w), reset every epoch. Accuracy family, mae/mse, top-k and user functions.
#include <cctype>
#include <cmath>

#include "src/metrics/metric_utils.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {
namespace metrics {
namespace detail {

namespace {

// Per-element values (row-major over y_pred's leading axes) of one batch.
using Fn = std::function<std::vector<float>(const std::string&, const Tensor&, const Tensor&)>;

std::vector<float> binary(const std::string& m, const Tensor& t, const Tensor& p, float threshold) {
  same_shape(m, t, p);
  std::vector<float> v(p.size());
  const float* pt = t.data();
  const float* pp = p.data();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = (pp[i] > threshold ? 1.0f : 0.0f) == pt[i] ? 1.0f : 0.0f;
  return v;
}

std::vector<float> categorical(const std::string& m, const Tensor& t, const Tensor& p) {
  const Shape s = same_shape(m, t, p);
  if (s.empty() || s.back() == 0) shape_error(m, t, p, "expected class scores along the last axis");
  const std::size_t C = s.back(), rows = p.size() / C;
  std::vector<float> v(rows);
  for (std::size_t r = 0; r < rows; ++r) v[r] = argmax(t.data() + r * C, C) == argmax(p.data() + r * C, C) ? 1.0f : 0.0f;
  return v;
}

// y_true holds one class index per row of y_pred: checks and returns the row count and class count.
std::pair<std::size_t, std::size_t> sparse_rows(const std::string& m, const Tensor& t, const Tensor& p) {
  const Shape ps = p.shape();
  if (ps.empty() || ps.back() == 0) shape_error(m, t, p, "expected class scores along the last axis of y_pred");
  Shape ts = t.shape();
  if (ts.size() == ps.size() && ts.back() == 1) ts.pop_back();
  if (ts != Shape(ps.begin(), ps.end() - 1)) shape_error(m, t, p, "y_true must hold one class index per row of y_pred");
  return {p.size() / ps.back(), ps.back()};
}

std::vector<float> sparse(const std::string& m, const Tensor& t, const Tensor& p) {
  const auto [rows, C] = sparse_rows(m, t, p);
  std::vector<float> v(rows);
  for (std::size_t r = 0; r < rows; ++r) v[r] = static_cast<float>(argmax(p.data() + r * C, C)) == t.data()[r] ? 1.0f : 0.0f;
  return v;
}

// Keras's in_top_k: the target is a hit when fewer than k scores are strictly greater (ties count).
float in_top_k(const float* row, std::size_t C, std::size_t target, int k) {
  if (target >= C) return 0.0f;
  int greater = 0;
  for (std::size_t j = 0; j < C; ++j) greater += row[j] > row[target] ? 1 : 0;
  return greater < k ? 1.0f : 0.0f;
}

std::vector<float> top_k(const std::string& m, const Tensor& t, const Tensor& p, int k) {
  const Shape s = same_shape(m, t, p);
  if (s.empty() || s.back() == 0) shape_error(m, t, p, "expected class scores along the last axis");
  const std::size_t C = s.back(), rows = p.size() / C;
  std::vector<float> v(rows);
  for (std::size_t r = 0; r < rows; ++r) v[r] = in_top_k(p.data() + r * C, C, argmax(t.data() + r * C, C), k);
  return v;
}

std::vector<float> sparse_top_k(const std::string& m, const Tensor& t, const Tensor& p, int k) {
  const auto [rows, C] = sparse_rows(m, t, p);
  std::vector<float> v(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float label = t.data()[r];
    v[r] = label >= 0 ? in_top_k(p.data() + r * C, C, static_cast<std::size_t>(label), k) : 0.0f;
  }
  return v;
}

// Per-sample mean of |d| or d^2 over the last axis (Keras's mean_absolute_error / mean_squared_error).
template <bool Squared>
std::vector<float> error(const std::string& m, const Tensor& t, const Tensor& p) {
  same_shape(m, t, p);
  std::vector<float> v(p.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const float d = t.data()[i] - p.data()[i];
    v[i] = Squared ? d * d : std::fabs(d);
  }
  return v;
}

class MeanMetric : public MetricImpl {
 public:
  MeanMetric(std::string name, std::string class_name, Fn fn, json extra = json::object())
      : name_(std::move(name)), class_name_(std::move(class_name)), fn_(std::move(fn)), extra_(std::move(extra)) {}
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override {
    if (!y_true.defined() || !y_pred.defined()) throw ValueError("Metric \"" + name_ + "\": undefined tensor");
    const Tensor t = as_float(y_true), p = as_float(y_pred);
    const std::vector<float> v = fn_(name_, t, p);
    // Samples are the first axis of y_pred; each holds v.size() / n elements.
    const std::size_t n = p.shape().empty() ? 1 : p.shape()[0];
    if (n == 0) return;
    if (v.size() % n != 0)
      throw ValueError("Metric \"" + name_ + "\": the values do not split into " + std::to_string(n) + " samples");
    const std::size_t per = v.size() / n;
    const std::vector<float> w = sample_weights(name_, sample_weight, n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::size_t j = 0; j < per; ++j) s += v[i * per + j];
      const double mean = per ? s / double(per) : 0.0;
      const double wi = w.empty() ? 1.0 : w[i];
      total_ += mean * wi;
      count_ += wi;
    }
  }
  double result() const override { return count_ != 0 ? total_ / count_ : 0.0; }
  void reset_state() override { total_ = count_ = 0; }
  std::string name() const override { return name_; }
  std::string class_name() const override { return class_name_; }
  json get_config() const override {
    json c{{"name", name_}, {"dtype", "float32"}};
    for (auto& [k, v] : extra_.items()) c[k] = v;
    return c;
  }
  std::shared_ptr<MetricImpl> clone() const override {
    return std::make_shared<MeanMetric>(name_, class_name_, fn_, extra_);
  }
  std::vector<StateSpan> summable_state() override { return {{&total_, 1}, {&count_, 1}}; }

 private:
  std::string name_, class_name_;
  Fn fn_;
  json extra_;
  double total_ = 0, count_ = 0;
};

enum class Kind { Accuracy, Binary, Categorical, Sparse, MAE, MSE, TopK, SparseTopK, Unknown };

Kind kind_of(const std::string& name) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "accuracy" || lower == "acc") return Kind::Accuracy;  // case-insensitive, as in Keras
  if (name == "binary_accuracy" || name == "BinaryAccuracy") return Kind::Binary;
  if (name == "categorical_accuracy" || name == "CategoricalAccuracy") return Kind::Categorical;
  if (name == "sparse_categorical_accuracy" || name == "SparseCategoricalAccuracy") return Kind::Sparse;
  if (name == "mae" || name == "mean_absolute_error" || name == "MeanAbsoluteError") return Kind::MAE;
  if (name == "mse" || name == "mean_squared_error" || name == "MeanSquaredError") return Kind::MSE;
  if (name == "top_k_categorical_accuracy" || name == "TopKCategoricalAccuracy") return Kind::TopK;
  if (name == "sparse_top_k_categorical_accuracy" || name == "SparseTopKCategoricalAccuracy") return Kind::SparseTopK;
  return Kind::Unknown;
}

}  // namespace

bool is_mean_metric_name(const std::string& name) { return kind_of(name) != Kind::Unknown; }

std::shared_ptr<MetricImpl> make_mean_metric(const std::string& name, const std::string& resolved, const Shape& y_true,
                                             const Shape& y_pred) {
  Kind k = kind_of(resolved);
  if (k == Kind::Accuracy) {
    const auto [is_binary, is_sparse] = is_binary_or_sparse_categorical(y_true, y_pred);
    k = is_binary ? Kind::Binary : (is_sparse ? Kind::Sparse : Kind::Categorical);
  }
  using namespace std::placeholders;
  switch (k) {
    case Kind::Binary:  // Keras's BinaryAccuracy: y_pred > 0.5 (strict) against y_true
      return std::make_shared<MeanMetric>(name, "BinaryAccuracy", std::bind(binary, _1, _2, _3, 0.5f),
                                          json{{"threshold", 0.5}});
    case Kind::Categorical: return std::make_shared<MeanMetric>(name, "CategoricalAccuracy", categorical);
    case Kind::Sparse: return std::make_shared<MeanMetric>(name, "SparseCategoricalAccuracy", sparse);
    case Kind::MAE: return std::make_shared<MeanMetric>(name, "MeanAbsoluteError", error<false>);
    case Kind::MSE: return std::make_shared<MeanMetric>(name, "MeanSquaredError", error<true>);
    case Kind::TopK:
      return std::make_shared<MeanMetric>(name, "TopKCategoricalAccuracy", std::bind(top_k, _1, _2, _3, 5), json{{"k", 5}});
    case Kind::SparseTopK:
      return std::make_shared<MeanMetric>(name, "SparseTopKCategoricalAccuracy", std::bind(sparse_top_k, _1, _2, _3, 5),
                                          json{{"k", 5}});
    default: break;
  }
  throw ValueError("Metric \"" + name + "\": could not be resolved");
}

std::shared_ptr<MetricImpl> make_top_k(const std::string& name, int k, bool sparse_labels) {
  if (k <= 0) throw ValueError("Metric \"" + name + "\": k must be a positive integer, received " + std::to_string(k));
  using namespace std::placeholders;
  if (sparse_labels)
    return std::make_shared<MeanMetric>(name, "SparseTopKCategoricalAccuracy", std::bind(sparse_top_k, _1, _2, _3, k),
                                        json{{"k", k}, {"from_sorted_ids", false}});
  return std::make_shared<MeanMetric>(name, "TopKCategoricalAccuracy", std::bind(top_k, _1, _2, _3, k), json{{"k", k}});
}

std::shared_ptr<MetricImpl> make_fn_metric(const std::string& name, const MetricFn& fn) {
  // Keras's MeanMetricWrapper around a user function: its per-sample values, averaged.
  Fn wrapped = [fn](const std::string& m, const Tensor& t, const Tensor& p) {
    const Tensor v = as_float(fn(t, p));
    if (!v.defined()) throw ValueError("Metric \"" + m + "\": the metric function returned an undefined tensor");
    const std::size_t n = p.shape().empty() ? 1 : p.shape()[0];
    if (v.shape().empty() ? n != 1 : v.shape()[0] != n)
      throw ValueError("Metric \"" + m + "\": the metric function must return one value per sample (first axis " +
                       std::to_string(n) + "), but returned shape " + shape_str(v.shape()));
    return std::vector<float>(v.data(), v.data() + v.size());
  };
  return std::make_shared<MeanMetric>(name, "MeanMetricWrapper", wrapped);
}

}  // namespace detail

std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true, const Shape& y_pred) {
  const std::size_t t_last = y_true.empty() ? 1 : y_true.back();
  const std::size_t p_last = y_pred.empty() ? 1 : y_pred.back();
  const bool is_binary = p_last == 1;
  const bool is_sparse = y_true.size() < y_pred.size() || (t_last == 1 && p_last > 1);
  return {is_binary, is_sparse};
}

Metric TopKCategoricalAccuracy(int k, const std::string& name) { return Metric(detail::make_top_k(name, k, false)); }
Metric SparseTopKCategoricalAccuracy(int k, const std::string& name) { return Metric(detail::make_top_k(name, k, true)); }

}  // namespace metrics
}  // namespace xkeras
