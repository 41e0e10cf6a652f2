// The Optimizer value type: names, factories and Keras JSON (both Keras 3 and tf.keras 2.x layouts).
#include <algorithm>
#include <cctype>
#include <set>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "adam" / "Adam" -> "adam"; unknown -> "".
std::string canonical(const std::string& name) {
  const std::string l = lower(name);
  if (l == "adam" || l == "sgd" || l == "rmsprop") return l;
  return "";
}

std::shared_ptr<optimizers::OptimizerImpl> from_name(const std::string& name) {
  const std::string c = canonical(name);
  if (c == "adam") return optimizers::Adam().ptr();
  if (c == "sgd") return optimizers::SGD().ptr();
  if (c == "rmsprop") return optimizers::RMSprop().ptr();
  throw ValueError("Could not interpret optimizer identifier: \"" + name +
                   "\". Known optimizers: \"adam\", \"sgd\", \"rmsprop\" (or their class names)");
}

}  // namespace

Optimizer::Optimizer(const char* name) : Optimizer(std::string(name ? name : "")) {}
Optimizer::Optimizer(const std::string& name) : impl_(from_name(name)) {}
Optimizer::Optimizer(std::shared_ptr<optimizers::OptimizerImpl> impl) : impl_(std::move(impl)) {
  if (!impl_) throw ValueError("Optimizer: null optimizer");
}

json Optimizer::to_json() const {
  return json{{"module", "keras.optimizers"},
              {"class_name", impl_->class_name()},
              {"config", impl_->get_config()},
              {"registered_name", nullptr}};
}

Optimizer Optimizer::from_json(const json& j, const std::string& path) {
  using config_values::read_bool;
  using config_values::read_float;
  using config_values::read_optional_float;
  if (j.is_string()) {
    const std::string name = j.get<std::string>();
    if (canonical(name).empty())
      throw ConfigError(path, "unknown optimizer \"" + name + "\" (known: \"adam\", \"sgd\", \"rmsprop\")");
    return Optimizer(name);
  }
  if (!j.is_object()) throw ConfigError(path, "expected an optimizer name or object, got " + j.dump().substr(0, 80));
  auto cn = j.find("class_name");
  if (cn == j.end() || !cn->is_string()) throw ConfigError(path + ".class_name", "expected the optimizer's class name");
  const std::string kind = canonical(cn->get<std::string>());
  if (kind.empty())
    throw ConfigError(path + ".class_name", "unsupported optimizer \"" + cn->get<std::string>() +
                                                "\" (supported: Adam, SGD, RMSprop)");
  static const json empty = json::object();
  auto cf = j.find("config");
  if (cf != j.end() && !cf->is_object() && !cf->is_null()) throw ConfigError(path + ".config", "expected an object");
  const json& c = (cf == j.end() || cf->is_null()) ? empty : *cf;
  const std::string cpath = path + ".config";

  // Keys this reader understands; "decay", "jit_compile" and "is_legacy_optimizer" come from
  // tf.keras 2.x files and are ignored (Keras 3 ignores "decay" too).
  std::set<std::string> known{"name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
                              "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
                              "gradient_accumulation_steps", "decay", "jit_compile", "is_legacy_optimizer"};
  if (kind == "adam") known.insert({"beta_1", "beta_2", "epsilon", "amsgrad"});
  if (kind == "sgd") known.insert({"momentum", "nesterov"});
  if (kind == "rmsprop") known.insert({"rho", "momentum", "epsilon", "centered"});
  for (const auto& item : c.items())
    if (!known.count(item.key())) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      throw ConfigError(cpath + "." + item.key(), "unknown argument of optimizer " + cn->get<std::string>() +
                                                      " (expected one of: " + names + ")");
    }

  if (c.contains("learning_rate") && c["learning_rate"].is_object())
    throw ConfigError(cpath + ".learning_rate", "learning-rate schedules are not supported; use a number");
  if (read_bool(c, "use_ema", cpath, false)) throw ConfigError(cpath + ".use_ema", "use_ema=true is not supported");
  for (const char* k : {"loss_scale_factor", "gradient_accumulation_steps"})
    if (c.contains(k) && !c[k].is_null()) throw ConfigError(cpath + "." + k, "only null is supported");

  optimizers::BaseOptions base{read_optional_float(c, "weight_decay", cpath), read_optional_float(c, "clipnorm", cpath),
                               read_optional_float(c, "global_clipnorm", cpath),
                               read_optional_float(c, "clipvalue", cpath)};
  const int clip_args = int(base.clipnorm.has_value()) + int(base.clipvalue.has_value()) + int(base.global_clipnorm.has_value());
  if (clip_args > 1) throw ConfigError(cpath, "only one of clipnorm, clipvalue and global_clipnorm can be set");

  Optimizer out = [&]() -> Optimizer {
    if (kind == "adam")
      return optimizers::Adam(read_float(c, "learning_rate", cpath, 0.001f), read_float(c, "beta_1", cpath, 0.9f),
                              read_float(c, "beta_2", cpath, 0.999f), read_float(c, "epsilon", cpath, 1e-7f),
                              read_bool(c, "amsgrad", cpath, false), base);
    if (kind == "sgd") {
      const float momentum = read_float(c, "momentum", cpath, 0.0f);
      if (momentum < 0 || momentum > 1) throw ConfigError(cpath + ".momentum", "expected a float between 0 and 1");
      return optimizers::SGD(read_float(c, "learning_rate", cpath, 0.01f), momentum,
                             read_bool(c, "nesterov", cpath, false), base);
    }
    return optimizers::RMSprop(read_float(c, "learning_rate", cpath, 0.001f), read_float(c, "rho", cpath, 0.9f),
                               read_float(c, "momentum", cpath, 0.0f), read_float(c, "epsilon", cpath, 1e-7f),
                               read_bool(c, "centered", cpath, false), base);
  }();
  if (c.contains("name") && !c["name"].is_null()) {
    if (!c["name"].is_string()) throw ConfigError(cpath + ".name", "expected a string");
    out->set_name(c["name"].get<std::string>());
  }
  return out;
}

namespace optimizers {

Optimizer SGD(float learning_rate, float momentum, bool nesterov, BaseOptions base) {
  return Optimizer(std::make_shared<SGDImpl>(learning_rate, momentum, nesterov, base));
}

Optimizer Adam(float learning_rate, float beta_1, float beta_2, float epsilon, bool amsgrad, BaseOptions base) {
  return Optimizer(std::make_shared<AdamImpl>(learning_rate, beta_1, beta_2, epsilon, amsgrad, base));
}

Optimizer RMSprop(float learning_rate, float rho, float momentum, float epsilon, bool centered, BaseOptions base) {
  return Optimizer(std::make_shared<RMSpropImpl>(learning_rate, rho, momentum, epsilon, centered, base));
}

}  // namespace optimizers
}  // namespace xkeras
