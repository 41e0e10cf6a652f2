// The Metric spec: a name, a metric object or a user function; fresh state per output; compile_config JSON.
#include "src/metrics/metric_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {

namespace metrics::detail {

std::shared_ptr<MetricImpl> make_object_by_name(const std::string& name) {
  // Keras resolves class names and their snake_case forms with default arguments.
  if (name == "precision" || name == "Precision") return Precision({.name = name}).make({}, {});
  if (name == "recall" || name == "Recall") return Recall({.name = name}).make({}, {});
  if (name == "auc" || name == "AUC") return AUC({.name = name}).make({}, {});
  if (name == "f1_score" || name == "F1Score") return F1Score({.name = name}).make({}, {});
  return nullptr;
}

}  // namespace metrics::detail

namespace {

void check_name(const std::string& name) {
  if (metrics::detail::is_mean_metric_name(name) || metrics::detail::make_object_by_name(name)) return;
  throw ValueError("Could not interpret metric identifier: \"" + name +
                   "\". Known metrics: \"accuracy\" (\"acc\"), \"binary_accuracy\", \"categorical_accuracy\", "
                   "\"sparse_categorical_accuracy\", \"mae\" (\"mean_absolute_error\"), \"mse\" (\"mean_squared_error\"), "
                   "\"top_k_categorical_accuracy\", \"sparse_top_k_categorical_accuracy\", \"precision\", \"recall\", "
                   "\"auc\", \"f1_score\"; or pass a metric object (xkeras::metrics::Precision(), ...)");
}

}  // namespace

Metric::Metric(const char* name) : Metric(std::string(name ? name : "")) {}
Metric::Metric(const std::string& name) : name_(name) { check_name(name); }

Metric::Metric(std::shared_ptr<metrics::MetricImpl> object) : object_(std::move(object)) {
  if (!object_) throw ValueError("Metric: received a null metric object");
  name_ = object_->name();
}

Metric::Metric(std::string name, metrics::MetricFn fn) : name_(std::move(name)), fn_(std::move(fn)) {
  if (!fn_) throw ValueError("Metric \"" + name_ + "\": received an empty metric function");
  if (name_.empty()) throw ValueError("Metric: a metric function needs a name (it is the key in the logs)");
}

std::shared_ptr<metrics::MetricImpl> Metric::make(const Shape& y_true_shape, const Shape& y_pred_shape) const {
  if (object_) {
    auto fresh = object_->clone();
    return fresh ? fresh : object_;  // a user object without clone() is used itself
  }
  if (fn_) return metrics::detail::make_fn_metric(name_, fn_);
  if (auto m = metrics::detail::make_object_by_name(name_)) return m;
  return metrics::detail::make_mean_metric(name_, name_, y_true_shape, y_pred_shape);
}

json Metric::to_json() const {
  if (object_) {
    static const char* kBuiltIn[] = {"Precision", "Recall", "AUC", "MeanIoU", "F1Score", "TopKCategoricalAccuracy",
                                     "SparseTopKCategoricalAccuracy"};
    const std::string cls = object_->class_name();
    for (const char* b : kBuiltIn)
      if (cls == b)
        return json{{"module", "keras.metrics"}, {"class_name", cls}, {"config", object_->get_config()}, {"registered_name", nullptr}};
  }
  return name_;  // a name, or a user object or function written by its name
}

Metric Metric::from_json(const json& j, const std::string& path) {
  try {
    if (j.is_object() && j.contains("class_name") && j["class_name"].is_string() && j["class_name"] != "function") {
      const std::string cls = j["class_name"].get<std::string>();
      const json config = j.contains("config") && j["config"].is_object() ? j["config"] : json::object();
      const std::string cpath = path + ".config";
      std::shared_ptr<metrics::MetricImpl> m = metrics::detail::confusion_from_config(cls, config, cpath);
      if (!m) m = metrics::detail::iou_from_config(cls, config, cpath);
      if (!m) m = metrics::detail::f_score_from_config(cls, config, cpath);
      if (!m && (cls == "TopKCategoricalAccuracy" || cls == "SparseTopKCategoricalAccuracy")) {
        const std::string name = config.value("name", cls == "TopKCategoricalAccuracy" ? "top_k_categorical_accuracy"
                                                                                          : "sparse_top_k_categorical_accuracy");
        m = metrics::detail::make_top_k(name, config.value("k", 5), cls != "TopKCategoricalAccuracy");
      }
      if (!m) throw ConfigError(path + ".class_name", "unknown metric class \"" + cls + "\" (not a Keras metric xkeras knows)");
      return Metric(m);
    }
    // A string, or a function written by Keras as {"class_name": "function", "config": "<name>"}.
    const json* name = &j;
    if (j.is_object() && j.contains("class_name") && j["class_name"] == "function" && j.contains("config")) name = &j["config"];
    if (!name->is_string())
      throw ConfigError(path, "expected a metric name such as \"accuracy\" or a Keras metric object, got " + shown(j));
    return Metric(name->get<std::string>());
  } catch (const ValueError& e) {
    throw ConfigError(path, e.what());
  } catch (const json::exception& e) {
    throw ConfigError(path, std::string("malformed metric config: ") + e.what());
  }
}

}  // namespace xkeras
