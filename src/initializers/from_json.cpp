// Initializer names and configs as Keras 3, tf.keras 2, multi-backend Keras 2 and TensorFlow.js
// write them, and the Keras 3 objects we write.
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "initializers/draw.hpp"
#include "keras_object.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {

namespace {

enum class Kind {
  Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
  GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, Identity
};

struct Spelling {
  Kind kind;
  const char* cls;  // Keras 3 class name (also accepted with tf.keras's "V2" suffix)
  std::vector<const char*> others;
};

// Keras 3 class names and their snake_case forms, its aliases (normal, uniform, one, zero,
// OrthogonalInitializer, IdentityInitializer), and TensorFlow.js's identifiers and class names.
const std::vector<Spelling>& spellings() {
  static const std::vector<Spelling> s = {
      {Kind::Zeros, "Zeros", {"zeros", "zero"}},
      {Kind::Ones, "Ones", {"ones", "one"}},
      {Kind::Constant, "Constant", {"constant"}},
      {Kind::RandomNormal, "RandomNormal", {"random_normal", "normal", "randomNormal"}},
      {Kind::RandomUniform, "RandomUniform", {"random_uniform", "uniform", "randomUniform"}},
      {Kind::TruncatedNormal, "TruncatedNormal", {"truncated_normal", "truncatedNormal"}},
      {Kind::VarianceScaling, "VarianceScaling", {"variance_scaling", "varianceScaling"}},
      {Kind::GlorotUniform, "GlorotUniform", {"glorot_uniform", "glorotUniform"}},
      {Kind::GlorotNormal, "GlorotNormal", {"glorot_normal", "glorotNormal"}},
      {Kind::HeNormal, "HeNormal", {"he_normal", "heNormal"}},
      {Kind::HeUniform, "HeUniform", {"he_uniform", "heUniform"}},
      {Kind::LecunNormal, "LecunNormal", {"lecun_normal", "leCunNormal", "LeCunNormal"}},
      {Kind::LecunUniform, "LecunUniform", {"lecun_uniform", "leCunUniform", "LeCunUniform"}},
      {Kind::Orthogonal, "Orthogonal", {"orthogonal", "OrthogonalInitializer", "orthogonal_initializer"}},
      {Kind::Identity, "Identity", {"identity", "IdentityInitializer", "identity_initializer"}},
  };
  return s;
}

const std::map<std::string, Kind>& name_table() {
  static const std::map<std::string, Kind> t = [] {
    std::map<std::string, Kind> m;
    for (const auto& s : spellings()) {
      m[s.cls] = s.kind;
      m[std::string(s.cls) + "V2"] = s.kind;  // tf.keras's populate_deserializable_objects
      for (const char* o : s.others) m[o] = s.kind;
    }
    return m;
  }();
  return t;
}

std::string known_names() {
  std::string out;
  for (const auto& s : spellings()) out += (out.empty() ? "" : ", ") + std::string(s.cls) + "/" + s.others[0];
  return out + " (also tf.keras ...V2 class names and TensorFlow.js spellings such as glorotUniform)";
}

// The keys each initializer's config may hold, besides "dtype" (TF 1.x initializers wrote it;
// ignored) and Keras >= 3.15's input_axes/output_axes (accepted when null).
std::set<std::string> allowed_keys(Kind k) {
  switch (k) {
    case Kind::Zeros: case Kind::Ones: return {};
    case Kind::Constant: return {"value", "verify_shape"};
    case Kind::RandomNormal: case Kind::TruncatedNormal: return {"mean", "stddev", "seed"};
    case Kind::RandomUniform: return {"minval", "maxval", "seed"};
    case Kind::VarianceScaling: return {"scale", "mode", "distribution", "seed"};
    case Kind::Orthogonal: return {"gain", "seed"};
    case Kind::Identity: return {"gain"};
    default: return {"seed"};  // the VarianceScaling presets
  }
}

class Reader {
 public:
  Reader(const json& cfg, std::string path) : cfg_(cfg), path_(std::move(path)) {}

  std::string at(const std::string& key) const { return path_ + ".config." + key; }
  bool has(const char* key) const { return cfg_.contains(key) && !cfg_[key].is_null(); }

  float number(const char* key, double def) const {
    if (!has(key)) return static_cast<float>(def);
    const json& v = cfg_[key];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || std::fabs(v.get<double>()) > 3.0e38)
      throw ConfigError(at(key), "expected a number (finite, within float32 range), got " + v.dump().substr(0, 60));
    return v.get<float>();
  }

  std::optional<std::uint64_t> seed() const {
    if (!has("seed")) return std::nullopt;
    const json& v = cfg_["seed"];
    if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() < 0))
      throw ConfigError(at("seed"), "expected a non-negative integer or null, got " + v.dump().substr(0, 60));
    return v.get<std::uint64_t>();
  }

  // TFJS writes camelCase values on its TypeScript side ("fanAvg", "truncatedNormal"): snake_case them.
  std::string snake_string(const char* key, const char* def) const {
    if (!has(key)) return def;
    if (!cfg_[key].is_string()) throw ConfigError(at(key), "expected a string, got " + cfg_[key].dump().substr(0, 60));
    std::string out;
    char prev = 0;
    for (char c : cfg_[key].get<std::string>()) {
      const bool upper = std::isupper(static_cast<unsigned char>(c));
      if (upper && (std::islower(static_cast<unsigned char>(prev)) || std::isdigit(static_cast<unsigned char>(prev))))
        out += '_';  // a camelCase word boundary; "UNIFORM" stays one word
      out += upper ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
      prev = c;
    }
    return out;
  }

  void check_keys(Kind k, const std::string& cls) const {
    const auto allowed = allowed_keys(k);
    const bool preset = k >= Kind::GlorotUniform && k <= Kind::LecunUniform;
    for (auto it = cfg_.begin(); it != cfg_.end(); ++it) {
      const std::string& key = it.key();
      if (allowed.count(key) || key == "dtype") continue;
      if ((key == "input_axes" || key == "output_axes") && (preset || k == Kind::VarianceScaling)) {
        if (it.value().is_null()) continue;
        throw ConfigError(at(key), "custom fan axes (Keras >= 3.15) are not supported; expected null, got " +
                                       it.value().dump().substr(0, 60));
      }
      std::string expected;
      for (const auto& a : allowed) expected += (expected.empty() ? "" : ", ") + a;
      throw ConfigError(at(key), "unexpected key for initializer " + cls + " (it takes: " +
                                     (expected.empty() ? std::string("no arguments") : expected) + ")");
    }
  }

 private:
  const json& cfg_;
  std::string path_;
};

Initializer make(Kind k, const std::string& cls, const json& cfg, const std::string& path) {
  using namespace initializers;
  const Reader r(cfg, path);
  r.check_keys(k, cls);
  const auto seed = r.seed();
  switch (k) {
    case Kind::Zeros: return Zeros();
    case Kind::Ones: return Ones();
    case Kind::Constant: return Constant(r.number("value", 0.0));
    case Kind::RandomNormal: case Kind::TruncatedNormal: {
      const float mean = r.number("mean", 0.0), stddev = r.number("stddev", 0.05);
      if (stddev < 0) throw ConfigError(r.at("stddev"), "expected a non-negative number, got " + std::to_string(stddev));
      return k == Kind::RandomNormal ? RandomNormal(mean, stddev, seed) : TruncatedNormal(mean, stddev, seed);
    }
    case Kind::RandomUniform: {
      const float lo = r.number("minval", -0.05), hi = r.number("maxval", 0.05);
      if (lo > hi)
        throw ConfigError(r.at("minval"), "minval " + std::to_string(lo) + " exceeds maxval " + std::to_string(hi));
      return RandomUniform(lo, hi, seed);
    }
    case Kind::VarianceScaling: {
      const float scale = r.number("scale", 1.0);
      if (!(scale > 0)) throw ConfigError(r.at("scale"), "expected a positive number, got " + std::to_string(scale));
      const std::string mode = r.snake_string("mode", "fan_in");
      if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg")
        throw ConfigError(r.at("mode"), "expected fan_in, fan_out or fan_avg, got \"" + mode + "\"");
      std::string dist = r.snake_string("distribution", "truncated_normal");
      for (char& c : dist) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // Keras lower-cases it
      if (dist != "uniform" && dist != "normal" && dist != "truncated_normal" && dist != "untruncated_normal")
        throw ConfigError(r.at("distribution"),
                          "expected uniform, truncated_normal, untruncated_normal or normal, got \"" + dist + "\"");
      return VarianceScaling(scale, mode, dist, seed);
    }
    case Kind::GlorotUniform: return GlorotUniform(seed);
    case Kind::GlorotNormal: return GlorotNormal(seed);
    case Kind::HeNormal: return HeNormal(seed);
    case Kind::HeUniform: return HeUniform(seed);
    case Kind::LecunNormal: return LecunNormal(seed);
    case Kind::LecunUniform: return LecunUniform(seed);
    case Kind::Orthogonal: return Orthogonal(r.number("gain", 1.0), seed);
    case Kind::Identity: return Identity(r.number("gain", 1.0));
  }
  throw ConfigError(path, "unknown initializer kind");
}

Initializer by_name(const std::string& n, const json& cfg, const std::string& path) {
  auto it = name_table().find(n);
  if (it == name_table().end())
    throw ConfigError(path, "unknown initializer \"" + n.substr(0, 60) + "\"; known: " + known_names());
  return make(it->second, n, cfg, path);
}

}  // namespace

Initializer::Initializer(const char* name) : Initializer(std::string(name)) {}

Initializer::Initializer(const std::string& name) {
  if (!name_table().count(name))
    throw ValueError("Unknown initializer: \"" + name + "\". Known: " + known_names());
  *this = by_name(name, json::object(), "initializer");
}

json Initializer::to_json() const { return detail::keras_object("keras.initializers", impl_->class_name(), impl_->get_config()); }

Initializer Initializer::from_json(const json& j, const std::string& path) {
  if (j.is_string()) return by_name(j.get<std::string>(), json::object(), path);
  if (!j.is_object())  // null is no initializer (regularizers and constraints accept it; read_keras_object says so)
    throw ConfigError(path, "expected an initializer name or {\"class_name\": ..., \"config\": ...}, got " + shown(j));
  auto [class_name, config] = detail::read_keras_object(j, path, "initializer");
  return by_name(class_name, config, path);
}

}  // namespace xkeras
