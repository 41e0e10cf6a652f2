// The learning-rate schedules' formulas (keras/src/optimizers/schedules/learning_rate_schedule.py).
// Computed in double; the optimizer rounds the value to float, as it keeps float learning rates
// (Keras computes the schedule itself in float32, which can differ in the last bit).
#include <cmath>

#include "xkeras/errors.hpp"
#include "xkeras/schedules.hpp"

namespace xkeras::optimizers::schedules {

namespace {

constexpr double kPi = 3.14159265358979323846;

void check_finite(double v, const char* arg, const std::string& cls) {
  if (!std::isfinite(v)) throw ValueError(cls + ": argument `" + arg + "` must be a finite number. Received: " + std::to_string(v));
}

void check_positive_steps(double v, const char* arg, const std::string& cls) {
  if (!(v > 0) || !std::isfinite(v))
    throw ValueError(cls + ": argument `" + arg + "` must be > 0. Received: " + arg + "=" + std::to_string(v));
}

// Keras keeps the Python number it was given; a whole step count reads back as an int.
json steps_json(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9007199254740992.0) return json(static_cast<std::int64_t>(v));
  return json(v);
}

// The cosine part shared by CosineDecay and CosineDecayRestarts: (1 - alpha) * 0.5 (1 + cos(pi f)) + alpha.
double cosine(double completed_fraction, double alpha, double factor = 1.0) {
  const double c = 0.5 * factor * (1.0 + std::cos(kPi * completed_fraction));
  return (1.0 - alpha) * c + alpha;
}

}  // namespace

// ---- ExponentialDecay ----------------------------------------------------------------------

ExponentialDecay::ExponentialDecay(double initial_learning_rate, double decay_steps, double decay_rate, bool staircase,
                                   std::string name)
    : initial_(initial_learning_rate), rate_(decay_rate), steps_(decay_steps), staircase_(staircase), name_(std::move(name)) {
  check_finite(initial_, "initial_learning_rate", class_name());
  check_finite(rate_, "decay_rate", class_name());
  check_positive_steps(steps_, "decay_steps", class_name());
}

double ExponentialDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / steps_;
  if (staircase_) p = std::floor(p);
  return initial_ * std::pow(rate_, p);
}

json ExponentialDecay::get_config() const {
  return json{{"initial_learning_rate", initial_}, {"decay_steps", steps_json(steps_)}, {"decay_rate", rate_},
              {"staircase", staircase_}, {"name", name_}};
}

// ---- PiecewiseConstantDecay ----------------------------------------------------------------

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values, std::string name)
    : boundaries_(std::move(boundaries)), values_(std::move(values)), name_(std::move(name)) {
  if (values_.empty() || boundaries_.size() != values_.size() - 1)
    throw ValueError("PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of values. "
                     "Received: " + std::to_string(boundaries_.size()) + " boundaries and " +
                     std::to_string(values_.size()) + " values");
  for (std::size_t i = 0; i < boundaries_.size(); ++i) {
    check_finite(boundaries_[i], "boundaries", class_name());
    if (i > 0 && !(boundaries_[i] > boundaries_[i - 1]))
      throw ValueError("PiecewiseConstantDecay: `boundaries` must be strictly increasing. Received " +
                       std::to_string(boundaries_[i - 1]) + " then " + std::to_string(boundaries_[i]));
  }
  for (double v : values_) check_finite(v, "values", class_name());
}

double PiecewiseConstantDecay::operator()(std::int64_t step) const {
  const double s = static_cast<double>(step);
  for (std::size_t i = 0; i < boundaries_.size(); ++i)
    if (s <= boundaries_[i]) return values_[i];  // a boundary belongs to the interval it closes
  return values_.back();
}

json PiecewiseConstantDecay::get_config() const {
  json b = json::array();
  for (double x : boundaries_) b.push_back(steps_json(x));
  return json{{"boundaries", b}, {"values", values_}, {"name", name_}};
}

// ---- PolynomialDecay -----------------------------------------------------------------------

PolynomialDecay::PolynomialDecay(double initial_learning_rate, double decay_steps, double end_learning_rate, double power,
                                 bool cycle, std::string name)
    : initial_(initial_learning_rate), end_(end_learning_rate), power_(power), steps_(decay_steps), cycle_(cycle),
      name_(std::move(name)) {
  check_finite(initial_, "initial_learning_rate", class_name());
  check_finite(end_, "end_learning_rate", class_name());
  check_finite(power_, "power", class_name());
  check_positive_steps(steps_, "decay_steps", class_name());
}

double PolynomialDecay::operator()(std::int64_t step) const {
  double s = static_cast<double>(step), steps = steps_;
  if (cycle_) {
    // The first multiple of decay_steps not below step (step 0 uses decay_steps itself).
    steps *= s == 0 ? 1.0 : std::ceil(s / steps_);
  } else {
    s = std::min(s, steps);
  }
  return (initial_ - end_) * std::pow(1.0 - s / steps, power_) + end_;
}

json PolynomialDecay::get_config() const {
  return json{{"initial_learning_rate", initial_}, {"decay_steps", steps_json(steps_)}, {"end_learning_rate", end_},
              {"power", power_}, {"cycle", cycle_}, {"name", name_}};
}

// ---- InverseTimeDecay ----------------------------------------------------------------------

InverseTimeDecay::InverseTimeDecay(double initial_learning_rate, double decay_steps, double decay_rate, bool staircase,
                                   std::string name)
    : initial_(initial_learning_rate), rate_(decay_rate), steps_(decay_steps), staircase_(staircase), name_(std::move(name)) {
  check_finite(initial_, "initial_learning_rate", class_name());
  check_finite(rate_, "decay_rate", class_name());
  check_positive_steps(steps_, "decay_steps", class_name());
}

double InverseTimeDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / steps_;
  if (staircase_) p = std::floor(p);
  return initial_ / (1.0 + rate_ * p);
}

json InverseTimeDecay::get_config() const {
  return json{{"initial_learning_rate", initial_}, {"decay_steps", steps_json(steps_)}, {"decay_rate", rate_},
              {"staircase", staircase_}, {"name", name_}};
}

// ---- CosineDecay ---------------------------------------------------------------------------

CosineDecay::CosineDecay(double initial_learning_rate, double decay_steps, double alpha, std::string name,
                         std::optional<double> warmup_target, double warmup_steps)
    : initial_(initial_learning_rate), alpha_(alpha), steps_(decay_steps), name_(std::move(name)),
      warmup_target_(warmup_target), warmup_steps_(warmup_steps) {
  check_finite(initial_, "initial_learning_rate", class_name());
  check_finite(alpha_, "alpha", class_name());
  check_positive_steps(steps_, "decay_steps", class_name());
  if (warmup_target_) check_finite(*warmup_target_, "warmup_target", class_name());
  if (!(warmup_steps_ >= 0) || !std::isfinite(warmup_steps_))
    throw ValueError("CosineDecay: argument `warmup_steps` must be >= 0. Received: warmup_steps=" + std::to_string(warmup_steps_));
}

double CosineDecay::operator()(std::int64_t step) const {
  double s = static_cast<double>(step);
  if (!warmup_target_) return initial_ * cosine(std::min(s, steps_) / steps_, alpha_);
  s = std::min(s, steps_ + warmup_steps_);
  // Linear warmup: initial + (target - initial) * step / warmup_steps.
  if (s < warmup_steps_) return (*warmup_target_ - initial_) * (s / warmup_steps_) + initial_;
  return *warmup_target_ * cosine((s - warmup_steps_) / steps_, alpha_);
}

json CosineDecay::get_config() const {
  return json{{"initial_learning_rate", initial_},
              {"decay_steps", steps_json(steps_)},
              {"alpha", alpha_},
              {"name", name_},
              {"warmup_target", warmup_target_ ? json(*warmup_target_) : json(nullptr)},
              {"warmup_steps", steps_json(warmup_steps_)}};
}

// ---- CosineDecayRestarts -------------------------------------------------------------------

CosineDecayRestarts::CosineDecayRestarts(double initial_learning_rate, double first_decay_steps, double t_mul, double m_mul,
                                         double alpha, std::string name)
    : initial_(initial_learning_rate), t_mul_(t_mul), m_mul_(m_mul), alpha_(alpha), steps_(first_decay_steps),
      name_(std::move(name)) {
  check_finite(initial_, "initial_learning_rate", class_name());
  check_finite(t_mul_, "t_mul", class_name());
  check_finite(m_mul_, "m_mul", class_name());
  check_finite(alpha_, "alpha", class_name());
  check_positive_steps(steps_, "first_decay_steps", class_name());
  // t_mul <= 0 makes the period lengths non-positive (Keras would produce NaN).
  if (!(t_mul_ > 0)) throw ValueError("CosineDecayRestarts: argument `t_mul` must be > 0. Received: t_mul=" + std::to_string(t_mul_));
}

double CosineDecayRestarts::operator()(std::int64_t step) const {
  double fraction = static_cast<double>(step) / steps_;
  double i_restart;
  if (t_mul_ == 1.0) {
    i_restart = std::floor(fraction);
    fraction -= i_restart;
  } else {
    // Periods grow geometrically: period i starts at (1 - t^i) / (1 - t) first periods and lasts t^i.
    i_restart = std::floor(std::log(1.0 - fraction * (1.0 - t_mul_)) / std::log(t_mul_));
    const double sum_r = (1.0 - std::pow(t_mul_, i_restart)) / (1.0 - t_mul_);
    fraction = (fraction - sum_r) / std::pow(t_mul_, i_restart);
  }
  return initial_ * cosine(fraction, alpha_, std::pow(m_mul_, i_restart));
}

json CosineDecayRestarts::get_config() const {
  return json{{"initial_learning_rate", initial_}, {"first_decay_steps", steps_json(steps_)},
              {"t_mul", t_mul_}, {"m_mul", m_mul_}, {"alpha", alpha_}, {"name", name_}};
}

}  // namespace xkeras::optimizers::schedules
