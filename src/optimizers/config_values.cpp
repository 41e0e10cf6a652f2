#include "optimizers/config_values.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "xkeras/errors.hpp"

namespace xkeras::config_values {

double shortest(float f) {
  if (!std::isfinite(f)) return static_cast<double>(f);
  char buf[32];
  for (int digits = 1; digits <= 9; ++digits) {  // 9 significant digits always round-trip a float
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f) return std::strtod(buf, nullptr);
  }
  return static_cast<double>(f);
}

std::string repr(float f) {
  const std::string s = json(shortest(f)).dump();  // nlohmann prints the shortest round-trip double, "1.0" for 1
  return s;
}

json optional_number(const std::optional<float>& v) { return v ? json(shortest(*v)) : json(nullptr); }

namespace {

float as_float(const json& v, const std::string& where) {
  if (!v.is_number()) throw ConfigError(where, "expected a number, got " + v.dump());
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw ConfigError(where, "expected a finite number, got " + v.dump());
  return static_cast<float>(d);
}

}  // namespace

float read_float(const json& config, const char* key, const std::string& path, float def) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return def;
  return as_float(*it, path + "." + key);
}

std::optional<float> read_optional_float(const json& config, const char* key, const std::string& path) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return std::nullopt;
  return as_float(*it, path + "." + key);
}

bool read_bool(const json& config, const char* key, const std::string& path, bool def) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return def;
  if (!it->is_boolean()) throw ConfigError(path + "." + key, "expected true or false, got " + it->dump());
  return it->get<bool>();
}

}  // namespace xkeras::config_values
