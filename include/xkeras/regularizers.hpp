// Weight regularizers (penalties added to the training loss) and constraints (projections
// applied after each optimizer update), with Keras's names and config layout.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "xkeras/tensor.hpp"

namespace xkeras {

using json = nlohmann::json;

namespace regularizers {
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
  Regularizer(std::nullptr_t) {}
  Regularizer(const char* name);  // "l1", "l2", "l1_l2" with Keras's default factors (0.01)
  Regularizer(const std::string& name);
  Regularizer(std::shared_ptr<regularizers::RegularizerImpl> impl) : impl_(std::move(impl)) {}

  explicit operator bool() const { return impl_ != nullptr; }
  Tensor operator()(const Tensor& w) const { return (*impl_)(w); }
  json to_json() const;  // null when empty
  static Regularizer from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<regularizers::RegularizerImpl> impl_;
};

namespace regularizers {
Regularizer L1(float l1 = 0.01f);
Regularizer L2(float l2 = 0.01f);
Regularizer L1L2(float l1 = 0.0f, float l2 = 0.0f);
}  // namespace regularizers

namespace constraints {
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
  Constraint(std::nullptr_t) {}
  Constraint(const char* name);  // "max_norm", "non_neg", "unit_norm", "min_max_norm"
  Constraint(const std::string& name);
  Constraint(std::shared_ptr<constraints::ConstraintImpl> impl) : impl_(std::move(impl)) {}

  explicit operator bool() const { return impl_ != nullptr; }
  void apply(Array& w) const { impl_->apply(w); }
  json to_json() const;
  static Constraint from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<constraints::ConstraintImpl> impl_;
};

namespace constraints {
Constraint MaxNorm(float max_value = 2.0f, int axis = 0);
Constraint NonNeg();
Constraint UnitNorm(int axis = 0);
Constraint MinMaxNorm(float min_value = 0.0f, float max_value = 1.0f, float rate = 1.0f, int axis = 0);
}  // namespace constraints

}  // namespace xkeras
