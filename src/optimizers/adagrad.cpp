// Adagrad (keras/src/optimizers/adagrad.py). The accumulator starts at initial_accumulator_value and
// epsilon sits inside the square root.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

AdagradImpl::AdagradImpl(LearningRate learning_rate, float initial_accumulator_value, float epsilon, BaseOptions base)
    : OptimizerImpl("adagrad", std::move(learning_rate), base), initial_accumulator_value_(initial_accumulator_value),
      epsilon_(epsilon) {
  if (!std::isfinite(initial_accumulator_value) || !std::isfinite(epsilon))
    throw ValueError("Adagrad: initial_accumulator_value and epsilon must be finite floats");
}

void AdagradImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_, eps = epsilon_;
  float* acc = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    acc[i] += g[i] * g[i];                        // acc += g^2
    w[i] -= lr * g[i] / std::sqrt(acc[i] + eps);  // w -= lr g / sqrt(acc + eps)
  }
}

json AdagradImpl::get_config() const {
  json c = base_config();
  c["initial_accumulator_value"] = config_values::shortest(initial_accumulator_value_);
  c["epsilon"] = config_values::shortest(epsilon_);
  return c;
}

}  // namespace xkeras::optimizers
