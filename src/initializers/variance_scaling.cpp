// Keras VarianceScaling and its presets (GlorotUniform, HeNormal, ...): samples with variance
// scale / n, n = fan_in, fan_out or their mean (at least 1).
#include <cmath>

#include "initializers/draw.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::initializers {

std::pair<double, double> compute_fans(const Shape& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  if (shape.size() == 2) return {double(shape[0]), double(shape[1])};
  double receptive = 1;  // conv kernels (k..., in, out): each input feeds a whole window
  for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {double(shape[shape.size() - 2]) * receptive, double(shape.back()) * receptive};
}

namespace {

// The standard deviation of a standard normal truncated to [-2, 2]: dividing by it gives the
// truncated samples the intended variance (Keras >= 2.2).
constexpr double kTruncatedStd = 0.87962566103423978;

class VarianceScalingInit : public InitializerImpl {
 public:
  VarianceScalingInit(std::string cls, double scale, std::string mode, std::string distribution,
                      std::optional<std::uint64_t> seed)
      : cls_(std::move(cls)), scale_(scale), mode_(std::move(mode)), distribution_(std::move(distribution)), seed_(seed) {}

  Array operator()(const Shape& shape) const override {
    auto [fan_in, fan_out] = compute_fans(shape);
    const double fan = mode_ == "fan_in" ? fan_in : mode_ == "fan_out" ? fan_out : (fan_in + fan_out) / 2.0;
    const double s = scale_ / std::max(1.0, fan);
    if (distribution_ == "uniform") {
      const float limit = static_cast<float>(std::sqrt(3.0 * s));
      std::uniform_real_distribution<float> u(-limit, limit);
      return detail::draw(shape, seed_, [&](auto& rng) { return u(rng); });
    }
    std::normal_distribution<float> n(0.0f, 1.0f);
    if (distribution_ == "untruncated_normal") {
      const float stddev = static_cast<float>(std::sqrt(s));
      return detail::draw(shape, seed_, [&](auto& rng) { return stddev * n(rng); });
    }
    const float stddev = static_cast<float>(std::sqrt(s) / kTruncatedStd);
    return detail::draw(shape, seed_, [&](auto& rng) { return stddev * detail::truncated_standard_normal(n, rng); });
  }
  std::string class_name() const override { return cls_; }
  // The presets serialize only their seed (Keras 3 and tf.keras); VarianceScaling in Keras >= 3.6 order.
  json get_config() const override {
    json c{{"seed", detail::seed_json(seed_)}};
    if (cls_ == "VarianceScaling") {
      c["scale"] = scale_;
      c["mode"] = mode_;
      c["distribution"] = distribution_;
    }
    return c;
  }

 private:
  std::string cls_;
  double scale_;
  std::string mode_, distribution_;
  std::optional<std::uint64_t> seed_;
};

Initializer preset(const char* cls, double scale, const char* mode, const char* distribution,
                   std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>(cls, scale, mode, distribution, seed));
}

}  // namespace

Initializer VarianceScaling(double scale, const std::string& mode, const std::string& distribution,
                            std::optional<std::uint64_t> seed) {
  if (!(scale > 0.0) || !std::isfinite(scale))
    throw ValueError("VarianceScaling: `scale` must be positive float. Received: scale=" + std::to_string(scale));
  if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg")
    throw ValueError("VarianceScaling: invalid `mode` argument: \"" + mode + "\". Expected one of fan_in, fan_out, fan_avg");
  std::string dist;
  for (char ch : distribution) dist += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (dist == "normal") dist = "truncated_normal";  // Keras's legacy spelling
  if (dist != "uniform" && dist != "truncated_normal" && dist != "untruncated_normal")
    throw ValueError("VarianceScaling: invalid `distribution` argument: \"" + distribution +
                     "\". Expected one of uniform, truncated_normal, untruncated_normal (or normal)");
  return Initializer(std::make_shared<VarianceScalingInit>("VarianceScaling", scale, mode, dist, seed));
}

Initializer GlorotUniform(std::optional<std::uint64_t> seed) { return preset("GlorotUniform", 1.0, "fan_avg", "uniform", seed); }
Initializer GlorotNormal(std::optional<std::uint64_t> seed) {
  return preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal", seed);
}
Initializer HeNormal(std::optional<std::uint64_t> seed) { return preset("HeNormal", 2.0, "fan_in", "truncated_normal", seed); }
Initializer HeUniform(std::optional<std::uint64_t> seed) { return preset("HeUniform", 2.0, "fan_in", "uniform", seed); }
Initializer LecunNormal(std::optional<std::uint64_t> seed) {
  return preset("LecunNormal", 1.0, "fan_in", "truncated_normal", seed);
}
Initializer LecunUniform(std::optional<std::uint64_t> seed) { return preset("LecunUniform", 1.0, "fan_in", "uniform", seed); }

}  // namespace xkeras::initializers
