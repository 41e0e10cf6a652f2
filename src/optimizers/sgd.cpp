// SGD (keras/src/optimizers/sgd.py): plain, momentum, or Nesterov momentum.
#include <cmath>

#include "optimizers/config_values.hpp"
#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

SGDImpl::SGDImpl(LearningRate learning_rate, float momentum, bool nesterov, BaseOptions base)
    : OptimizerImpl("SGD", learning_rate, base), momentum_(momentum), nesterov_(nesterov) {
  if (!(momentum >= 0.0f && momentum <= 1.0f))
    throw ValueError("SGD: `momentum` must be a float between [0, 1]. Received: momentum=" + std::to_string(momentum));
}

// Keras builds the "momentum" slot only when momentum != 0.
std::vector<std::string> SGDImpl::slot_names() const {
  return momentum_ != 0.0f ? std::vector<std::string>{"momentum"} : std::vector<std::string>{};
}

void SGDImpl::update_step(float* w, const float* g, std::size_t n, std::vector<float*>& slots) {
  const float lr = learning_rate_;
  if (momentum_ == 0.0f) {
    for (std::size_t i = 0; i < n; ++i) w[i] -= lr * g[i];  // w -= lr g
    return;
  }
  float* m = slots[0];
  const float mu = momentum_;
  if (nesterov_) {
    // m = mu m - lr g;  w += mu m - lr g   (with the updated m)
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = mu * m[i] - lr * g[i];
      w[i] += mu * m[i] - lr * g[i];
    }
  } else {
    // m = mu m - lr g;  w += m
    for (std::size_t i = 0; i < n; ++i) {
      m[i] = mu * m[i] - lr * g[i];
      w[i] += m[i];
    }
  }
}

json SGDImpl::get_config() const {
  json c = base_config();
  c["momentum"] = config_values::shortest(momentum_);
  c["nesterov"] = nesterov_;
  return c;
}

}  // namespace xkeras::optimizers
