// Ftrl (keras/src/optimizers/ftrl.py): follow the regularized leader, with L1, L2, L2-shrinkage and
// beta. The variable's new value is the closed-form minimizer, not an increment.
#include <algorithm>
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

namespace {

void non_negative(float v, const char* arg) {
  if (!(v >= 0.0f) || !std::isfinite(v))
    throw ValueError(std::string("Ftrl: `") + arg + "` needs to be positive or zero. Received: " + arg + "=" +
                     config_values::repr(v) + ".");
}

}  // namespace

FtrlImpl::FtrlImpl(LearningRate learning_rate, FtrlOptions options, BaseOptions base)
    : OptimizerImpl("ftrl", std::move(learning_rate), base), o_(options) {
  non_negative(o_.initial_accumulator_value, "initial_accumulator_value");
  if (!(o_.learning_rate_power <= 0.0f) || !std::isfinite(o_.learning_rate_power))
    throw ValueError("Ftrl: `learning_rate_power` needs to be negative or zero. Received: learning_rate_power=" +
                     config_values::repr(o_.learning_rate_power) + ".");
  non_negative(o_.l1_regularization_strength, "l1_regularization_strength");
  non_negative(o_.l2_regularization_strength, "l2_regularization_strength");
  non_negative(o_.l2_shrinkage_regularization_strength, "l2_shrinkage_regularization_strength");
  if (!std::isfinite(o_.beta)) throw ValueError("Ftrl: `beta` must be a finite float");
}

void FtrlImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_, p = -o_.learning_rate_power, l1 = o_.l1_regularization_strength;
  const float l2 = o_.l2_regularization_strength + o_.beta / (2.0f * lr);
  const float shrink = 2.0f * o_.l2_shrinkage_regularization_strength;
  float* accum = slots[0];
  float* linear = slots[1];
  for (std::size_t i = 0; i < n; ++i) {
    const float new_accum = accum[i] + g[i] * g[i];
    const float new_pow = std::pow(new_accum, p);
    // linear += g + 2 l2_shrinkage w - (new_accum^-p - accum^-p) / lr * w   (p = learning_rate_power)
    linear[i] += (g[i] + shrink * w[i]) - (new_pow - std::pow(accum[i], p)) / lr * w[i];
    const float quadratic = new_pow / lr + 2.0f * l2;
    const float clipped = std::min(std::max(linear[i], -l1), l1);
    w[i] = (clipped - linear[i]) / quadratic;  // w = (clip(linear, -l1, l1) - linear) / quadratic
    accum[i] = new_accum;
  }
}

json FtrlImpl::get_config() const {
  using config_values::shortest;
  json c = base_config();
  c["learning_rate_power"] = shortest(o_.learning_rate_power);
  c["initial_accumulator_value"] = shortest(o_.initial_accumulator_value);
  c["l1_regularization_strength"] = shortest(o_.l1_regularization_strength);
  c["l2_regularization_strength"] = shortest(o_.l2_regularization_strength);
  c["l2_shrinkage_regularization_strength"] = shortest(o_.l2_shrinkage_regularization_strength);
  c["beta"] = shortest(o_.beta);
  return c;
}

}  // namespace xkeras::optimizers
