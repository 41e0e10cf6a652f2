// Weight constraints: Keras's MaxNorm, NonNeg, UnitNorm and MinMaxNorm, their names and JSON.
// They project a weight in place after an optimizer step (never on the tape).
#include <algorithm>
#include <cmath>

#include "ops/common.hpp"
#include "keras_object.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/regularizers.hpp"

namespace xkeras {
namespace constraints {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

// The norm-based constraints: w *= factor(norm), the norm taken over `axes` (kept dims).
class NormConstraint : public ConstraintImpl {
 public:
  NormConstraint(std::vector<int> axes, bool axis_is_list) : axes_(std::move(axes)), list_(axis_is_list) {}

  void apply(Array& w) const override {
    const Shape shape = to_shape(w);
    std::vector<std::size_t> ax;
    try {
      ax = ops::normalize_axes(axes_, shape.size());
    } catch (const ValueError& e) {
      throw ValueError(class_name() + " constraint: " + e.what() + "; the weight has shape " + shape_str(shape));
    }
    const Shape kept = ops::detail::keepdims_shape(shape, ax);
    const auto sk = ops::detail::broadcast_strides(kept, shape), sw = ops::detail::broadcast_strides(shape, shape);
    std::vector<double> acc(shape_size(kept), 0.0);
    float* p = w.data();
    ops::detail::for_each_broadcast(shape, sw, sk, [&](std::size_t, std::size_t i, std::size_t o) {
      acc[o] += double(p[i]) * double(p[i]);
    });
    std::vector<float> f(acc.size());
    for (std::size_t o = 0; o < acc.size(); ++o) f[o] = static_cast<float>(factor(std::sqrt(acc[o])));
    ops::detail::for_each_broadcast(shape, sw, sk, [&](std::size_t, std::size_t i, std::size_t o) { p[i] *= f[o]; });
  }

 protected:
  virtual double factor(double norm) const = 0;
  json axis_json() const {
    if (!list_ && axes_.size() == 1) return axes_[0];
    return json(axes_);
  }

 private:
  std::vector<int> axes_;
  bool list_;
};

class MaxNormImpl : public NormConstraint {
 public:
  MaxNormImpl(float max_value, std::vector<int> axes, bool list) : NormConstraint(std::move(axes), list), max_(max_value) {}
  std::string class_name() const override { return "MaxNorm"; }
  json get_config() const override { return json{{"max_value", clean_float(max_)}, {"axis", axis_json()}}; }

 protected:
  double factor(double n) const override { return std::clamp(n, 0.0, double(max_)) / (kEpsilon + n); }

 private:
  float max_;
};

class UnitNormImpl : public NormConstraint {
 public:
  using NormConstraint::NormConstraint;
  std::string class_name() const override { return "UnitNorm"; }
  json get_config() const override { return json{{"axis", axis_json()}}; }

 protected:
  double factor(double n) const override { return 1.0 / (kEpsilon + n); }
};

class MinMaxNormImpl : public NormConstraint {
 public:
  MinMaxNormImpl(float lo, float hi, float rate, std::vector<int> axes, bool list)
      : NormConstraint(std::move(axes), list), lo_(lo), hi_(hi), rate_(rate) {}
  std::string class_name() const override { return "MinMaxNorm"; }
  json get_config() const override {
    return json{{"min_value", clean_float(lo_)}, {"max_value", clean_float(hi_)}, {"rate", clean_float(rate_)},
                {"axis", axis_json()}};
  }

 protected:
  double factor(double n) const override {
    const double desired = double(rate_) * std::clamp(n, double(lo_), double(hi_)) + (1.0 - double(rate_)) * n;
    return desired / (kEpsilon + n);
  }

 private:
  float lo_, hi_, rate_;
};

class NonNegImpl : public ConstraintImpl {
 public:
  void apply(Array& w) const override {
    float* p = w.data();
    for (std::size_t i = 0, n = w.size(); i < n; ++i) p[i] = p[i] < 0.0f ? 0.0f : p[i];
  }
  std::string class_name() const override { return "NonNeg"; }
  json get_config() const override { return json::object(); }
};

void check_axes(const std::vector<int>& axes, const char* cls) {
  if (axes.empty()) throw ValueError(std::string(cls) + ": expected at least one axis");
}

void check_bound(float v, const char* cls, const char* name) {
  if (!std::isfinite(v) || v < 0)
    throw ValueError(std::string(cls) + ": expected a non-negative " + name + ", got " + std::to_string(v));
}

void check_min_max(float lo, float hi, float rate) {
  check_bound(lo, "MinMaxNorm", "min_value");
  check_bound(hi, "MinMaxNorm", "max_value");
  if (lo > hi)
    throw ValueError("MinMaxNorm: min_value (" + std::to_string(lo) + ") exceeds max_value (" + std::to_string(hi) + ")");
  if (!std::isfinite(rate)) throw ValueError("MinMaxNorm: expected a finite rate");
}

}  // namespace

Constraint MaxNorm(float max_value, int axis) {
  check_bound(max_value, "MaxNorm", "max_value");
  return Constraint(std::make_shared<MaxNormImpl>(max_value, std::vector<int>{axis}, false));
}
Constraint MaxNorm(float max_value, std::vector<int> axes) {
  check_bound(max_value, "MaxNorm", "max_value");
  check_axes(axes, "MaxNorm");
  return Constraint(std::make_shared<MaxNormImpl>(max_value, std::move(axes), true));
}
Constraint NonNeg() { return Constraint(std::make_shared<NonNegImpl>()); }
Constraint UnitNorm(int axis) { return Constraint(std::make_shared<UnitNormImpl>(std::vector<int>{axis}, false)); }
Constraint UnitNorm(std::vector<int> axes) {
  check_axes(axes, "UnitNorm");
  return Constraint(std::make_shared<UnitNormImpl>(std::move(axes), true));
}
Constraint MinMaxNorm(float min_value, float max_value, float rate, int axis) {
  check_min_max(min_value, max_value, rate);
  return Constraint(std::make_shared<MinMaxNormImpl>(min_value, max_value, rate, std::vector<int>{axis}, false));
}
Constraint MinMaxNorm(float min_value, float max_value, float rate, std::vector<int> axes) {
  check_min_max(min_value, max_value, rate);
  check_axes(axes, "MinMaxNorm");
  return Constraint(std::make_shared<MinMaxNormImpl>(min_value, max_value, rate, std::move(axes), true));
}

}  // namespace constraints

namespace {

// The config readers name the JSON path of a bad value: "<path>.config.max_value: ...".
float read_number(const json& cfg, const char* key, float def, const std::string& path) {
  if (!cfg.contains(key) || cfg.at(key).is_null()) return def;
  const json& v = cfg.at(key);
  if (!v.is_number() || !std::isfinite(v.get<double>()) || std::fabs(v.get<double>()) > 3.4e38)
    throw ConfigError(path + ".config." + key, "expected a number, got " + v.dump().substr(0, 60));
  return v.get<float>();
}

// An int or a list of ints; returns whether it was a list.
bool read_axis(const json& cfg, std::vector<int>& axes, const std::string& path) {
  if (!cfg.contains("axis") || cfg.at("axis").is_null()) {
    axes = {0};
    return false;
  }
  const json& v = cfg.at("axis");
  const std::string where = path + ".config.axis";
  auto one = [&](const json& a) {
    if (!a.is_number_integer() || std::llabs(a.get<long long>()) > 64)
      throw ConfigError(where, "expected an axis integer or a list of them, got " + v.dump().substr(0, 60));
    return a.get<int>();
  };
  if (v.is_array()) {
    if (v.empty() || v.size() > 64) throw ConfigError(where, "expected a non-empty list of axes, got " + v.dump().substr(0, 60));
    axes.clear();
    for (const auto& a : v) axes.push_back(one(a));
    return true;
  }
  axes = {one(v)};
  return false;
}

// Keras 3 names (class and snake_case) plus the tf.keras 2.x aliases maxnorm/nonneg/unitnorm.
Constraint by_name(const std::string& n, const json& cfg, const std::string& path) {
  std::vector<std::string> allowed;
  Constraint c;
  std::vector<int> axes;
  try {
    if (n == "MaxNorm" || n == "max_norm" || n == "maxnorm") {
      allowed = {"max_value", "axis"};
      const float mv = read_number(cfg, "max_value", 2.0f, path);
      c = read_axis(cfg, axes, path) ? constraints::MaxNorm(mv, axes) : constraints::MaxNorm(mv, axes[0]);
    } else if (n == "NonNeg" || n == "non_neg" || n == "nonneg") {
      c = constraints::NonNeg();
    } else if (n == "UnitNorm" || n == "unit_norm" || n == "unitnorm") {
      allowed = {"axis"};
      c = read_axis(cfg, axes, path) ? constraints::UnitNorm(axes) : constraints::UnitNorm(axes[0]);
    } else if (n == "MinMaxNorm" || n == "min_max_norm") {
      allowed = {"min_value", "max_value", "rate", "axis"};
      const float lo = read_number(cfg, "min_value", 0.0f, path), hi = read_number(cfg, "max_value", 1.0f, path),
                  rate = read_number(cfg, "rate", 1.0f, path);
      c = read_axis(cfg, axes, path) ? constraints::MinMaxNorm(lo, hi, rate, axes)
                                     : constraints::MinMaxNorm(lo, hi, rate, axes[0]);
    } else {
      throw ConfigError(path, "unknown constraint \"" + n + "\" (expected MaxNorm, NonNeg, UnitNorm or MinMaxNorm)");
    }
  } catch (const ValueError& e) {
    throw ConfigError(path + ".config", e.what());
  }
  for (const auto& [key, value] : cfg.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw ConfigError(path + ".config." + key, "unexpected argument for constraint " + c.class_name());
  return c;
}

}  // namespace

Constraint::Constraint(const char* name) : Constraint(std::string(name)) {}

Constraint::Constraint(const std::string& name) {
  try {
    *this = by_name(name, json::object(), "constraint");
  } catch (const ConfigError&) {
    throw ValueError("Could not interpret constraint identifier: \"" + name +
                     "\" (expected max_norm, non_neg, unit_norm or min_max_norm)");
  }
}

json Constraint::to_json() const {
  if (!impl_) return nullptr;
  return detail::keras_object("keras.constraints", impl_->class_name(), impl_->get_config());
}

Constraint Constraint::from_json(const json& j, const std::string& path) {
  if (j.is_null()) return {};
  auto [name, cfg] = detail::read_keras_object(j, path, "constraint");
  return by_name(name, cfg, path);
}

}  // namespace xkeras
