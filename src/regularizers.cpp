// Weight regularizers: Keras's L1, L2 and L1L2, their names and their JSON forms.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "keras_object.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/regularizers.hpp"

namespace xkeras {

double clean_float(float v) {
  if (!std::isfinite(v)) return static_cast<double>(v);
  char buf[32];
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) return std::strtod(buf, nullptr);
  }
  return static_cast<double>(v);
}

namespace regularizers {
namespace {

// Keras's validate_float_arg: a finite, non-negative factor.
float checked_factor(float v, const char* name) {
  if (!std::isfinite(v) || v < 0)
    throw ValueError(std::string("Invalid value for argument ") + name + ": expected a non-negative float. Received: " +
                     name + "=" + std::to_string(v));
  return v;
}

// One class for the three Keras classes: they differ only in which factors they have.
class L1L2Impl : public RegularizerImpl {
 public:
  L1L2Impl(std::string cls, float l1, float l2) : cls_(std::move(cls)), l1_(l1), l2_(l2) {}

  // Penalties are composed of ops, so their gradient (l1*sign(w), 2*l2*w) comes from the tape.
  Tensor operator()(const Tensor& w) const override {
    Tensor out;
    if (l1_ != 0.0f) out = ops::scale(ops::sum(ops::abs(w)), l1_);
    if (l2_ != 0.0f) {
      Tensor p = ops::scale(ops::sum(ops::square(w)), l2_);
      out = out.defined() ? ops::add(out, p) : p;
    }
    return out.defined() ? out : Tensor::scalar(0.0f);
  }
  std::string class_name() const override { return cls_; }
  json get_config() const override {
    json c = json::object();
    if (cls_ != "L2") c["l1"] = clean_float(l1_);
    if (cls_ != "L1") c["l2"] = clean_float(l2_);
    return c;
  }

 private:
  std::string cls_;
  float l1_, l2_;
};

}  // namespace

Regularizer L1(float l1) { return Regularizer(std::make_shared<L1L2Impl>("L1", checked_factor(l1, "l1"), 0.0f)); }
Regularizer L2(float l2) { return Regularizer(std::make_shared<L1L2Impl>("L2", 0.0f, checked_factor(l2, "l2"))); }
Regularizer L1L2(float l1, float l2) {
  return Regularizer(std::make_shared<L1L2Impl>("L1L2", checked_factor(l1, "l1"), checked_factor(l2, "l2")));
}

}  // namespace regularizers

namespace {

// A factor from a config object: absent or null means the class default (as Keras's `None`).
float read_factor(const json& cfg, const char* key, float def, const std::string& path) {
  if (!cfg.contains(key) || cfg.at(key).is_null()) return def;
  const json& v = cfg.at(key);
  const std::string where = path + ".config." + key;
  if (!v.is_number()) throw ConfigError(where, "expected a non-negative number, got " + v.dump().substr(0, 60));
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0 || d > 3.4e38) throw ConfigError(where, "expected a non-negative number, got " + v.dump());
  return static_cast<float>(d);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// Builds a regularizer from a Keras name and its config (empty for the string form).
// Keras 3 strings map to classes with their defaults ("l1l2" -> L1L2(0, 0)); "l1_l2" is the
// documented shortcut with l1 = l2 = 0.01 (tf.keras's l1_l2()).
Regularizer by_name(const std::string& n, const json& cfg, const std::string& path) {
  const std::vector<std::string>* allowed = nullptr;
  static const std::vector<std::string> k_l1{"l1"}, k_l2{"l2"}, k_l1l2{"l1", "l2"};
  Regularizer r;
  if (n == "L1" || n == "l1") {
    allowed = &k_l1;
    r = regularizers::L1(read_factor(cfg, "l1", 0.01f, path));
  } else if (n == "L2" || n == "l2") {
    allowed = &k_l2;
    r = regularizers::L2(read_factor(cfg, "l2", 0.01f, path));
  } else if (n == "L1L2" || n == "l1l2") {
    allowed = &k_l1l2;
    r = regularizers::L1L2(read_factor(cfg, "l1", 0.0f, path), read_factor(cfg, "l2", 0.0f, path));
  } else if (n == "l1_l2") {
    allowed = &k_l1l2;
    r = regularizers::L1L2(read_factor(cfg, "l1", 0.01f, path), read_factor(cfg, "l2", 0.01f, path));
  } else if (n == "OrthogonalRegularizer" || n == "orthogonal_regularizer") {
    throw ConfigError(path, "the regularizer \"" + n + "\" is not supported by xkeras (supported: L1, L2, L1L2)");
  } else {
    throw ConfigError(path, "unknown regularizer \"" + n + "\" (expected L1, L2, L1L2 or l1, l2, l1_l2)");
  }
  // Keras builds the class with cls(**config), which rejects unknown keys; so do we.
  for (const auto& [key, value] : cfg.items())
    if (std::find(allowed->begin(), allowed->end(), key) == allowed->end())
      throw ConfigError(path + ".config." + key, "unexpected argument for regularizer " + r.class_name() +
                                                     " (expected " + join_names(*allowed) + ")");
  return r;
}

}  // namespace

Regularizer::Regularizer(const char* name) : Regularizer(std::string(name)) {}

Regularizer::Regularizer(const std::string& name) {
  try {
    *this = by_name(name, json::object(), "regularizer");
  } catch (const ConfigError&) {
    throw ValueError("Could not interpret regularizer identifier: \"" + name + "\" (expected l1, l2 or l1_l2)");
  }
}

json Regularizer::to_json() const {
  if (!impl_) return nullptr;
  return detail::keras_object("keras.regularizers", impl_->class_name(), impl_->get_config());
}

Regularizer Regularizer::from_json(const json& j, const std::string& path) {
  if (j.is_null()) return {};
  auto [name, cfg] = detail::read_keras_object(j, path, "regularizer");
  return by_name(name, cfg, path);
}

}  // namespace xkeras
