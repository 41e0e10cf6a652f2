// Learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py): the learning
// rate as a function of the optimizer's step count. Pass one where an optimizer takes a learning rate:
//   optimizers::Adam(schedules::ExponentialDecay(0.1, 1000, 0.96))
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "xkeras/json.hpp"

namespace xkeras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  /// The learning rate at optimizer step `step` (the optimizer's iterations() before the update).
  virtual double operator()(std::int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  /// Keras's get_config(): the constructor's arguments, in Keras's key order. Step counts are
  /// doubles as in Keras (which takes any Python number) and are written as integers when whole.
  virtual json get_config() const = 0;
};

using SchedulePtr = std::shared_ptr<const LearningRateSchedule>;

/// initial_learning_rate * decay_rate ^ (step / decay_steps); the exponent floored when staircase.
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate, bool staircase = false,
                   std::string name = "ExponentialDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  json get_config() const override;

 private:
  double initial_, rate_;
  double steps_;
  bool staircase_;
  std::string name_;
};

/// values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i],
/// values.back() after the last boundary.
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values,
                         std::string name = "PiecewiseConstant");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  json get_config() const override;

 private:
  std::vector<double> boundaries_, values_;
  std::string name_;
};

/// (initial - end) * (1 - step / decay_steps) ^ power + end, step capped at decay_steps; with
/// cycle, decay_steps grows to the first multiple of itself not below step.
class PolynomialDecay : public LearningRateSchedule {
 public:
  PolynomialDecay(double initial_learning_rate, double decay_steps, double end_learning_rate = 0.0001,
                  double power = 1.0, bool cycle = false, std::string name = "PolynomialDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PolynomialDecay"; }
  json get_config() const override;

 private:
  double initial_, end_, power_;
  double steps_;
  bool cycle_;
  std::string name_;
};

/// initial / (1 + decay_rate * step / decay_steps); the ratio floored when staircase.
class InverseTimeDecay : public LearningRateSchedule {
 public:
  InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate, bool staircase = false,
                   std::string name = "InverseTimeDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }
  json get_config() const override;

 private:
  double initial_, rate_;
  double steps_;
  bool staircase_;
  std::string name_;
};

/// Optional linear warmup from initial_learning_rate to warmup_target over warmup_steps, then a
/// cosine decay over decay_steps from warmup_target (or initial_learning_rate) to alpha times it.
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(double initial_learning_rate, double decay_steps, double alpha = 0.0,
              std::string name = "CosineDecay", std::optional<double> warmup_target = std::nullopt,
              double warmup_steps = 0);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  json get_config() const override;

 private:
  double initial_, alpha_;
  double steps_;
  std::string name_;
  std::optional<double> warmup_target_;
  double warmup_steps_;
};

/// SGDR: cosine decay periods of first_decay_steps * t_mul^i steps, the i-th starting at
/// m_mul^i times the initial learning rate.
class CosineDecayRestarts : public LearningRateSchedule {
 public:
  CosineDecayRestarts(double initial_learning_rate, double first_decay_steps, double t_mul = 2.0,
                      double m_mul = 1.0, double alpha = 0.0, std::string name = "SGDRDecay");
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecayRestarts"; }
  json get_config() const override;

 private:
  double initial_, t_mul_, m_mul_, alpha_;
  double steps_;
  std::string name_;
};

/// Keras 3's object: {"module": "keras.optimizers.schedules", "class_name", "config", "registered_name": null}.
json serialize(const LearningRateSchedule& schedule);
/// Reads serialize()'s output or tf.keras 2.x's {"class_name", "config"}; errors are ConfigErrors naming `path`.
SchedulePtr deserialize(const json& j, const std::string& path);

}  // namespace xkeras::optimizers::schedules

namespace xkeras::optimizers {

/// An optimizer's learning rate: a number or a schedule, so both `Adam(1e-3)` and
/// `Adam(schedules::CosineDecay(0.1, 1000))` read like Keras.
struct LearningRate {
  LearningRate(double value) : value(value) {}  // NOLINT: implicit on purpose
  LearningRate(schedules::SchedulePtr s) : schedule(std::move(s)) {}  // NOLINT
  template <class S, std::enable_if_t<std::is_base_of_v<schedules::LearningRateSchedule, S>, int> = 0>
  LearningRate(S s) : schedule(std::make_shared<const S>(std::move(s))) {}  // NOLINT

  double value = 0.0;             // used when `schedule` is null
  schedules::SchedulePtr schedule;
};

}  // namespace xkeras::optimizers
