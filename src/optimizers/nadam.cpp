// Nadam (keras/src/optimizers/nadam.py): Adam with Nesterov momentum and Dozat's momentum schedule
// u_t = b1 (1 - 0.5 * 0.96^t). The running product of the u_t is optimizer-wide state ("u_product",
// a scalar after the slots in Keras's variable list), advanced once per step before the updates.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

NadamImpl::NadamImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, BaseOptions base)
    : OptimizerImpl("nadam", std::move(learning_rate), base), beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {
  if (!std::isfinite(beta_1) || !std::isfinite(beta_2) || !std::isfinite(epsilon))
    throw ValueError("Nadam: beta_1, beta_2 and epsilon must be finite floats");
  scalars_ = initial_scalars();
}

void NadamImpl::begin_step() {
  // u_product *= b1 (1 - 0.5 * 0.96^(iterations + 1))
  const float t = static_cast<float>(iterations_ + 1);
  scalars_[0] = scalars_[0] * beta_1_ * (1.0f - 0.5f * std::pow(0.96f, t));
}

void NadamImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float t = static_cast<float>(iterations_ + 1), t1 = static_cast<float>(iterations_ + 2);
  const float b1 = beta_1_, b2 = beta_2_, eps = epsilon_, lr = learning_rate_;
  const float u_t = b1 * (1.0f - 0.5f * std::pow(0.96f, t));
  const float u_t1 = b1 * (1.0f - 0.5f * std::pow(0.96f, t1));
  const float u_prod = scalars_[0];  // already includes u_t
  const float u_prod1 = u_prod * u_t1;
  const float b2_pow = std::pow(b2, t);
  float* m = slots[0];
  float* v = slots[1];
  for (std::size_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * (1.0f - b1);         // m = b1 m + (1 - b1) g
    v[i] += (g[i] * g[i] - v[i]) * (1.0f - b2);  // v = b2 v + (1 - b2) g^2
    // m_hat = u_{t+1} m / (1 - prod_{t+1}) + (1 - u_t) g / (1 - prod_t);  v_hat = v / (1 - b2^t)
    const float m_hat = u_t1 * m[i] / (1.0f - u_prod1) + (1.0f - u_t) * g[i] / (1.0f - u_prod);
    const float v_hat = v[i] / (1.0f - b2_pow);
    w[i] -= m_hat * lr / (std::sqrt(v_hat) + eps);
  }
}

json NadamImpl::get_config() const {
  json c = base_config();
  c["beta_1"] = config_values::shortest(beta_1_);
  c["beta_2"] = config_values::shortest(beta_2_);
  c["epsilon"] = config_values::shortest(epsilon_);
  return c;
}

}  // namespace xkeras::optimizers
