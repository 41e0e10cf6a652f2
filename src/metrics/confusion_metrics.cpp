// Keras's Precision, Recall and AUC: confusion counts per threshold over the epoch (confusion_counts.hpp),
// read out at result(). Formulas from keras/src/metrics/confusion_metrics.py.
#include <algorithm>
#include <cmath>

#include "src/metrics/confusion_counts.hpp"
#include "src/metrics/metric_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::metrics {
namespace detail {

namespace {

constexpr float kEpsilon = 1e-7f;  // Keras's backend.epsilon()

void check_thresholds(const std::string& metric, const std::vector<float>& ts) {
  for (float t : ts)
    if (!(t >= 0.0f && t <= 1.0f))
      throw ValueError("Metric \"" + metric + "\": thresholds must be in [0, 1], received " + std::to_string(t));
}

json thresholds_json(const std::vector<float>& ts) {
  if (ts.empty()) return nullptr;
  if (ts.size() == 1) return ts[0];
  return json(ts);
}

json optional_json(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

// Precision (tp / (tp + fp)) or Recall (tp / (tp + fn)) per threshold.
class PrecisionRecall : public MetricImpl {
 public:
  PrecisionRecall(bool recall, PrecisionOptions o)
      : recall_(recall), o_(std::move(o)), name_(o_.name.empty() ? (recall ? "recall" : "precision") : o_.name),
        counts_(o_.thresholds.empty() ? std::vector<float>{o_.top_k ? -1e10f : 0.5f} : o_.thresholds) {
    check_thresholds(name_, o_.thresholds);
    evenly_ = evenly_spaced(std::vector<double>(o_.thresholds.begin(), o_.thresholds.end()));
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override {
    counts_.update(name_, y_true, y_pred, sample_weight, o_.top_k, o_.class_id, evenly_);
  }
  std::vector<double> results() const override {
    std::vector<double> r;
    for (std::size_t i = 0; i < counts_.tp.size(); ++i)
      r.push_back(ratio(counts_.tp[i], counts_.tp[i] + (recall_ ? counts_.fn[i] : counts_.fp[i])));
    return r;
  }
  double result() const override { return results().at(0); }
  void reset_state() override { counts_.reset(); }
  std::string name() const override { return name_; }
  std::string class_name() const override { return recall_ ? "Recall" : "Precision"; }
  json get_config() const override {
    return json{{"name", name_}, {"dtype", "float32"}, {"thresholds", thresholds_json(o_.thresholds)},
                {"top_k", optional_json(o_.top_k)}, {"class_id", optional_json(o_.class_id)}};
  }
  std::shared_ptr<MetricImpl> clone() const override { return std::make_shared<PrecisionRecall>(recall_, o_); }
  std::vector<StateSpan> summable_state() override { return counts_.summable_state(); }

 private:
  bool recall_;
  bool evenly_ = false;
  PrecisionOptions o_;
  std::string name_;
  ConfusionCounts counts_;
};

// Keras's thresholds for AUC: -eps, the given or evenly spaced inner thresholds, 1 + eps.
std::vector<float> auc_thresholds(const std::string& metric, const AUCOptions& o, bool& evenly) {
  std::vector<double> inner;
  if (!o.thresholds.empty()) {
    check_thresholds(metric, o.thresholds);
    inner.assign(o.thresholds.begin(), o.thresholds.end());
    std::sort(inner.begin(), inner.end());
    std::vector<double> with_ends{0.0};  // Keras checks [0] + thresholds + [1]
    with_ends.insert(with_ends.end(), inner.begin(), inner.end());
    with_ends.push_back(1.0);
    evenly = evenly_spaced(with_ends);
  } else {
    if (o.num_thresholds <= 1)
      throw ValueError("Metric \"" + metric + "\": num_thresholds must be an integer > 1, received " +
                       std::to_string(o.num_thresholds));
    for (int i = 0; i < o.num_thresholds - 2; ++i) inner.push_back((i + 1) * 1.0 / (o.num_thresholds - 1));
    evenly = true;
  }
  std::vector<float> out{0.0f - kEpsilon};
  for (double v : inner) out.push_back(static_cast<float>(v));
  out.push_back(1.0f + kEpsilon);
  return out;
}

class AUCMetric : public MetricImpl {
 public:
  explicit AUCMetric(AUCOptions o) : o_(std::move(o)), name_(o_.name.empty() ? "auc" : o_.name), counts_({}) {
    if (o_.curve == "roc") o_.curve = "ROC";
    if (o_.curve == "pr") o_.curve = "PR";
    if (o_.curve != "ROC" && o_.curve != "PR")
      throw ValueError("Metric \"" + name_ + "\": invalid AUC curve value \"" + o_.curve + "\"; expected \"ROC\" or \"PR\"");
    std::string& s = o_.summation_method;
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    if (s != "interpolation" && s != "minoring" && s != "majoring")
      throw ValueError("Metric \"" + name_ + "\": invalid AUC summation method value \"" + o_.summation_method +
                       "\"; expected \"interpolation\", \"majoring\" or \"minoring\"");
    counts_ = ConfusionCounts(auc_thresholds(name_, o_, evenly_));
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override {
    Tensor p = as_float(y_pred);
    if (o_.from_logits) {
      std::vector<float> s(p.data(), p.data() + p.size());
      for (auto& v : s) v = 1.0f / (1.0f + std::exp(-v));
      p = Tensor::from(p.shape(), s);
    }
    counts_.update(name_, y_true, p, sample_weight, std::nullopt, std::nullopt, evenly_);
  }
  double result() const override {
    const auto& tp = counts_.tp;
    const auto& fp = counts_.fp;
    const auto& tn = counts_.tn;
    const auto& fn = counts_.fn;
    const std::size_t n = tp.size();
    double auc = 0;
    if (o_.curve == "PR" && o_.summation_method == "interpolation") {
      // Davis & Goadrich's interpolation: TP and P = TP + FP vary linearly between thresholds.
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double dtp = tp[i] - tp[i + 1];
        const double pa = tp[i] + fp[i], pb = tp[i + 1] + fp[i + 1];
        const double dp = pa - pb;
        const double slope = ratio(dtp, std::max(dp, 0.0));
        const double intercept = tp[i + 1] - slope * pb;
        const double p_ratio = pa > 0 && pb > 0 ? ratio(pa, std::max(pb, 0.0)) : 1.0;
        auc += ratio(slope * (dtp + intercept * std::log(p_ratio)), std::max(tp[i + 1] + fn[i + 1], 0.0));
      }
      return auc;
    }
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double recall = ratio(tp[i], tp[i] + fn[i]);
      if (o_.curve == "ROC") {
        x[i] = ratio(fp[i], fp[i] + tn[i]);
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = ratio(tp[i], tp[i] + fp[i]);
      }
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double h = o_.summation_method == "interpolation" ? (y[i] + y[i + 1]) / 2
                       : o_.summation_method == "minoring"    ? std::min(y[i], y[i + 1])
                                                              : std::max(y[i], y[i + 1]);
      auc += (x[i] - x[i + 1]) * h;
    }
    return auc;
  }
  void reset_state() override { counts_.reset(); }
  std::string name() const override { return name_; }
  std::string class_name() const override { return "AUC"; }
  json get_config() const override {
    json c{{"name", name_},
           {"dtype", "float32"},
           {"num_thresholds", o_.thresholds.empty() ? o_.num_thresholds : int(o_.thresholds.size()) + 2},
           {"curve", o_.curve},
           {"summation_method", o_.summation_method},
           {"multi_label", false},
           {"num_labels", nullptr},
           {"label_weights", nullptr},
           {"from_logits", o_.from_logits}};
    if (!o_.thresholds.empty()) c["thresholds"] = std::vector<float>(counts_.thresholds().begin() + 1, counts_.thresholds().end() - 1);
    return c;
  }
  std::shared_ptr<MetricImpl> clone() const override { return std::make_shared<AUCMetric>(o_); }
  std::vector<StateSpan> summable_state() override { return counts_.summable_state(); }

 private:
  AUCOptions o_;
  std::string name_;
  bool evenly_ = true;
  ConfusionCounts counts_;
};

// Reads a list or a single number (Keras's thresholds argument).
std::vector<float> floats(const json& j, const std::string& path) {
  if (j.is_null()) return {};
  if (j.is_number()) return {j.get<float>()};
  if (!j.is_array()) throw ConfigError(path, "expected a number or a list of numbers, got " + shown(j));
  std::vector<float> out;
  for (const auto& v : j) {
    if (!v.is_number()) throw ConfigError(path, "expected numbers, got " + shown(v));
    out.push_back(v.get<float>());
  }
  return out;
}

std::optional<int> optional_int(const json& c, const char* key, const std::string& path) {
  if (!c.contains(key) || c[key].is_null()) return std::nullopt;
  if (!c[key].is_number_integer()) throw ConfigError(path + "." + key, "expected an integer or null, got " + shown(c[key]));
  return c[key].get<int>();
}

std::string name_of(const json& c, const std::string& path) {
  if (!c.contains("name") || c["name"].is_null()) return "";
  if (!c["name"].is_string()) throw ConfigError(path + ".name", "expected a string, got " + shown(c["name"]));
  return c["name"].get<std::string>();
}

}  // namespace

std::shared_ptr<MetricImpl> confusion_from_config(const std::string& cls, const json& c, const std::string& path) {
  if (cls == "Precision" || cls == "Recall") {
    PrecisionOptions o;
    o.name = name_of(c, path);
    o.thresholds = floats(c.value("thresholds", json(nullptr)), path + ".thresholds");
    o.top_k = optional_int(c, "top_k", path);
    o.class_id = optional_int(c, "class_id", path);
    return std::make_shared<PrecisionRecall>(cls == "Recall", o);
  }
  if (cls == "AUC") {
    if (c.value("multi_label", false) == true) throw ConfigError(path + ".multi_label", "multi_label AUC is not supported");
    AUCOptions o;
    o.name = name_of(c, path);
    if (c.contains("num_thresholds")) o.num_thresholds = c["num_thresholds"].get<int>();
    if (c.contains("curve")) o.curve = c["curve"].get<std::string>();
    if (c.contains("summation_method")) o.summation_method = c["summation_method"].get<std::string>();
    if (c.contains("thresholds")) o.thresholds = floats(c["thresholds"], path + ".thresholds");
    if (c.contains("from_logits")) o.from_logits = c["from_logits"].get<bool>();
    return std::make_shared<AUCMetric>(o);
  }
  return nullptr;
}

}  // namespace detail

Metric Precision(const PrecisionOptions& options) { return Metric(std::make_shared<detail::PrecisionRecall>(false, options)); }
Metric Recall(const PrecisionOptions& options) { return Metric(std::make_shared<detail::PrecisionRecall>(true, options)); }
Metric AUC(const AUCOptions& options) { return Metric(std::make_shared<detail::AUCMetric>(options)); }

}  // namespace xkeras::metrics
