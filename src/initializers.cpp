#include "xkeras/initializers.hpp"

#include <cmath>
#include <mutex>

#include "xkeras/errors.hpp"

namespace xkeras {

namespace {
std::mutex rng_mutex;
}

std::mt19937_64& global_rng() {
  static std::mt19937_64 rng(1337);
  return rng;
}

void set_random_seed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(rng_mutex);
  global_rng().seed(seed);
}

std::uint64_t draw_seed() {
  std::lock_guard<std::mutex> lock(rng_mutex);
  return global_rng()();
}

namespace initializers {

std::pair<double, double> compute_fans(const Shape& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  if (shape.size() == 2) return {double(shape[0]), double(shape[1])};
  double receptive = 1;
  for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {double(shape[shape.size() - 2]) * receptive, double(shape.back()) * receptive};
}

namespace {

json seed_json(const std::optional<std::uint64_t>& s) { return s ? json(*s) : json(nullptr); }

// A random initializer draws from its own generator when seeded (reproducible per layer),
// otherwise from the global one (reproducible per set_random_seed).
template <class Draw>
Array draw(const Shape& shape, const std::optional<std::uint64_t>& seed, Draw d) {
  Array a = Array::from_shape(shape);
  if (seed) {
    std::mt19937_64 rng(*seed);
    for (auto& v : a) v = d(rng);
  } else {
    std::lock_guard<std::mutex> lock(rng_mutex);
    for (auto& v : a) v = d(global_rng());
  }
  return a;
}

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

class NormalInit : public InitializerImpl {
 public:
  NormalInit(std::string cls, float mean, float stddev, bool truncated, std::optional<std::uint64_t> seed)
      : cls_(std::move(cls)), mean_(mean), stddev_(stddev), truncated_(truncated), seed_(seed) {}
  Array operator()(const Shape& shape) const override {
    std::normal_distribution<float> n(0.0f, 1.0f);
    return draw(shape, seed_, [&](auto& rng) {
      float z = n(rng);
      while (truncated_ && std::fabs(z) > 2.0f) z = n(rng);  // resample beyond two stddevs, as Keras
      return mean_ + stddev_ * z;
    });
  }
  std::string class_name() const override { return cls_; }
  json get_config() const override { return {{"mean", mean_}, {"stddev", stddev_}, {"seed", seed_json(seed_)}}; }

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
    return draw(shape, seed_, [&](auto& rng) { return u(rng); });
  }
  std::string class_name() const override { return "RandomUniform"; }
  json get_config() const override { return {{"minval", lo_}, {"maxval", hi_}, {"seed", seed_json(seed_)}}; }

 private:
  float lo_, hi_;
  std::optional<std::uint64_t> seed_;
};

// Keras VarianceScaling: scale / fan (fan_in, fan_out or their mean); uniform limit sqrt(3 s/fan),
// truncated normal stddev sqrt(s/fan)/0.87962566 (the std of a standard normal truncated at 2).
class VarianceScalingInit : public InitializerImpl {
 public:
  VarianceScalingInit(std::string cls, double scale, std::string mode, bool uniform, std::optional<std::uint64_t> seed)
      : cls_(std::move(cls)), scale_(scale), mode_(std::move(mode)), uniform_(uniform), seed_(seed) {}
  Array operator()(const Shape& shape) const override {
    auto [fan_in, fan_out] = compute_fans(shape);
    double fan = mode_ == "fan_in" ? fan_in : mode_ == "fan_out" ? fan_out : (fan_in + fan_out) / 2.0;
    const double s = scale_ / std::max(1.0, fan);
    if (uniform_) {
      const float limit = static_cast<float>(std::sqrt(3.0 * s));
      std::uniform_real_distribution<float> u(-limit, limit);
      return draw(shape, seed_, [&](auto& rng) { return u(rng); });
    }
    const float stddev = static_cast<float>(std::sqrt(s) / 0.87962566103423978);
    std::normal_distribution<float> n(0.0f, 1.0f);
    return draw(shape, seed_, [&](auto& rng) {
      float z = n(rng);
      while (std::fabs(z) > 2.0f) z = n(rng);
      return stddev * z;
    });
  }
  std::string class_name() const override { return cls_; }
  json get_config() const override { return {{"seed", seed_json(seed_)}}; }

 private:
  std::string cls_;
  double scale_;
  std::string mode_;
  bool uniform_;
  std::optional<std::uint64_t> seed_;
};

std::optional<std::uint64_t> read_seed(const json& cfg, const std::string& path) {
  if (!cfg.contains("seed") || cfg["seed"].is_null()) return std::nullopt;
  if (!cfg["seed"].is_number_integer() || cfg["seed"].get<long long>() < 0)
    throw ConfigError(path + ".config.seed", "expected a non-negative integer or null, got " + cfg["seed"].dump());
  return cfg["seed"].get<std::uint64_t>();
}

float read_float(const json& cfg, const char* key, float def, const std::string& path) {
  if (!cfg.contains(key) || cfg[key].is_null()) return def;
  if (!cfg[key].is_number()) throw ConfigError(path + ".config." + key, "expected a number, got " + cfg[key].dump());
  return cfg[key].get<float>();
}

}  // namespace

Initializer Zeros() { return Initializer(std::make_shared<ConstantInit>("Zeros", 0.0f)); }
Initializer Ones() { return Initializer(std::make_shared<ConstantInit>("Ones", 1.0f)); }
Initializer Constant(float v) { return Initializer(std::make_shared<ConstantInit>("Constant", v)); }
Initializer RandomNormal(float m, float s, std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<NormalInit>("RandomNormal", m, s, false, seed));
}
Initializer TruncatedNormal(float m, float s, std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<NormalInit>("TruncatedNormal", m, s, true, seed));
}
Initializer RandomUniform(float lo, float hi, std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<UniformInit>(lo, hi, seed));
}
Initializer GlorotUniform(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("GlorotUniform", 1.0, "fan_avg", true, seed));
}
Initializer GlorotNormal(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("GlorotNormal", 1.0, "fan_avg", false, seed));
}
Initializer HeNormal(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("HeNormal", 2.0, "fan_in", false, seed));
}
Initializer HeUniform(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("HeUniform", 2.0, "fan_in", true, seed));
}
Initializer LecunNormal(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("LecunNormal", 1.0, "fan_in", false, seed));
}
Initializer LecunUniform(std::optional<std::uint64_t> seed) {
  return Initializer(std::make_shared<VarianceScalingInit>("LecunUniform", 1.0, "fan_in", true, seed));
}

}  // namespace initializers

namespace {

// Keras accepts the snake_case names and the class names.
Initializer by_name(const std::string& n, const json& cfg, const std::string& path) {
  using namespace initializers;
  auto seed = read_seed(cfg, path);
  if (n == "zeros" || n == "Zeros" || n == "zero") return Zeros();
  if (n == "ones" || n == "Ones" || n == "one") return Ones();
  if (n == "constant" || n == "Constant") return Constant(read_float(cfg, "value", 0.0f, path));
  if (n == "random_normal" || n == "RandomNormal" || n == "normal")
    return RandomNormal(read_float(cfg, "mean", 0.0f, path), read_float(cfg, "stddev", 0.05f, path), seed);
  if (n == "random_uniform" || n == "RandomUniform" || n == "uniform")
    return RandomUniform(read_float(cfg, "minval", -0.05f, path), read_float(cfg, "maxval", 0.05f, path), seed);
  if (n == "truncated_normal" || n == "TruncatedNormal")
    return TruncatedNormal(read_float(cfg, "mean", 0.0f, path), read_float(cfg, "stddev", 0.05f, path), seed);
  if (n == "glorot_uniform" || n == "GlorotUniform") return GlorotUniform(seed);
  if (n == "glorot_normal" || n == "GlorotNormal") return GlorotNormal(seed);
  if (n == "he_normal" || n == "HeNormal") return HeNormal(seed);
  if (n == "he_uniform" || n == "HeUniform") return HeUniform(seed);
  if (n == "lecun_normal" || n == "LecunNormal") return LecunNormal(seed);
  if (n == "lecun_uniform" || n == "LecunUniform") return LecunUniform(seed);
  throw ConfigError(path, "unknown initializer \"" + n + "\"");
}

}  // namespace

Initializer::Initializer(const char* name) : Initializer(std::string(name)) {}

Initializer::Initializer(const std::string& name) {
  try {
    *this = by_name(name, json::object(), "initializer");
  } catch (const ConfigError&) {
    throw ValueError("Unknown initializer: \"" + name + "\"");
  }
}

json Initializer::to_json() const {
  return json{{"module", "keras.initializers"}, {"class_name", impl_->class_name()},
              {"config", impl_->get_config()}, {"registered_name", nullptr}};
}

Initializer Initializer::from_json(const json& j, const std::string& path) {
  if (j.is_string()) return by_name(j.get<std::string>(), json::object(), path);
  if (!j.is_object() || !j.contains("class_name") || !j["class_name"].is_string())
    throw ConfigError(path, "expected an initializer name or {\"class_name\": ..., \"config\": ...}, got " + j.dump().substr(0, 60));
  const json cfg = j.contains("config") && j["config"].is_object() ? j["config"] : json::object();
  return by_name(j["class_name"].get<std::string>(), cfg, path);
}

}  // namespace xkeras
