// The concrete optimizers (private: users get them through xkeras::optimizers::SGD/Adam/RMSprop).
#pragma once

#include "xkeras/optimizers.hpp"

namespace xkeras::optimizers {

class SGDImpl : public OptimizerImpl {
 public:
  SGDImpl(float learning_rate, float momentum, bool nesterov, BaseOptions base);
  std::string class_name() const override { return "SGD"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override;

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float momentum_;
  bool nesterov_;
};

class AdamImpl : public OptimizerImpl {
 public:
  AdamImpl(float learning_rate, float beta_1, float beta_2, float epsilon, bool amsgrad, BaseOptions base);
  std::string class_name() const override { return "Adam"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override;

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float beta_1_, beta_2_, epsilon_;
  bool amsgrad_;
};

class RMSpropImpl : public OptimizerImpl {
 public:
  RMSpropImpl(float learning_rate, float rho, float momentum, float epsilon, bool centered, BaseOptions base);
  std::string class_name() const override { return "RMSprop"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override;

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float rho_, momentum_, epsilon_;
  bool centered_;
};

}  // namespace xkeras::optimizers
