// Lion (keras/src/optimizers/lion.py): the sign of an interpolation of momentum and gradient.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

LionImpl::LionImpl(LearningRate learning_rate, float beta_1, float beta_2, BaseOptions base)
    : OptimizerImpl("lion", std::move(learning_rate), base), beta_1_(beta_1), beta_2_(beta_2) {
  if (!(beta_1 > 0.0f && beta_1 <= 1.0f))
    throw ValueError("Lion: argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to "
                     "SignSGD. Received: beta_1=" + config_values::repr(beta_1) + ".");
  if (!std::isfinite(beta_2)) throw ValueError("Lion: beta_2 must be a finite float");
}

void LionImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_, b1 = beta_1_, b2 = beta_2_;
  float* m = slots[0];
  for (std::size_t i = 0; i < n; ++i) {
    const float c = m[i] * b1 + g[i] * (1.0f - b1);
    const float sign = static_cast<float>((c > 0.0f) - (c < 0.0f));  // sign(0) = 0, as ops.sign
    w[i] -= lr * sign;                       // w -= lr sign(b1 m + (1 - b1) g)
    m[i] = m[i] * b2 + g[i] * (1.0f - b2);   // m = b2 m + (1 - b2) g
  }
}

json LionImpl::get_config() const {
  json c = base_config();
  c["beta_1"] = config_values::shortest(beta_1_);
  c["beta_2"] = config_values::shortest(beta_2_);
  return c;
}

}  // namespace xkeras::optimizers
