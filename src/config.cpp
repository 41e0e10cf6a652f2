#include "xkeras/config.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "keras_dialect.hpp"
#include "xkeras/activations.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"

namespace xkeras {

ConfigReader::ConfigReader(const json& config, std::string path) : config_(config), path_(std::move(path)) {
  if (!config_.is_object()) throw ConfigError(path_, "expected an object, got " + std::string(config_.type_name()));
}

void ConfigReader::fail(const char* key, const std::string& what) const { throw ConfigError(path(key), what); }

bool ConfigReader::has(const char* key) const { return config_.contains(key) && !config_.at(key).is_null(); }

const json& ConfigReader::raw(const char* key) const {
  if (!config_.contains(key)) fail(key, "missing required key");
  return config_.at(key);
}

std::string shown(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

int ConfigReader::positive_int(const char* key) const {
  const json& j = raw(key);
  if (!j.is_number_integer() || j.get<long long>() <= 0 || j.get<long long>() > (1LL << 30))
    fail(key, "expected a positive integer, got " + shown(j));
  return j.get<int>();
}

int ConfigReader::get_int(const char* key, int def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  if (!j.is_number_integer() || std::llabs(j.get<long long>()) > (1LL << 30)) fail(key, "expected an integer, got " + shown(j));
  return j.get<int>();
}

float ConfigReader::get_float(const char* key, float def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  if (!j.is_number() || !std::isfinite(j.get<double>()) || std::fabs(j.get<double>()) > FLT_MAX)
    fail(key, "expected a finite float32 number, got " + shown(j));
  return j.get<float>();
}

bool ConfigReader::get_bool(const char* key, bool def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  if (!j.is_boolean()) fail(key, "expected true or false, got " + shown(j));
  return j.get<bool>();
}

std::string ConfigReader::get_string(const char* key, const std::string& def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  if (!j.is_string()) fail(key, "expected a string, got " + shown(j));
  return j.get<std::string>();
}

std::optional<std::string> ConfigReader::get_optional_string(const char* key) const {
  if (!has(key)) return std::nullopt;
  return get_string(key, "");
}

std::vector<int> ConfigReader::int_tuple(const char* key, std::size_t n, std::vector<int> def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  auto check = [&](const json& v) {
    if (!v.is_number_integer() || v.get<long long>() <= 0 || v.get<long long>() > (1 << 20))
      fail(key, "expected positive integers, got " + shown(j));
    return v.get<int>();
  };
  if (j.is_number()) return std::vector<int>(n, check(j));
  if (!j.is_array() || j.size() != n) fail(key, "expected an integer or a list of " + std::to_string(n) + " integers, got " + shown(j));
  std::vector<int> out;
  for (const auto& v : j) out.push_back(check(v));
  return out;
}

std::vector<int> ConfigReader::int_or_list(const char* key, std::vector<int> def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  auto check = [&](const json& v) {
    if (!v.is_number_integer() || std::llabs(v.get<long long>()) > 64) fail(key, "expected an axis integer, got " + shown(j));
    return v.get<int>();
  };
  if (j.is_number()) return {check(j)};
  if (!j.is_array() || j.size() > 64) fail(key, "expected an integer or a list of integers, got " + shown(j));
  std::vector<int> out;
  for (const auto& v : j) out.push_back(check(v));
  return out;
}

TensorShape ConfigReader::shape(const char* key) const {
  const json& j = raw(key);
  if (!j.is_array() || j.size() > 16) fail(key, "expected a list of dimensions, got " + shown(j));
  TensorShape s;
  // One sample may hold at most 2^26 values (256 MB of float32): a model file must not be able to make
  // shape inference allocate without limit.
  constexpr long long kMaxSampleSize = 1LL << 26;
  long long sample = 1;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& d = j[i];
    if (d.is_null()) {
      s.push_back(None);
    } else if (d.is_number_integer() && d.get<long long>() >= 0 && d.get<long long>() <= kMaxSampleSize) {
      s.push_back(d.get<Dim>());
      if (i > 0) sample = std::min(sample * std::max(1LL, d.get<long long>()), kMaxSampleSize + 1);
    } else {
      fail(key, "expected non-negative integers or null, got " + shown(j));
    }
  }
  if (sample > kMaxSampleSize) fail(key, "a sample of shape " + shown(j) + " holds more than 2^26 values");
  return s;
}

std::string ConfigReader::activation(const char* key, const std::string& def) const {
  if (!has(key)) return def;
  const json& j = config_.at(key);
  std::string name;
  if (j.is_string()) name = j.get<std::string>();
  else if (j.is_object() && j.contains("class_name") && j["class_name"].is_string()) {
    // {"class_name": "function", "config": "relu"} or a Keras activation object
    name = j.contains("config") && j["config"].is_string() ? j["config"].get<std::string>() : j["class_name"].get<std::string>();
  } else fail(key, "expected an activation name, got " + shown(j));
  // Keras 1/2 and TensorFlow.js defined hard_sigmoid as clip(0.2x + 0.5, 0, 1); Keras 3 as relu6(x + 3) / 6.
  if (name == "hard_sigmoid" && detail::current_dialect().major < 3) name = "hard_sigmoid_keras2";
  if (!activations::exists(name)) fail(key, "unknown activation \"" + name + "\"");
  return activations::canonical(name);  // Keras 3's name for an alias ("swish" is written "silu")
}

Initializer ConfigReader::initializer(const char* key, const std::string& def) const {
  if (!has(key)) return Initializer(def);
  return Initializer::from_json(config_.at(key), path(key));
}

Regularizer ConfigReader::regularizer(const char* key) const {
  if (!has(key)) return Regularizer();
  return Regularizer::from_json(config_.at(key), path(key));
}

Constraint ConfigReader::constraint(const char* key) const {
  if (!has(key)) return Constraint();
  return Constraint::from_json(config_.at(key), path(key));
}

std::string ConfigReader::name() const {
  const std::string n = get_string("name", "");
  if (n.size() > 256) fail("name", "expected a name of at most 256 characters, got one of " + std::to_string(n.size()));
  return n;
}

void ConfigReader::apply_base(Layer& layer) const {
  if (has("trainable")) layer.set_trainable(get_bool("trainable", true));
}

json shape_to_json(const TensorShape& s) {
  json j = json::array();
  for (Dim d : s) j.push_back(d < 0 ? json(nullptr) : json(d));
  return j;
}

json int_list_json(const std::vector<int>& v) {
  json j = json::array();
  for (int x : v) j.push_back(x);
  return j;
}

}  // namespace xkeras
