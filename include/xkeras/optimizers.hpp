// Optimizers with Keras's update rules and defaults: SGD (momentum, nesterov), Adam, RMSprop.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "xkeras/layer.hpp"

namespace xkeras {

using json = nlohmann::json;

namespace optimizers {

/// Options every Keras optimizer takes (base_optimizer.py).
struct BaseOptions {
  std::optional<float> weight_decay;
  std::optional<float> clipnorm;
  std::optional<float> global_clipnorm;
  std::optional<float> clipvalue;
};

class OptimizerImpl {
 public:
  OptimizerImpl(std::string name, float learning_rate, BaseOptions base);
  virtual ~OptimizerImpl() = default;

  /// One step over `vars` using each variable's accumulated grad (variables without a grad
  /// are skipped): clip -> decoupled weight decay -> update_step -> constraint; then iterations += 1.
  void apply_gradients(const std::vector<VariablePtr>& vars);

  virtual std::string class_name() const = 0;  // "Adam"
  /// Keras config: name, learning_rate, weight_decay, clipnorm, ... then the optimizer's own keys.
  virtual json get_config() const;
  /// Slots and iterations, keyed by variable path, for save/resume.
  json get_state() const;
  void set_state(const json& state, const std::vector<VariablePtr>& vars, const std::string& path);

  float learning_rate() const { return learning_rate_; }
  void set_learning_rate(float lr) { learning_rate_ = lr; }
  std::int64_t iterations() const { return iterations_; }
  const std::string& name() const { return name_; }

 protected:
  /// Slot names this optimizer keeps per variable (Adam: momentum, velocity).
  virtual std::vector<std::string> slot_names() const = 0;
  /// The rule itself, on raw buffers; `slots` are in slot_names() order.
  virtual void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) = 0;
  json base_config() const;

  std::string name_;
  float learning_rate_;
  BaseOptions base_;
  std::int64_t iterations_ = 0;
  std::map<const Variable*, std::vector<Array>> slots_;
  std::map<const Variable*, std::string> slot_paths_;
};

}  // namespace optimizers

/// Value-type optimizer handle; a string gives Keras's defaults ("adam", "sgd", "rmsprop").
class Optimizer {
 public:
  Optimizer(const char* name);  // NOLINT
  Optimizer(const std::string& name);
  Optimizer(std::shared_ptr<optimizers::OptimizerImpl> impl) : impl_(std::move(impl)) {}
  optimizers::OptimizerImpl* operator->() const { return impl_.get(); }
  const std::shared_ptr<optimizers::OptimizerImpl>& ptr() const { return impl_; }
  json to_json() const;
  static Optimizer from_json(const json& j, const std::string& path);

 private:
  std::shared_ptr<optimizers::OptimizerImpl> impl_;
};

namespace optimizers {
Optimizer SGD(float learning_rate = 0.01f, float momentum = 0.0f, bool nesterov = false, BaseOptions base = {});
Optimizer Adam(float learning_rate = 0.001f, float beta_1 = 0.9f, float beta_2 = 0.999f, float epsilon = 1e-7f,
               bool amsgrad = false, BaseOptions base = {});
Optimizer RMSprop(float learning_rate = 0.001f, float rho = 0.9f, float momentum = 0.0f, float epsilon = 1e-7f,
                  bool centered = false, BaseOptions base = {});
}  // namespace optimizers

}  // namespace xkeras
