// Keras's F1Score (FBetaScore with beta 1): per-class (or, with average "micro", pooled) weighted
// tp/fp/fn over the epoch. Formulas from keras/src/metrics/f_score_metrics.py.
#include <cmath>

#include "src/metrics/metric_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::metrics {
namespace detail {

namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

class F1ScoreMetric : public MetricImpl {
 public:
  explicit F1ScoreMetric(F1ScoreOptions o) : o_(std::move(o)) {
    if (o_.average && *o_.average != "micro" && *o_.average != "macro" && *o_.average != "weighted")
      throw ValueError("Metric \"" + o_.name + "\": invalid average \"" + *o_.average +
                       "\"; expected none, \"micro\", \"macro\" or \"weighted\"");
    if (o_.threshold && !(*o_.threshold > 0.0f && *o_.threshold <= 1.0f))
      throw ValueError("Metric \"" + o_.name + "\": threshold must verify 0 < threshold <= 1, received " +
                       std::to_string(*o_.threshold));
  }
  void update_state(const Tensor& y_true_in, const Tensor& y_pred_in, const Tensor& sample_weight) override {
    const Tensor t = as_float(y_true_in), p = as_float(y_pred_in);
    if (!t.defined() || !p.defined() || t.shape().size() != 2 || p.shape().size() != 2 || t.shape() != p.shape())
      shape_error(o_.name, y_true_in, y_pred_in, "F1Score expects 2D inputs of the same shape (batch_size, output_dim)");
    const std::size_t N = p.shape()[0], C = p.shape()[1];
    const bool micro = o_.average && *o_.average == "micro";
    const std::size_t slots = micro ? 1 : C;
    if (tp_.empty()) {
      for (auto* v : {&tp_, &fp_, &fn_, &support_}) v->assign(slots, 0.0);
    } else if (tp_.size() != slots) {
      shape_error(o_.name, y_true_in, y_pred_in, "the number of classes changed from " + std::to_string(tp_.size()));
    }
    const std::vector<float> w = element_weights(o_.name, sample_weight, p.shape());  // (N,), (N, 1), (N, C) or a scalar
    for (std::size_t r = 0; r < N; ++r) {
      const float* pr = p.data() + r * C;
      const float* tr = t.data() + r * C;
      float mx = pr[0];
      for (std::size_t j = 1; j < C; ++j) mx = std::max(mx, pr[j]);
      for (std::size_t j = 0; j < C; ++j) {
        // Without a threshold the row's maximum is the positive prediction (ties all count).
        const double yp = o_.threshold ? (pr[j] > *o_.threshold ? 1.0 : 0.0) : (pr[j] >= mx && std::fabs(pr[j]) > 1e-9 ? 1.0 : 0.0);
        const double yt = tr[j];
        const double wr = w.empty() ? 1.0 : w[r * C + j];
        const std::size_t s = micro ? 0 : j;
        tp_[s] += yp * yt * wr;
        fp_[s] += yp * (1 - yt) * wr;
        fn_[s] += (1 - yp) * yt * wr;
        support_[s] += yt * wr;
      }
    }
  }
  std::vector<double> results() const override {
    std::vector<double> f(tp_.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      const double precision = tp_[i] / (tp_[i] + fp_[i] + kEpsilon);
      const double recall = tp_[i] / (tp_[i] + fn_[i] + kEpsilon);
      f[i] = 2 * precision * recall / (precision + recall + kEpsilon);  // (1 + beta^2) PR / (beta^2 P + R)
    }
    if (!o_.average) return f;
    double out = 0;
    if (*o_.average == "weighted") {
      double total = 0;
      for (double s : support_) total += s;
      for (std::size_t i = 0; i < f.size(); ++i) out += f[i] * support_[i] / (total + kEpsilon);
    } else {
      for (double v : f) out += v;
      out = f.empty() ? 0.0 : out / double(f.size());
    }
    return {out};
  }
  double result() const override {
    const auto r = results();
    return r.empty() ? 0.0 : r[0];
  }
  void reset_state() override {
    for (auto* v : {&tp_, &fp_, &fn_, &support_}) std::fill(v->begin(), v->end(), 0.0);
  }
  std::string name() const override { return o_.name; }
  std::string class_name() const override { return "F1Score"; }
  json get_config() const override {
    return json{{"name", o_.name},
                {"dtype", "float32"},
                {"average", o_.average ? json(*o_.average) : json(nullptr)},
                {"threshold", o_.threshold ? json(*o_.threshold) : json(nullptr)}};
  }
  std::shared_ptr<MetricImpl> clone() const override { return std::make_shared<F1ScoreMetric>(o_); }
  std::vector<StateSpan> summable_state() override {
    return {{tp_.data(), tp_.size()}, {fp_.data(), fp_.size()}, {fn_.data(), fn_.size()}, {support_.data(), support_.size()}};
  }

 private:
  F1ScoreOptions o_;
  std::vector<double> tp_, fp_, fn_, support_;
};

}  // namespace

std::shared_ptr<MetricImpl> f_score_from_config(const std::string& cls, const json& c, const std::string& path) {
  if (cls != "F1Score") return nullptr;
  F1ScoreOptions o;
  if (c.contains("name") && c["name"].is_string()) o.name = c["name"].get<std::string>();
  if (c.contains("average") && !c["average"].is_null()) o.average = c["average"].get<std::string>();
  if (c.contains("threshold") && !c["threshold"].is_null()) o.threshold = c["threshold"].get<float>();
  return std::make_shared<F1ScoreMetric>(o);
}

}  // namespace detail

Metric F1Score(const F1ScoreOptions& options) { return Metric(std::make_shared<detail::F1ScoreMetric>(options)); }

}  // namespace xkeras::metrics
