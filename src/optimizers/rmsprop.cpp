// RMSprop (keras/src/optimizers/rmsprop.py). Epsilon sits inside the square root.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

RMSpropImpl::RMSpropImpl(LearningRate learning_rate, float rho, float momentum, float epsilon, bool centered, BaseOptions base)
    : OptimizerImpl("rmsprop", learning_rate, base), rho_(rho), momentum_(momentum), epsilon_(epsilon), centered_(centered) {
  if (!std::isfinite(rho) || !std::isfinite(momentum) || !std::isfinite(epsilon))
    throw ValueError("RMSprop: rho, momentum and epsilon must be finite floats");
}

// Keras's slot names: velocity, then momentum (only if momentum > 0), then average_gradient (centered).
std::vector<std::string> RMSpropImpl::slot_names() const {
  std::vector<std::string> s{"velocity"};
  if (momentum_ > 0) s.push_back("momentum");
  if (centered_) s.push_back("average_gradient");
  return s;
}

void RMSpropImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_, rho = rho_, eps = epsilon_, mu = momentum_;
  float* v = slots[0];
  float* mom = mu > 0 ? slots[1] : nullptr;
  float* avg = centered_ ? slots[mu > 0 ? 2 : 1] : nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    v[i] = rho * v[i] + (1.0f - rho) * g[i] * g[i];  // v = rho v + (1 - rho) g^2
    float denom = v[i] + eps;
    if (avg) {
      avg[i] = rho * avg[i] + (1.0f - rho) * g[i];  // a = rho a + (1 - rho) g
      denom = v[i] - avg[i] * avg[i] + eps;         // centered: v - a^2 + eps
    }
    const float inc = lr * g[i] / std::sqrt(denom);
    if (mom) {
      mom[i] = mu * mom[i] + inc;
      w[i] -= mom[i];
    } else {
      w[i] -= inc;
    }
  }
}

json RMSpropImpl::get_config() const {
  json c = base_config();
  c["rho"] = config_values::shortest(rho_);
  c["momentum"] = config_values::shortest(momentum_);
  c["epsilon"] = config_values::shortest(epsilon_);
  c["centered"] = centered_;
  return c;
}

}  // namespace xkeras::optimizers
