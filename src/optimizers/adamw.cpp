// AdamW (keras/src/optimizers/adamw.py): Adam's rule with the base class's decoupled weight decay,
// var -= var * weight_decay * lr before each update, which Keras makes mandatory here.
#include <cmath>

#include "optimizers/rules.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::optimizers {

namespace {

BaseOptions with_decay(BaseOptions base, float weight_decay) {
  if (!std::isfinite(weight_decay))
    throw ValueError("AdamW: argument `weight_decay` must be a float. Received: weight_decay=" + std::to_string(weight_decay));
  base.weight_decay = weight_decay;
  return base;
}

}  // namespace

AdamWImpl::AdamWImpl(LearningRate learning_rate, float weight_decay, float beta_1, float beta_2, float epsilon,
                     bool amsgrad, BaseOptions base)
    : AdamImpl(std::move(learning_rate), beta_1, beta_2, epsilon, amsgrad, with_decay(base, weight_decay), "adamw") {}

}  // namespace xkeras::optimizers
