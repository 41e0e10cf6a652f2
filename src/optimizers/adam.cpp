// Adam (keras/src/optimizers/adam.py). Epsilon is added to the uncorrected sqrt(v) ("epsilon
// hat"), unlike PyTorch's m_hat / (sqrt(v_hat) + eps).
#include <algorithm>
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

AdamImpl::AdamImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, bool amsgrad, BaseOptions base,
                   std::string name)
    : OptimizerImpl(std::move(name), std::move(learning_rate), base), beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon), amsgrad_(amsgrad) {
  if (!std::isfinite(beta_1) || !std::isfinite(beta_2) || !std::isfinite(epsilon))
    throw ValueError("Adam: beta_1, beta_2 and epsilon must be finite floats");
}

std::vector<std::string> AdamImpl::slot_names() const {
  if (amsgrad_) return {"momentum", "velocity", "velocity_hat"};
  return {"momentum", "velocity"};
}

// Keras's build(): momentum and velocity in one add_optimizer_variables call (interleaved per
// variable), then velocity_hat.
std::vector<std::vector<std::size_t>> AdamImpl::slot_groups() const {
  if (amsgrad_) return {{0, 1}, {2}};
  return {{0, 1}};
}

void AdamImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  // t = iterations + 1;  alpha = lr sqrt(1 - b2^t) / (1 - b1^t)
  const float t = static_cast<float>(iterations_ + 1);
  const float alpha = learning_rate_ * std::sqrt(1.0f - std::pow(beta_2_, t)) / (1.0f - std::pow(beta_1_, t));
  const float c1 = 1.0f - beta_1_, c2 = 1.0f - beta_2_, eps = epsilon_;
  // __restrict: the four arrays never overlap, so the loops vectorize without overlap checks.
  float* __restrict wr = w;
  const float* __restrict gr = g;
  float* __restrict m = slots[0];
  float* __restrict v = slots[1];
  if (amsgrad_) {
    float* __restrict vh = slots[2];
    for (std::size_t i = 0; i < n; ++i) {
      m[i] += (gr[i] - m[i]) * c1;          // m = b1 m + (1 - b1) g
      v[i] += (gr[i] * gr[i] - v[i]) * c2;  // v = b2 v + (1 - b2) g^2
      vh[i] = std::max(vh[i], v[i]);        // v_hat = max(v_hat, v), used in place of v
      wr[i] -= alpha * m[i] / (std::sqrt(vh[i]) + eps);
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      m[i] += (gr[i] - m[i]) * c1;
      v[i] += (gr[i] * gr[i] - v[i]) * c2;
      wr[i] -= alpha * m[i] / (std::sqrt(v[i]) + eps);  // w -= alpha m / (sqrt(v) + eps)
    }
  }
}

json AdamImpl::get_config() const {
  json c = base_config();
  c["beta_1"] = config_values::shortest(beta_1_);
  c["beta_2"] = config_values::shortest(beta_2_);
  c["epsilon"] = config_values::shortest(epsilon_);
  c["amsgrad"] = amsgrad_;
  return c;
}

}  // namespace xkeras::optimizers
