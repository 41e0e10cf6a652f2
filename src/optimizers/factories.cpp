// The public factories of xkeras/optimizers.hpp: each wraps its rule in the Optimizer handle.
#include "optimizers/rules.hpp"

namespace xkeras::optimizers {

namespace {

template <class Impl, class... Args>
Optimizer make(Args&&... args) {
  return Optimizer(std::make_shared<Impl>(std::forward<Args>(args)...));
}

}  // namespace

Optimizer SGD(LearningRate lr, float momentum, bool nesterov, BaseOptions base) {
  return make<SGDImpl>(std::move(lr), momentum, nesterov, base);
}

Optimizer Adam(LearningRate lr, float beta_1, float beta_2, float epsilon, bool amsgrad, BaseOptions base) {
  return make<AdamImpl>(std::move(lr), beta_1, beta_2, epsilon, amsgrad, base);
}

Optimizer AdamW(LearningRate lr, float weight_decay, float beta_1, float beta_2, float epsilon, bool amsgrad,
                BaseOptions base) {
  return make<AdamWImpl>(std::move(lr), weight_decay, beta_1, beta_2, epsilon, amsgrad, base);
}

Optimizer RMSprop(LearningRate lr, float rho, float momentum, float epsilon, bool centered, BaseOptions base) {
  return make<RMSpropImpl>(std::move(lr), rho, momentum, epsilon, centered, base);
}

Optimizer Adagrad(LearningRate lr, float initial_accumulator_value, float epsilon, BaseOptions base) {
  return make<AdagradImpl>(std::move(lr), initial_accumulator_value, epsilon, base);
}

Optimizer Adadelta(LearningRate lr, float rho, float epsilon, BaseOptions base) {
  return make<AdadeltaImpl>(std::move(lr), rho, epsilon, base);
}

Optimizer Adamax(LearningRate lr, float beta_1, float beta_2, float epsilon, BaseOptions base) {
  return make<AdamaxImpl>(std::move(lr), beta_1, beta_2, epsilon, base);
}

Optimizer Nadam(LearningRate lr, float beta_1, float beta_2, float epsilon, BaseOptions base) {
  return make<NadamImpl>(std::move(lr), beta_1, beta_2, epsilon, base);
}

Optimizer Lion(LearningRate lr, float beta_1, float beta_2, BaseOptions base) {
  return make<LionImpl>(std::move(lr), beta_1, beta_2, base);
}

Optimizer Ftrl(LearningRate lr, FtrlOptions options, BaseOptions base) {
  return make<FtrlImpl>(std::move(lr), options, base);
}

}  // namespace xkeras::optimizers
