// Keras's loss classes, names and JSON, on top of the fused per-sample kernels (loss_ops.cpp).
#include <cmath>
#include <map>
#include <set>

#include "losses/loss_ops.hpp"
#include "optimizers/config_values.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/losses.hpp"
#include "xkeras/ops.hpp"

namespace xkeras {
namespace losses {

// "sum_over_batch_size": the sum of the per-sample losses divided by their number, which is
// exactly the mean over every axis (an empty batch gives 0, like Keras's divide_no_nan).
Tensor LossImpl::operator()(const Tensor& y_true, const Tensor& y_pred) const {
  return ops::mean(per_sample(y_true, y_pred));
}

json LossImpl::get_config() const { return json{{"name", name()}, {"reduction", "sum_over_batch_size"}}; }

namespace {

enum class Kind { MSE, MAE, BCE, CCE, SCCE };

struct KindInfo {
  const char* name;
  const char* class_name;
};

KindInfo info(Kind k) {
  switch (k) {
    case Kind::MSE: return {"mean_squared_error", "MeanSquaredError"};
    case Kind::MAE: return {"mean_absolute_error", "MeanAbsoluteError"};
    case Kind::BCE: return {"binary_crossentropy", "BinaryCrossentropy"};
    case Kind::CCE: return {"categorical_crossentropy", "CategoricalCrossentropy"};
    case Kind::SCCE: return {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"};
  }
  return {"", ""};
}

// One class serves the five losses: they differ only in the kernel and in their config keys.
class BuiltinLoss : public LossImpl {
 public:
  BuiltinLoss(Kind kind, bool from_logits, float label_smoothing, std::string name)
      : kind_(kind), from_logits_(from_logits), label_smoothing_(label_smoothing),
        name_(name.empty() ? info(kind).name : std::move(name)) {
    if (!(label_smoothing >= 0.0f && label_smoothing <= 1.0f))
      throw ValueError("Loss \"" + name_ + "\": label_smoothing must be in [0, 1], received " +
                       std::to_string(label_smoothing));
  }

  Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override {
    switch (kind_) {
      case Kind::MSE: return detail::mean_squared_error(y_true, y_pred, name_);
      case Kind::MAE: return detail::mean_absolute_error(y_true, y_pred, name_);
      case Kind::BCE: return detail::binary_crossentropy(y_true, y_pred, from_logits_, label_smoothing_, name_);
      case Kind::CCE: return detail::categorical_crossentropy(y_true, y_pred, from_logits_, label_smoothing_, name_);
      case Kind::SCCE: return detail::sparse_categorical_crossentropy(y_true, y_pred, from_logits_, name_);
    }
    throw ValueError("unknown loss");
  }
  std::string name() const override { return name_; }
  std::string class_name() const override { return info(kind_).class_name; }

  // Keras's key order: Loss.get_config (name, reduction), then the wrapped function's kwargs.
  json get_config() const override {
    json c = LossImpl::get_config();
    if (kind_ == Kind::BCE || kind_ == Kind::CCE) {
      c["from_logits"] = from_logits_;
      c["label_smoothing"] = config_values::shortest(label_smoothing_);
      c["axis"] = -1;
    } else if (kind_ == Kind::SCCE) {
      c["from_logits"] = from_logits_;
      c["ignore_class"] = nullptr;
      c["axis"] = -1;
    }
    return c;
  }

 private:
  Kind kind_;
  bool from_logits_;
  float label_smoothing_;
  std::string name_;
};

// Every string Keras's losses.get accepts for these five, function names, aliases and class names.
const std::map<std::string, Kind>& names() {
  static const std::map<std::string, Kind> m{
      {"mean_squared_error", Kind::MSE}, {"mse", Kind::MSE}, {"MSE", Kind::MSE}, {"MeanSquaredError", Kind::MSE},
      {"mean_absolute_error", Kind::MAE}, {"mae", Kind::MAE}, {"MAE", Kind::MAE}, {"MeanAbsoluteError", Kind::MAE},
      {"binary_crossentropy", Kind::BCE}, {"bce", Kind::BCE}, {"BCE", Kind::BCE}, {"BinaryCrossentropy", Kind::BCE},
      {"categorical_crossentropy", Kind::CCE}, {"CategoricalCrossentropy", Kind::CCE},
      {"sparse_categorical_crossentropy", Kind::SCCE}, {"SparseCategoricalCrossentropy", Kind::SCCE}};
  return m;
}

std::string known_names() {
  return "\"mean_squared_error\" (\"mse\"), \"mean_absolute_error\" (\"mae\"), \"binary_crossentropy\", "
         "\"categorical_crossentropy\", \"sparse_categorical_crossentropy\" or their class names";
}

std::shared_ptr<LossImpl> make(Kind k, bool from_logits = false, float ls = 0.0f, std::string name = "") {
  return std::make_shared<BuiltinLoss>(k, from_logits, ls, std::move(name));
}

}  // namespace
}  // namespace losses

Loss::Loss(const char* name) : Loss(std::string(name ? name : "")) {}

Loss::Loss(const std::string& name) : given_name_(name) {
  auto it = losses::names().find(name);
  if (it == losses::names().end())
    throw ValueError("Could not interpret loss identifier: \"" + name + "\". Known losses: " + losses::known_names());
  impl_ = losses::make(it->second);
}

Loss::Loss(std::shared_ptr<losses::LossImpl> impl) : impl_(std::move(impl)) {
  if (!impl_) throw ValueError("Loss: null loss");
}

json Loss::to_json() const {
  if (!given_name_.empty()) return given_name_;
  return json{{"module", "keras.losses"},
              {"class_name", impl_->class_name()},
              {"config", impl_->get_config()},
              {"registered_name", nullptr}};
}

Loss Loss::from_json(const json& j, const std::string& path) {
  if (j.is_string()) {
    const std::string name = j.get<std::string>();
    if (!losses::names().count(name)) throw ConfigError(path, "unknown loss \"" + name + "\" (known: " + losses::known_names() + ")");
    return Loss(name);
  }
  if (!j.is_object()) throw ConfigError(path, "expected a loss name or object, got " + j.dump().substr(0, 80));
  auto cn = j.find("class_name");
  if (cn == j.end() || !cn->is_string()) throw ConfigError(path + ".class_name", "expected the loss's class name");
  const std::string cls = cn->get<std::string>();
  auto cf = j.find("config");
  // A loss function (not a class) is written {"class_name": "function", "config": "<name>"}.
  if (cls == "function") {
    if (cf == j.end() || !cf->is_string()) throw ConfigError(path + ".config", "expected the loss function's name");
    return from_json(*cf, path + ".config");
  }
  auto it = losses::names().find(cls);
  if (it == losses::names().end())
    throw ConfigError(path + ".class_name", "unsupported loss \"" + cls + "\" (supported: " + losses::known_names() + ")");
  static const json empty = json::object();
  if (cf != j.end() && !cf->is_object() && !cf->is_null()) throw ConfigError(path + ".config", "expected an object");
  const json& c = (cf == j.end() || cf->is_null()) ? empty : *cf;
  const std::string cpath = path + ".config";
  const losses::Kind kind = it->second;
  const bool ce = kind == losses::Kind::BCE || kind == losses::Kind::CCE || kind == losses::Kind::SCCE;

  std::set<std::string> known{"name", "reduction", "dtype", "fn"};
  if (ce) known.insert({"from_logits", "axis"});
  if (kind == losses::Kind::BCE || kind == losses::Kind::CCE) known.insert("label_smoothing");
  if (kind == losses::Kind::SCCE) known.insert("ignore_class");
  for (const auto& item : c.items())
    if (!known.count(item.key())) throw ConfigError(cpath + "." + item.key(), "unknown argument of loss " + cls);
  if (c.contains("reduction") && !c["reduction"].is_null()) {
    const json& r = c["reduction"];
    if (!r.is_string() || (r != "sum_over_batch_size" && r != "auto"))
      throw ConfigError(cpath + ".reduction", "only \"sum_over_batch_size\" is supported, got " + r.dump());
  }
  if (c.contains("axis") && !c["axis"].is_null() && c["axis"] != -1)
    throw ConfigError(cpath + ".axis", "only axis -1 is supported, got " + c["axis"].dump());
  if (c.contains("ignore_class") && !c["ignore_class"].is_null())
    throw ConfigError(cpath + ".ignore_class", "ignore_class is not supported; only null is accepted");
  std::string name;
  if (c.contains("name") && !c["name"].is_null()) {
    if (!c["name"].is_string()) throw ConfigError(cpath + ".name", "expected a string");
    name = c["name"].get<std::string>();
  }
  const bool from_logits = config_values::read_bool(c, "from_logits", cpath, false);
  const float ls = config_values::read_float(c, "label_smoothing", cpath, 0.0f);
  if (ls < 0.0f || ls > 1.0f) throw ConfigError(cpath + ".label_smoothing", "expected a number in [0, 1]");
  return Loss(losses::make(kind, from_logits, ls, name));
}

namespace losses {
Loss MeanSquaredError() { return Loss(make(Kind::MSE)); }
Loss MeanAbsoluteError() { return Loss(make(Kind::MAE)); }
Loss BinaryCrossentropy(bool from_logits, float label_smoothing) { return Loss(make(Kind::BCE, from_logits, label_smoothing)); }
Loss CategoricalCrossentropy(bool from_logits, float label_smoothing) {
  return Loss(make(Kind::CCE, from_logits, label_smoothing));
}
Loss SparseCategoricalCrossentropy(bool from_logits) { return Loss(make(Kind::SCCE, from_logits)); }
}  // namespace losses

}  // namespace xkeras
