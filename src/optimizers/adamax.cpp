// Adamax (keras/src/optimizers/adamax.py): Adam with the infinity norm in place of the second moment.
#include <algorithm>
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

AdamaxImpl::AdamaxImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, BaseOptions base)
    : OptimizerImpl("adamax", std::move(learning_rate), base), beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {
  if (!std::isfinite(beta_1) || !std::isfinite(beta_2) || !std::isfinite(epsilon))
    throw ValueError("Adamax: beta_1, beta_2 and epsilon must be finite floats");
}

void AdamaxImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float t = static_cast<float>(iterations_ + 1);
  const float lr = learning_rate_, b1 = beta_1_, b2 = beta_2_, eps = epsilon_;
  const float bias = 1.0f - std::pow(b1, t);  // 1 - b1^t
  float* m = slots[0];
  float* u = slots[1];
  for (std::size_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * (1.0f - b1);         // m = b1 m + (1 - b1) g
    u[i] = std::max(b2 * u[i], std::fabs(g[i]));  // u = max(b2 u, |g|)
    w[i] -= lr * m[i] / (bias * (u[i] + eps));    // w -= lr m / ((1 - b1^t) (u + eps))
  }
}

json AdamaxImpl::get_config() const {
  json c = base_config();
  c["beta_1"] = config_values::shortest(beta_1_);
  c["beta_2"] = config_values::shortest(beta_2_);
  c["epsilon"] = config_values::shortest(epsilon_);
  return c;
}

}  // namespace xkeras::optimizers
