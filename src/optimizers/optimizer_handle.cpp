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

// Keras's names: the class name or its lower case ("adam" / "Adam" -> "adam"); unknown -> "".
const std::vector<std::string>& known_names() {
  static const std::vector<std::string> k{"adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta",
                                          "adamax", "nadam", "lion", "ftrl"};
  return k;
}

std::string canonical(const std::string& name) {
  const std::string l = lower(name);
  for (const auto& k : known_names())
    if (l == k) return l;
  return "";
}

std::string known_list() {
  std::string out;
  for (const auto& k : known_names()) out += (out.empty() ? "\"" : ", \"") + k + "\"";
  return out;
}

std::shared_ptr<optimizers::OptimizerImpl> from_name(const std::string& name) {
  const std::string c = canonical(name);
  if (c == "adam") return optimizers::Adam().ptr();
  if (c == "adamw") return optimizers::AdamW().ptr();
  if (c == "sgd") return optimizers::SGD().ptr();
  if (c == "rmsprop") return optimizers::RMSprop().ptr();
  if (c == "adagrad") return optimizers::Adagrad().ptr();
  if (c == "adadelta") return optimizers::Adadelta().ptr();
  if (c == "adamax") return optimizers::Adamax().ptr();
  if (c == "nadam") return optimizers::Nadam().ptr();
  if (c == "lion") return optimizers::Lion().ptr();
  if (c == "ftrl") return optimizers::Ftrl().ptr();
  throw ValueError("Could not interpret optimizer identifier: \"" + name + "\". Known optimizers: " + known_list() +
                   " (or their class names)");
}

// Each optimizer's own config keys, after the base ones.
std::set<std::string> own_keys(const std::string& kind) {
  if (kind == "adam" || kind == "adamw") return {"beta_1", "beta_2", "epsilon", "amsgrad"};
  if (kind == "sgd") return {"momentum", "nesterov"};
  if (kind == "rmsprop") return {"rho", "momentum", "epsilon", "centered"};
  if (kind == "adagrad") return {"initial_accumulator_value", "epsilon"};
  if (kind == "adadelta") return {"rho", "epsilon"};
  if (kind == "adamax" || kind == "nadam") return {"beta_1", "beta_2", "epsilon"};
  if (kind == "lion") return {"beta_1", "beta_2"};
  return {"learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
          "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"};
}

// Builds optimizer `kind` from its validated config `c` (at `cpath`).
Optimizer build(const std::string& kind, const json& c, const std::string& cpath, optimizers::BaseOptions base) {
  using config_values::read_bool;
  using config_values::read_float;
  // A number, or a schedule object (Keras 3 or tf.keras 2.x layout).
  auto lr = [&](double def) -> optimizers::LearningRate {
    auto it = c.find("learning_rate");
    if (it != c.end() && it->is_object()) return optimizers::schedules::deserialize(*it, cpath + ".learning_rate");
    return read_float(c, "learning_rate", cpath, static_cast<float>(def));
  };
  auto f = [&](const char* key, float def) { return read_float(c, key, cpath, def); };
  if (kind == "adam")
    return optimizers::Adam(lr(0.001), f("beta_1", 0.9f), f("beta_2", 0.999f), f("epsilon", 1e-7f),
                            read_bool(c, "amsgrad", cpath, false), base);
  if (kind == "adamw") {
    // Keras refuses weight_decay=None for AdamW; an absent key takes the default.
    if (c.contains("weight_decay") && c["weight_decay"].is_null())
      throw ConfigError(cpath + ".weight_decay", "AdamW needs a float weight_decay, got null");
    return optimizers::AdamW(lr(0.001), base.weight_decay.value_or(0.004f), f("beta_1", 0.9f), f("beta_2", 0.999f),
                             f("epsilon", 1e-7f), read_bool(c, "amsgrad", cpath, false), base);
  }
  if (kind == "sgd") {
    const float momentum = f("momentum", 0.0f);
    if (momentum < 0 || momentum > 1) throw ConfigError(cpath + ".momentum", "expected a float between 0 and 1");
    return optimizers::SGD(lr(0.01), momentum, read_bool(c, "nesterov", cpath, false), base);
  }
  if (kind == "rmsprop")
    return optimizers::RMSprop(lr(0.001), f("rho", 0.9f), f("momentum", 0.0f), f("epsilon", 1e-7f),
                               read_bool(c, "centered", cpath, false), base);
  if (kind == "adagrad") return optimizers::Adagrad(lr(0.001), f("initial_accumulator_value", 0.1f), f("epsilon", 1e-7f), base);
  if (kind == "adadelta") return optimizers::Adadelta(lr(0.001), f("rho", 0.95f), f("epsilon", 1e-7f), base);
  if (kind == "adamax") return optimizers::Adamax(lr(0.001), f("beta_1", 0.9f), f("beta_2", 0.999f), f("epsilon", 1e-7f), base);
  if (kind == "nadam") return optimizers::Nadam(lr(0.001), f("beta_1", 0.9f), f("beta_2", 0.999f), f("epsilon", 1e-7f), base);
  if (kind == "lion") return optimizers::Lion(lr(0.001), f("beta_1", 0.9f), f("beta_2", 0.99f), base);
  optimizers::FtrlOptions o;
  o.learning_rate_power = f("learning_rate_power", -0.5f);
  o.initial_accumulator_value = f("initial_accumulator_value", 0.1f);
  o.l1_regularization_strength = f("l1_regularization_strength", 0.0f);
  o.l2_regularization_strength = f("l2_regularization_strength", 0.0f);
  o.l2_shrinkage_regularization_strength = f("l2_shrinkage_regularization_strength", 0.0f);
  o.beta = f("beta", 0.0f);
  return optimizers::Ftrl(lr(0.001), o, base);
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
  using config_values::read_optional_float;
  if (j.is_string()) {
    const std::string name = j.get<std::string>();
    if (canonical(name).empty()) throw ConfigError(path, "unknown optimizer \"" + name + "\" (known: " + known_list() + ")");
    return Optimizer(name);
  }
  if (!j.is_object()) throw ConfigError(path, "expected an optimizer name or object, got " + j.dump().substr(0, 80));
  auto cn = j.find("class_name");
  if (cn == j.end() || !cn->is_string()) throw ConfigError(path + ".class_name", "expected the optimizer's class name");
  const std::string kind = canonical(cn->get<std::string>());
  if (kind.empty())
    throw ConfigError(path + ".class_name", "unsupported optimizer \"" + cn->get<std::string>() +
                                                "\" (supported: " + known_list() + ", or their class names)");
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
  for (const auto& k : own_keys(kind)) known.insert(k);
  for (const auto& item : c.items())
    if (!known.count(item.key())) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      throw ConfigError(cpath + "." + item.key(), "unknown argument of optimizer " + cn->get<std::string>() +
                                                      " (expected one of: " + names + ")");
    }

  if (read_bool(c, "use_ema", cpath, false)) throw ConfigError(cpath + ".use_ema", "use_ema=true is not supported");
  for (const char* k : {"loss_scale_factor", "gradient_accumulation_steps"})
    if (c.contains(k) && !c[k].is_null()) throw ConfigError(cpath + "." + k, "only null is supported");

  optimizers::BaseOptions base{read_optional_float(c, "weight_decay", cpath), read_optional_float(c, "clipnorm", cpath),
                               read_optional_float(c, "global_clipnorm", cpath),
                               read_optional_float(c, "clipvalue", cpath)};
  const int clip_args = int(base.clipnorm.has_value()) + int(base.clipvalue.has_value()) + int(base.global_clipnorm.has_value());
  if (clip_args > 1) throw ConfigError(cpath, "only one of clipnorm, clipvalue and global_clipnorm can be set");

  Optimizer out = [&]() -> Optimizer {
    try {
      return build(kind, c, cpath, base);
    } catch (const ValueError& e) {  // a value the optimizer refuses (Lion's beta_1 = 0, Ftrl's negative l1, ...)
      throw ConfigError(cpath, e.what());
    }
  }();
  if (c.contains("name") && !c["name"].is_null()) {
    if (!c["name"].is_string()) throw ConfigError(cpath + ".name", "expected a string");
    out->set_name(c["name"].get<std::string>());
  }
  return out;
}

}  // namespace xkeras
