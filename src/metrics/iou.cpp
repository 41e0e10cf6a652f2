// Keras's MeanIoU: a num_classes x num_classes confusion matrix (rows true class, columns predicted)
// accumulated over the epoch; result = mean over classes present of tp / (tp + fp + fn).
// Formulas from keras/src/metrics/iou_metrics.py.
#include <cmath>

#include "src/metrics/metric_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::metrics {
namespace detail {

namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

// Class ids along `axis` -1: the argmax of each row, or the values themselves (truncated to
// integers, as Keras's cast to its int dtype).
std::vector<long> class_ids(const Tensor& t, bool sparse) {
  std::vector<long> out;
  if (sparse) {
    for (std::size_t i = 0; i < t.size(); ++i) out.push_back(static_cast<long>(t.data()[i]));
    return out;
  }
  const std::size_t C = t.shape().empty() ? 1 : t.shape().back();
  for (std::size_t r = 0; C && r < t.size() / C; ++r) out.push_back(static_cast<long>(argmax(t.data() + r * C, C)));
  return out;
}

class MeanIoUMetric : public MetricImpl {
 public:
  MeanIoUMetric(int num_classes, MeanIoUOptions o)
      : n_(num_classes), o_(std::move(o)), name_(o_.name.empty() ? "mean_io_u" : o_.name) {
    if (num_classes <= 0 || num_classes > 65536)
      throw ValueError("Metric \"" + name_ + "\": num_classes must be in [1, 65536], received " + std::to_string(num_classes));
    cm_.assign(std::size_t(n_) * std::size_t(n_), 0.0);
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override {
    if (!y_true.defined() || !y_pred.defined()) throw ValueError("Metric \"" + name_ + "\": undefined tensor");
    const std::vector<long> t = class_ids(as_float(y_true), o_.sparse_y_true);
    const std::vector<long> p = class_ids(as_float(y_pred), o_.sparse_y_pred);
    if (t.size() != p.size())
      shape_error(name_, y_true, y_pred, "y_true and y_pred must hold the same number of class ids");
    std::vector<float> w;
    if (sample_weight.defined()) {
      // Flattened and broadcast to the class ids (Keras reshapes it to [-1]).
      const Tensor sw = as_float(sample_weight);
      if (sw.size() == 1) w.assign(t.size(), sw.data()[0]);
      else if (sw.size() == t.size()) w.assign(sw.data(), sw.data() + sw.size());
      else
        throw ValueError("Metric \"" + name_ + "\": sample_weight with shape " + shape_str(sample_weight.shape()) +
                         " does not match the " + std::to_string(t.size()) + " class ids");
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
      // Ids outside [0, num_classes) and the ignored class do not count.
      if (t[i] < 0 || t[i] >= n_ || p[i] < 0 || p[i] >= n_) continue;
      if (o_.ignore_class && t[i] == *o_.ignore_class) continue;
      cm_[std::size_t(t[i]) * n_ + std::size_t(p[i])] += w.empty() ? 1.0 : w[i];
    }
  }
  double result() const override {
    double sum = 0, valid = 0;
    for (int c = 0; c < n_; ++c) {
      double row = 0, col = 0;
      for (int k = 0; k < n_; ++k) {
        row += cm_[std::size_t(c) * n_ + k];
        col += cm_[std::size_t(k) * n_ + c];
      }
      const double tp = cm_[std::size_t(c) * n_ + c];
      const double denominator = row + col - tp;
      if (denominator > 1e-9) {  // a class that never occurs is left out
        valid += 1;
        sum += tp / (denominator + kEpsilon);
      }
    }
    return sum / (valid + kEpsilon);
  }
  void reset_state() override { std::fill(cm_.begin(), cm_.end(), 0.0); }
  std::string name() const override { return name_; }
  std::string class_name() const override { return "MeanIoU"; }
  json get_config() const override {
    return json{{"num_classes", n_},
                {"name", name_},
                {"dtype", "float32"},
                {"ignore_class", o_.ignore_class ? json(*o_.ignore_class) : json(nullptr)},
                {"sparse_y_true", o_.sparse_y_true},
                {"sparse_y_pred", o_.sparse_y_pred},
                {"axis", -1}};
  }
  std::shared_ptr<MetricImpl> clone() const override { return std::make_shared<MeanIoUMetric>(n_, o_); }
  std::vector<StateSpan> summable_state() override { return {{cm_.data(), cm_.size()}}; }

 private:
  int n_;
  MeanIoUOptions o_;
  std::string name_;
  std::vector<double> cm_;  // row-major (true, predicted)
};

}  // namespace

std::shared_ptr<MetricImpl> iou_from_config(const std::string& cls, const json& c, const std::string& path) {
  if (cls != "MeanIoU") return nullptr;
  if (!c.contains("num_classes") || !c["num_classes"].is_number_integer())
    throw ConfigError(path + ".num_classes", "expected an integer");
  if (c.contains("axis") && c["axis"] != -1) throw ConfigError(path + ".axis", "only axis -1 is supported, got " + shown(c["axis"]));
  MeanIoUOptions o;
  if (c.contains("name") && c["name"].is_string()) o.name = c["name"].get<std::string>();
  if (c.contains("ignore_class") && !c["ignore_class"].is_null()) o.ignore_class = c["ignore_class"].get<int>();
  o.sparse_y_true = c.value("sparse_y_true", true);
  o.sparse_y_pred = c.value("sparse_y_pred", true);
  return std::make_shared<MeanIoUMetric>(c["num_classes"].get<int>(), o);
}

}  // namespace detail

Metric MeanIoU(int num_classes, const MeanIoUOptions& options) {
  return Metric(std::make_shared<detail::MeanIoUMetric>(num_classes, options));
}

}  // namespace xkeras::metrics
