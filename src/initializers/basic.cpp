// Zeros, Ones, Constant, RandomNormal, TruncatedNormal, RandomUniform with Keras 3's configs.
#include <cmath>

#include "initializers/draw.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::initializers {

namespace {

class ConstantInit : public InitializerImpl {
 public:
  ConstantInit(std::string cls, float v) : cls_(std::move(cls)), v_(v) {}
  Array operator()(const Shape& shape) const override {
    Array a = Array::from_shape(shape);
    a.fill(v_);
    return a;
  }
  std::string class_name() const override { return cls_; }
  json get_config() const override { return cls_ == "Constant" ? json{{"value", v_}} : json::object(); }

 private:
  std::string cls_;
  float v_;
};

// RandomNormal, or TruncatedNormal: re-drawn beyond two stddevs, not rescaled (unlike VarianceScaling).
class NormalInit : public InitializerImpl {
 public:
  NormalInit(std::string cls, float mean, float stddev, bool truncated, std::optional<std::uint64_t> seed)
      : cls_(std::move(cls)), mean_(mean), stddev_(stddev), truncated_(truncated), seed_(seed) {}
  Array operator()(const Shape& shape) const override {
    std::normal_distribution<float> n(0.0f, 1.0f);
    return detail::draw(shape, seed_, [&](auto& rng) {
      return mean_ + stddev_ * (truncated_ ? detail::truncated_standard_normal(n, rng) : n(rng));
    });
  }
  std::string class_name() const override { return cls_; }
  // Keras >= 3.6 order; 3.0-3.5 and tf.keras put seed last (any order reads back).
  json get_config() const override { return {{"seed", detail::seed_json(seed_)}, {"mean", mean_}, {"stddev", stddev_}}; }

 private:
  std::string cls_;
  float mean_, stddev_;
  bool truncated_;
  std::optional<std::uint64_t> seed_;
};

class UniformInit : public InitializerImpl {
 public:
  UniformInit(float lo, float hi, std::optional<std::uint64_t> seed) : lo_(lo), hi_(hi), seed_(seed) {}
  Array operator()(const Shape& shape) const override {
    std::uniform_real_distribution<float> u(lo_, hi_);
    return detail::draw(shape, seed_, [&](auto& rng) { return u(rng); });
  }
  std::string class_name() const override { return "RandomUniform"; }
  json get_config() const override { return {{"seed", detail::seed_json(seed_)}, {"minval", lo_}, {"maxval", hi_}}; }

 private:
  float lo_, hi_;
  std::optional<std::uint64_t> seed_;
};

void require_finite(const char* who, const char* what, float v) {
  if (!std::isfinite(v)) throw ValueError(std::string(who) + ": " + what + " must be finite, got " + std::to_string(v));
}

void check_normal(const char* who, float mean, float stddev) {
  require_finite(who, "mean", mean);
  require_finite(who, "stddev", stddev);
  if (stddev < 0) throw ValueError(std::string(who) + ": stddev must be non-negative, got " + std::to_string(stddev));
}

}  // namespace

Initializer Zeros() { return Initializer(std::make_shared<ConstantInit>("Zeros", 0.0f)); }
Initializer Ones() { return Initializer(std::make_shared<ConstantInit>("Ones", 1.0f)); }
Initializer Constant(float v) {
  require_finite("Constant", "value", v);
  return Initializer(std::make_shared<ConstantInit>("Constant", v));
}
Initializer RandomNormal(float m, float s, std::optional<std::uint64_t> seed) {
  check_normal("RandomNormal", m, s);
  return Initializer(std::make_shared<NormalInit>("RandomNormal", m, s, false, seed));
}
Initializer TruncatedNormal(float m, float s, std::optional<std::uint64_t> seed) {
  check_normal("TruncatedNormal", m, s);
  return Initializer(std::make_shared<NormalInit>("TruncatedNormal", m, s, true, seed));
}
Initializer RandomUniform(float lo, float hi, std::optional<std::uint64_t> seed) {
  require_finite("RandomUniform", "minval", lo);
  require_finite("RandomUniform", "maxval", hi);
  if (lo > hi)  // std::uniform_real_distribution requires lo <= hi
    throw ValueError("RandomUniform: minval (" + std::to_string(lo) + ") must not exceed maxval (" + std::to_string(hi) + ")");
  return Initializer(std::make_shared<UniformInit>(lo, hi, seed));
}

}  // namespace xkeras::initializers
