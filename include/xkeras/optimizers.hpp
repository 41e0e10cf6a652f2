// Optimizers with Keras's update rules and defaults: SGD (momentum, nesterov), Adam, AdamW, RMSprop,
// Adagrad, Adadelta, Adamax, Nadam, Lion and Ftrl. Each takes a number or a learning-rate schedule.
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
#include "xkeras/schedules.hpp"

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
  OptimizerImpl(std::string name, LearningRate learning_rate, BaseOptions base);
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
  /// The value a fresh slot starts at (Adagrad's and Ftrl's accumulators: initial_accumulator_value).
  virtual float slot_initial_value(std::size_t /*slot*/) const { return 0.0f; }
  /// How Keras's build() orders the slots in its variable list (and so in .keras files): groups of
  /// slot indices; one group's slots are interleaved per variable (add_optimizer_variables with a
  /// list of names), the groups follow one another. Default: each slot its own group.
  virtual std::vector<std::vector<std::size_t>> slot_groups() const;
  /// Optimizer-wide float state besides iterations, kept after the slots in Keras's list (Nadam's
  /// u_product). scalars() holds the values in this order.
  virtual std::vector<std::string> scalar_names() const { return {}; }
  virtual std::vector<float> initial_scalars() const { return {}; }
  std::vector<float>& scalars() { return scalars_; }

  /// {"iterations": n, "variables": {"<variable path>": {"<slot>": {"shape": [...], "data": "<base64 f32 LE>"}}}}.
  /// Throws ValueError if two different variables share one path.
  json get_state() const;
  /// Restores get_state()'s output for `vars` (the model's trainable weights). Every entry must
  /// name one of `vars` and hold exactly this optimizer's slots with the variable's shape;
  /// otherwise ConfigError naming the JSON path (`path` is the state's own path in the file).
  /// Variables absent from the state start with fresh slots; a state without "scalars" starts them fresh.
  void set_state(const json& state, const std::vector<VariablePtr>& vars, const std::string& path);

  /// The slots of `v` in slot_names() order (fresh slots when not made yet): direct access for the file
  /// formats that store slots by position (Keras's optimizer/vars), without get_state's base64.
  std::vector<Array>& slot_arrays(const VariablePtr& v) { return slots_for(v); }
  /// A restored optimizer's step count.
  void set_iterations(std::int64_t n) { iterations_ = n; }

  /// The current learning rate: the schedule's value at iterations() when there is one.
  float learning_rate() const;
  /// Throws ValueError when a schedule is set (as Keras refuses to overwrite one).
  void set_learning_rate(float lr);
  bool has_schedule() const { return schedule_ != nullptr; }
  const schedules::SchedulePtr& schedule() const { return schedule_; }
  std::int64_t iterations() const { return iterations_; }
  const std::string& name() const { return name_; }
  void set_name(const std::string& n) { name_ = n; }
  const BaseOptions& base_options() const { return base_; }

 protected:
  /// The rule itself, on raw buffers; `slots` are in slot_names() order. `iterations_` is the
  /// number of steps already applied (Adam's t = iterations_ + 1).
  virtual void update_step(float* var, const float* grad, std::size_t n, std::vector<float*>& slots) = 0;
  /// Called once per apply_gradients that has a gradient, after weight decay and before the first
  /// update_step (Nadam advances u_product here).
  virtual void begin_step() {}
  json base_config() const;

  std::string name_;
  float learning_rate_;  // during apply_gradients: the rate of this step (the schedule's value)
  schedules::SchedulePtr schedule_;
  std::vector<float> scalars_;  // scalar_names() order; a subclass's constructor sets initial_scalars()
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

/// Value-type optimizer handle; a string gives Keras's defaults ("adam", "adamw", "sgd", "rmsprop",
/// "adagrad", "adadelta", "adamax", "nadam", "lion", "ftrl", or the class names "Adam", "AdamW", ...). Copies share one optimizer (and its state).
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

/// Ftrl's own arguments (keras/src/optimizers/ftrl.py), settable in any order with with_<field>().
struct FtrlOptions {
  XKERAS_OPTION(float, learning_rate_power, -0.5f)
  XKERAS_OPTION(float, initial_accumulator_value, 0.1f)
  XKERAS_OPTION(float, l1_regularization_strength, 0.0f)
  XKERAS_OPTION(float, l2_regularization_strength, 0.0f)
  XKERAS_OPTION(float, l2_shrinkage_regularization_strength, 0.0f)
  XKERAS_OPTION(float, beta, 0.0f)
};

Optimizer SGD(LearningRate learning_rate = 0.01, float momentum = 0.0f, bool nesterov = false, BaseOptions base = {});
Optimizer Adam(LearningRate learning_rate = 0.001, float beta_1 = 0.9f, float beta_2 = 0.999f, float epsilon = 1e-7f,
               bool amsgrad = false, BaseOptions base = {});
/// Adam with decoupled weight decay; `weight_decay` replaces base.weight_decay.
Optimizer AdamW(LearningRate learning_rate = 0.001, float weight_decay = 0.004f, float beta_1 = 0.9f,
                float beta_2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false, BaseOptions base = {});
Optimizer RMSprop(LearningRate learning_rate = 0.001, float rho = 0.9f, float momentum = 0.0f, float epsilon = 1e-7f,
                  bool centered = false, BaseOptions base = {});
Optimizer Adagrad(LearningRate learning_rate = 0.001, float initial_accumulator_value = 0.1f, float epsilon = 1e-7f,
                  BaseOptions base = {});
Optimizer Adadelta(LearningRate learning_rate = 0.001, float rho = 0.95f, float epsilon = 1e-7f, BaseOptions base = {});
Optimizer Adamax(LearningRate learning_rate = 0.001, float beta_1 = 0.9f, float beta_2 = 0.999f, float epsilon = 1e-7f,
                 BaseOptions base = {});
Optimizer Nadam(LearningRate learning_rate = 0.001, float beta_1 = 0.9f, float beta_2 = 0.999f, float epsilon = 1e-7f,
                BaseOptions base = {});
Optimizer Lion(LearningRate learning_rate = 0.001, float beta_1 = 0.9f, float beta_2 = 0.99f, BaseOptions base = {});
Optimizer Ftrl(LearningRate learning_rate = 0.001, FtrlOptions options = {}, BaseOptions base = {});

}  // namespace optimizers

}  // namespace xkeras
