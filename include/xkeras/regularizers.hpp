// Weight regularizers (penalties added to the training loss) and constraints (projections
// applied after each optimizer update), with Keras's names, formulas and config layout.
// A layer takes them as options (strings convert: "l2", "max_norm"); `regularizers::L2(1e-4f)(w)`
// is a scalar tensor on the tape, `constraints::MaxNorm(3).apply(w)` projects an array in place.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "xkeras/json.hpp"

#include "xkeras/tensor.hpp"

namespace xkeras {


namespace regularizers {
/// Subclass for a custom penalty; it saves as {"class_name": class_name(), "config": get_config()}
/// (loading it back needs a built-in class name).
class RegularizerImpl {
 public:
  virtual ~RegularizerImpl() = default;
  /// The penalty as a scalar tensor, composed of ops so it is differentiated on the tape.
  virtual Tensor operator()(const Tensor& w) const = 0;
  virtual std::string class_name() const = 0;  // "L1", "L2", "L1L2"
  virtual json get_config() const = 0;
};
}  // namespace regularizers

/// Nullable value type: default-constructed means "no regularizer" (Keras's None).
class Regularizer {
 public:
  Regularizer() = default;
  Regularizer(std::nullptr_t) {}  // NOLINT: Keras's None
  /// "l1" (0.01), "l2" (0.01), "l1_l2" (l1 = l2 = 0.01) or a class name ("L1", "L2", "L1L2" with
  /// the class defaults); ValueError for any other name.
  Regularizer(const char* name);         // NOLINT: implicit on purpose, Keras passes strings
  Regularizer(const std::string& name);  // NOLINT
  Regularizer(std::shared_ptr<regularizers::RegularizerImpl> impl) : impl_(std::move(impl)) {}  // NOLINT

  explicit operator bool() const { return impl_ != nullptr; }
  Tensor operator()(const Tensor& w) const { return (*impl_)(w); }
  std::string class_name() const { return impl_ ? impl_->class_name() : ""; }
  const std::shared_ptr<regularizers::RegularizerImpl>& impl() const { return impl_; }
  /// Keras 3 object {"module": "keras.regularizers", "class_name", "config", "registered_name": null};
  /// null when empty.
  json to_json() const;
  /// Accepts null, a name, a Keras 3 object or a tf.keras {"class_name", "config"} object;
  /// ConfigError naming `path` (or the key's path under `path.config`) otherwise.
  static Regularizer from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<regularizers::RegularizerImpl> impl_;
};

namespace regularizers {
/// l1 * sum(|w|)
Regularizer L1(float l1 = 0.01f);
/// l2 * sum(w^2)
Regularizer L2(float l2 = 0.01f);
/// l1 * sum(|w|) + l2 * sum(w^2); note the class defaults are 0 (the "l1_l2" string gives 0.01, 0.01)
Regularizer L1L2(float l1 = 0.0f, float l2 = 0.0f);
}  // namespace regularizers

namespace constraints {
/// Subclass for a custom projection (saved by class_name()/get_config(), like a regularizer).
class ConstraintImpl {
 public:
  virtual ~ConstraintImpl() = default;
  /// Projects the weight in place (not differentiated: it runs after the update).
  virtual void apply(Array& w) const = 0;
  virtual std::string class_name() const = 0;  // "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm"
  virtual json get_config() const = 0;
};
}  // namespace constraints

/// Nullable value type: default-constructed means "no constraint".
class Constraint {
 public:
  Constraint() = default;
  Constraint(std::nullptr_t) {}  // NOLINT
  /// "max_norm", "non_neg", "unit_norm", "min_max_norm" (or the class names) with Keras's defaults;
  /// ValueError for any other name.
  Constraint(const char* name);         // NOLINT
  Constraint(const std::string& name);  // NOLINT
  Constraint(std::shared_ptr<constraints::ConstraintImpl> impl) : impl_(std::move(impl)) {}  // NOLINT

  explicit operator bool() const { return impl_ != nullptr; }
  /// Projects `w` in place; a no-op when empty. ValueError when an axis does not fit w's rank.
  void apply(Array& w) const {
    if (impl_) impl_->apply(w);
  }
  std::string class_name() const { return impl_ ? impl_->class_name() : ""; }
  const std::shared_ptr<constraints::ConstraintImpl>& impl() const { return impl_; }
  /// Keras 3 object with "module": "keras.constraints"; null when empty.
  json to_json() const;
  static Constraint from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<constraints::ConstraintImpl> impl_;
};

namespace constraints {
/// The norm over `axis` (a column of a Dense kernel for axis 0; use {0, 1, 2} for a conv filter)
/// is clipped at max_value: w * clip(norm, 0, max_value) / (1e-7 + norm).
Constraint MaxNorm(float max_value = 2.0f, int axis = 0);
Constraint MaxNorm(float max_value, std::vector<int> axes);
/// max(w, 0)
Constraint NonNeg();
/// w / (1e-7 + norm over axis)
Constraint UnitNorm(int axis = 0);
Constraint UnitNorm(std::vector<int> axes);
/// w * (rate * clip(norm, min_value, max_value) + (1 - rate) * norm) / (1e-7 + norm)
Constraint MinMaxNorm(float min_value = 0.0f, float max_value = 1.0f, float rate = 1.0f, int axis = 0);
Constraint MinMaxNorm(float min_value, float max_value, float rate, std::vector<int> axes);
}  // namespace constraints

/// A float as the shortest decimal that reads back to the same float (0.01f -> 0.01, not
/// 0.009999999776482582), so configs written from float members look like Keras's.
double clean_float(float v);

}  // namespace xkeras
