// Keras's mean metrics: each batch contributes per-sample values to a running mean sum(v) / count
// (MeanMetricWrapper without sample weights), reset at every epoch by the training loop.
#include <cctype>
#include <cmath>
#include <functional>

#include "xkeras/errors.hpp"
#include "xkeras/metrics.hpp"

namespace xkeras {
namespace metrics {

namespace {

enum class Kind { Accuracy, Binary, Categorical, Sparse, MAE, MSE };

Kind kind_of(const std::string& name) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "accuracy" || lower == "acc") return Kind::Accuracy;  // case-insensitive, as in Keras
  if (name == "binary_accuracy") return Kind::Binary;
  if (name == "categorical_accuracy") return Kind::Categorical;
  if (name == "sparse_categorical_accuracy") return Kind::Sparse;
  if (name == "mae" || name == "mean_absolute_error") return Kind::MAE;
  if (name == "mse" || name == "mean_squared_error") return Kind::MSE;
  throw ValueError("Could not interpret metric identifier: \"" + name +
                   "\". Known metrics: \"accuracy\" (\"acc\"), \"binary_accuracy\", \"categorical_accuracy\", "
                   "\"sparse_categorical_accuracy\", \"mae\" (\"mean_absolute_error\"), \"mse\" (\"mean_squared_error\")");
}

[[noreturn]] void mismatch(const std::string& metric, const Tensor& t, const Tensor& p, const std::string& what) {
  throw ValueError("Metric \"" + metric + "\": " + what + ", but received y_true with shape " + shape_str(t.shape()) +
                   " and y_pred with shape " + shape_str(p.shape()));
}

// squeeze_or_expand_to_same_rank, then equal shapes: returns the common shape.
Shape same_shape(const std::string& metric, const Tensor& t, const Tensor& p) {
  Shape ts = t.shape(), ps = p.shape();
  if (ts.size() == ps.size() + 1 && !ts.empty() && ts.back() == 1) ps.push_back(1);
  else if (ps.size() == ts.size() + 1 && !ps.empty() && ps.back() == 1) ts.push_back(1);
  if (ts != ps) mismatch(metric, t, p, "y_true and y_pred must have the same shape");
  return ps;
}

std::size_t argmax(const float* row, std::size_t n) {
  std::size_t best = 0;  // the first maximal index, like numpy
  for (std::size_t j = 1; j < n; ++j)
    if (row[j] > row[best]) best = j;
  return best;
}

// Adds the batch's per-sample values; returns (sum, count).
using Fn = std::function<std::pair<double, double>(const std::string&, const Tensor&, const Tensor&)>;

std::pair<double, double> binary(const std::string& m, const Tensor& t, const Tensor& p) {
  same_shape(m, t, p);
  // y_pred > 0.5 (strict), compared with y_true; every element counts.
  double s = 0;
  const float* pt = t.data();
  const float* pp = p.data();
  for (std::size_t i = 0, n = p.size(); i < n; ++i) s += (pp[i] > 0.5f ? 1.0f : 0.0f) == pt[i] ? 1.0 : 0.0;
  return {s, double(p.size())};
}

std::pair<double, double> categorical(const std::string& m, const Tensor& t, const Tensor& p) {
  const Shape s = same_shape(m, t, p);
  if (s.empty() || s.back() == 0) mismatch(m, t, p, "expected class scores along the last axis");
  const std::size_t C = s.back(), rows = p.size() / C;
  double hits = 0;
  for (std::size_t r = 0; r < rows; ++r) hits += argmax(t.data() + r * C, C) == argmax(p.data() + r * C, C) ? 1.0 : 0.0;
  return {hits, double(rows)};
}

std::pair<double, double> sparse(const std::string& m, const Tensor& t, const Tensor& p) {
  const Shape ps = p.shape();
  if (ps.empty() || ps.back() == 0) mismatch(m, t, p, "expected class scores along the last axis of y_pred");
  Shape ts = t.shape();
  if (ts.size() == ps.size() && ts.back() == 1) ts.pop_back();
  if (ts != Shape(ps.begin(), ps.end() - 1)) mismatch(m, t, p, "y_true must hold one class index per row of y_pred");
  const std::size_t C = ps.back(), rows = p.size() / C;
  double hits = 0;
  for (std::size_t r = 0; r < rows; ++r)
    hits += static_cast<float>(argmax(p.data() + r * C, C)) == t.data()[r] ? 1.0 : 0.0;
  return {hits, double(rows)};
}

// mean over the last axis per sample, then the running mean over samples.
template <bool Squared>
std::pair<double, double> error(const std::string& m, const Tensor& t, const Tensor& p) {
  const Shape s = same_shape(m, t, p);
  const std::size_t C = s.empty() ? 1 : s.back();
  if (C == 0) return {0.0, 0.0};
  const std::size_t rows = p.size() / C;
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    double row = 0;
    for (std::size_t j = 0; j < C; ++j) {
      const double d = double(t.data()[r * C + j]) - double(p.data()[r * C + j]);
      row += Squared ? d * d : std::fabs(d);
    }
    total += row / double(C);
  }
  return {total, double(rows)};
}

class MeanMetric : public MetricImpl {
 public:
  MeanMetric(std::string name, std::string class_name, Fn fn)
      : name_(std::move(name)), class_name_(std::move(class_name)), fn_(std::move(fn)) {}
  void update_state(const Tensor& y_true, const Tensor& y_pred) override {
    if (!y_true.defined() || !y_pred.defined()) throw ValueError("Metric \"" + name_ + "\": undefined tensor");
    const auto [s, n] = fn_(name_, y_true, y_pred);
    total_ += s;
    count_ += n;
  }
  double result() const override { return count_ > 0 ? total_ / count_ : 0.0; }
  void reset_state() override { total_ = count_ = 0; }
  std::string name() const override { return name_; }
  std::string class_name() const override { return class_name_; }

 private:
  std::string name_, class_name_;
  Fn fn_;
  double total_ = 0, count_ = 0;
};

}  // namespace

std::pair<bool, bool> is_binary_or_sparse_categorical(const Shape& y_true, const Shape& y_pred) {
  const std::size_t t_last = y_true.empty() ? 1 : y_true.back();
  const std::size_t p_last = y_pred.empty() ? 1 : y_pred.back();
  const bool is_binary = p_last == 1;
  const bool is_sparse = y_true.size() < y_pred.size() || (t_last == 1 && p_last > 1);
  return {is_binary, is_sparse};
}

}  // namespace metrics

Metric::Metric(const char* name) : Metric(std::string(name ? name : "")) {}
Metric::Metric(const std::string& name) : name_(name) { metrics::kind_of(name); }

std::shared_ptr<metrics::MetricImpl> Metric::make(const Shape& y_true_shape, const Shape& y_pred_shape) const {
  using namespace metrics;
  Kind k = kind_of(name_);
  if (k == Kind::Accuracy) {
    const auto [is_binary, is_sparse] = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape);
    k = is_binary ? Kind::Binary : (is_sparse ? Kind::Sparse : Kind::Categorical);
  }
  switch (k) {
    case Kind::Binary: return std::make_shared<MeanMetric>(name_, "BinaryAccuracy", binary);
    case Kind::Categorical: return std::make_shared<MeanMetric>(name_, "CategoricalAccuracy", categorical);
    case Kind::Sparse: return std::make_shared<MeanMetric>(name_, "SparseCategoricalAccuracy", sparse);
    case Kind::MAE: return std::make_shared<MeanMetric>(name_, "MeanAbsoluteError", error<false>);
    case Kind::MSE: return std::make_shared<MeanMetric>(name_, "MeanSquaredError", error<true>);
    case Kind::Accuracy: break;
  }
  throw ValueError("Metric \"" + name_ + "\": could not be resolved");
}

}  // namespace xkeras
