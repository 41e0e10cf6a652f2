// Adadelta (keras/src/optimizers/adadelta.py), with Keras's learning rate multiplying the step.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

AdadeltaImpl::AdadeltaImpl(LearningRate learning_rate, float rho, float epsilon, BaseOptions base)
    : OptimizerImpl("adadelta", std::move(learning_rate), base), rho_(rho), epsilon_(epsilon) {
  if (!std::isfinite(rho) || !std::isfinite(epsilon)) throw ValueError("Adadelta: rho and epsilon must be finite floats");
}

void AdadeltaImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_, rho = rho_, eps = epsilon_;
  float* acc_g = slots[0];
  float* acc_d = slots[1];
  for (std::size_t i = 0; i < n; ++i) {
    acc_g[i] = rho * acc_g[i] + (1.0f - rho) * (g[i] * g[i]);  // E[g^2] = rho E[g^2] + (1 - rho) g^2
    // delta = -sqrt(E[dx^2] + eps) g / sqrt(E[g^2] + eps), with E[dx^2] from before this step
    const float delta = -(std::sqrt(acc_d[i] + eps) * g[i]) / std::sqrt(acc_g[i] + eps);
    acc_d[i] = rho * acc_d[i] + (1.0f - rho) * (delta * delta);
    w[i] += lr * delta;
  }
}

json AdadeltaImpl::get_config() const {
  json c = base_config();
  c["rho"] = config_values::shortest(rho_);
  c["epsilon"] = config_values::shortest(epsilon_);
  return c;
}

}  // namespace xkeras::optimizers
