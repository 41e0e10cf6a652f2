// Optimizers with Keras's update rules and defaults: SGD (momentum, nesterov), Adam, RMSprop.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xkeras/json.hpp"

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras {


namespace optimizers {

/// Options every Keras optimizer takes (base_optimizer.py). At most one of clipnorm,
/// global_clipnorm and clipvalue may be set (ValueError otherwise, as in Keras).
struct BaseOptions {
  XKERAS_OPTION(std::optional<float>, weight_decay)
  XKERAS_OPTION(std::optional<float>, clipnorm)
  XKERAS_OPTION(std::optional<float>, global_clipnorm)
  XKERAS_OPTION(std::optional<float>, clipvalue)
};

class OptimizerImpl {
 public:
  OptimizerImpl(std::string name, float learning_rate, BaseOptions base);
  virtual ~OptimizerImpl() = default;
  OptimizerImpl(const OptimizerImpl&) = delete;
  OptimizerImpl& operator=(const OptimizerImpl&) = delete;

  /// One step over `vars` using each variable's accumulated grad (variables without a grad
  /// are skipped): clip -> decoupled weight decay -> update_step -> constraint; then iterations += 1.
  /// An empty `vars` is a no-op (Keras: no gradients, no step).
  void apply_gradients(const std::vector<VariablePtr>& vars);

  virtual std::string class_name() const = 0;  // "Adam"
  /// Keras config: name, learning_rate, weight_decay, clipnorm, ... then the optimizer's own keys.
  virtual json get_config() const;
  /// Slot names this optimizer keeps per variable (Adam: momentum, velocity[, velocity_hat]).
  virtual std::vector<std::string> slot_names() const = 0;

  /// {"iterations": n, "variables": {"<variable path>": {"<slot>": {"shape": [...], "data": "<base64 f32 LE>"}}}}.
  /// Throws ValueError if two different variables share one path.
  json get_state() const;
  /// Restores get_state()'s output for `vars` (the model's trainable weights). Every entry must
  /// name one of `vars` and hold exactly this optimizer's slots with the variable's shape;
  /// otherwise ConfigError naming the JSON path (`path` is the state's own path in the file).
  /// Variables absent from the state start with zero slots.
  void set_state(const json& state, const std::vector<VariablePtr>& vars, const std::string& path);

  /// The slots of `v` in slot_names() order (zeros when not made yet): direct access for the file
  /// formats that store slots by position (Keras's optimizer/vars), without get_state's base64.
  std::vector<Array>& slot_arrays(const VariablePtr& v) { return slots_for(v); }
  /// A restored optimizer's step count.
  void set_iterations(std::int64_t n) { iterations_ = n; }

  float learning_rate() const { return learning_rate_; }
  void set_learning_rate(float lr) { learning_rate_ = lr; }
  std::int64_t iterations() const { return iterations_; }
  const std::string& name() const { return name_; }
  void set_name(const std::string& n) { name_ = n; }
  const BaseOptions& base_options() const { return base_; }

 protected:
  /// The rule itself, on raw buffers; `slots` are in slot_names() order. `iterations_` is the
  /// number of steps already applied (Adam's t = iterations_ + 1).
  virtual void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) = 0;
  json base_config() const;

  std::string name_;
  float learning_rate_;
  BaseOptions base_;
  std::int64_t iterations_ = 0;

 private:
  struct Slots {
    std::weak_ptr<Variable> var;  // guards against a new variable reusing a freed address
    std::vector<Array> arrays;    // slot_names() order, each shaped like the variable
  };
  /// The slots of `v`, created as zeros on first use (or when the variable changed shape).
  std::vector<Array>& slots_for(const VariablePtr& v);

  std::map<const Variable*, Slots> slots_;
  std::vector<float> scratch_;      // clipped gradient, reused across steps
  std::vector<float*> slot_ptrs_;   // reused across variables
};

}  // namespace optimizers

/// Value-type optimizer handle; a string gives Keras's defaults ("adam", "sgd", "rmsprop",
/// or the class names "Adam", "SGD", "RMSprop"). Copies share one optimizer (and its state).
class Optimizer {
 public:
  Optimizer(const char* name);  // NOLINT
  Optimizer(const std::string& name);
  Optimizer(std::shared_ptr<optimizers::OptimizerImpl> impl);  // NOLINT
  optimizers::OptimizerImpl* operator->() const { return impl_.get(); }
  const std::shared_ptr<optimizers::OptimizerImpl>& ptr() const { return impl_; }
  /// Keras 3 object: {"module": "keras.optimizers", "class_name", "config", "registered_name": null}.
  json to_json() const;
  /// Reads a Keras object (Keras 3 or tf.keras 2.x layout) or a plain name; errors name `path`.
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
