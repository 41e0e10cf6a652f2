// The concrete optimizers (private: users get them through the factories in xkeras/optimizers.hpp).
#pragma once

#include "xkeras/optimizers.hpp"

namespace xkeras::optimizers {

class SGDImpl : public OptimizerImpl {
 public:
  SGDImpl(LearningRate learning_rate, float momentum, bool nesterov, BaseOptions base);
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
  AdamImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, bool amsgrad, BaseOptions base,
           std::string name = "adam");
  std::string class_name() const override { return "Adam"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override;
  std::vector<std::vector<std::size_t>> slot_groups() const override;  // momentum/velocity interleaved

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float beta_1_, beta_2_, epsilon_;
  bool amsgrad_;
};

class RMSpropImpl : public OptimizerImpl {
 public:
  RMSpropImpl(LearningRate learning_rate, float rho, float momentum, float epsilon, bool centered, BaseOptions base);
  std::string class_name() const override { return "RMSprop"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override;

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float rho_, momentum_, epsilon_;
  bool centered_;
};

/// AdamW is Adam whose weight_decay is required (keras/src/optimizers/adamw.py).
class AdamWImpl : public AdamImpl {
 public:
  AdamWImpl(LearningRate learning_rate, float weight_decay, float beta_1, float beta_2, float epsilon, bool amsgrad,
            BaseOptions base);
  std::string class_name() const override { return "AdamW"; }
};

class AdagradImpl : public OptimizerImpl {
 public:
  AdagradImpl(LearningRate learning_rate, float initial_accumulator_value, float epsilon, BaseOptions base);
  std::string class_name() const override { return "Adagrad"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"accumulator"}; }
  float slot_initial_value(std::size_t) const override { return initial_accumulator_value_; }

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float initial_accumulator_value_, epsilon_;
};

class AdadeltaImpl : public OptimizerImpl {
 public:
  AdadeltaImpl(LearningRate learning_rate, float rho, float epsilon, BaseOptions base);
  std::string class_name() const override { return "Adadelta"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"accumulated_grad", "accumulated_delta_var"}; }
  std::vector<std::vector<std::size_t>> slot_groups() const override { return {{0, 1}}; }

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float rho_, epsilon_;
};

class AdamaxImpl : public OptimizerImpl {
 public:
  AdamaxImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, BaseOptions base);
  std::string class_name() const override { return "Adamax"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"momentum", "norm"}; }
  std::vector<std::vector<std::size_t>> slot_groups() const override { return {{0, 1}}; }

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float beta_1_, beta_2_, epsilon_;
};

class NadamImpl : public OptimizerImpl {
 public:
  NadamImpl(LearningRate learning_rate, float beta_1, float beta_2, float epsilon, BaseOptions base);
  std::string class_name() const override { return "Nadam"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"momentum", "velocity"}; }
  std::vector<std::vector<std::size_t>> slot_groups() const override { return {{0, 1}}; }
  std::vector<std::string> scalar_names() const override { return {"u_product"}; }
  std::vector<float> initial_scalars() const override { return {1.0f}; }

 protected:
  void begin_step() override;
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float beta_1_, beta_2_, epsilon_;
};

class LionImpl : public OptimizerImpl {
 public:
  LionImpl(LearningRate learning_rate, float beta_1, float beta_2, BaseOptions base);
  std::string class_name() const override { return "Lion"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"momentum"}; }

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  float beta_1_, beta_2_;
};

class FtrlImpl : public OptimizerImpl {
 public:
  FtrlImpl(LearningRate learning_rate, FtrlOptions options, BaseOptions base);
  std::string class_name() const override { return "Ftrl"; }
  json get_config() const override;
  std::vector<std::string> slot_names() const override { return {"accumulator", "linear"}; }
  float slot_initial_value(std::size_t slot) const override { return slot == 0 ? o_.initial_accumulator_value : 0.0f; }
  std::vector<std::vector<std::size_t>> slot_groups() const override { return {{0, 1}}; }

 protected:
  void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) override;

 private:
  FtrlOptions o_;
};

}  // namespace xkeras::optimizers
