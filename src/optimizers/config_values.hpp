// Helpers for Keras-shaped configs of optimizers and losses (private to src/).
#pragma once

#include <optional>
#include <string>

#include "xkeras/json.hpp"

namespace xkeras::config_values {


/// The double that prints as the shortest decimal that reads back as `f`: 0.9f -> 0.9.
/// Keras keeps such hyperparameters as Python floats, so its JSON shows "0.9", not
/// "0.8999999761581421". (The learning rate is different: Keras stores it in a float32
/// variable, so its config shows double(float), e.g. 0.0010000000474974513.)
double shortest(float f);

/// shortest(f) as Python prints it in a message: 0.1f -> "0.1", 0.0f -> "0.0".
std::string repr(float f);

/// `shortest(*v)`, or null when unset.
json optional_number(const std::optional<float>& v);

/// Readers that validate types and name the JSON path in the ConfigError.
float read_float(const json& config, const char* key, const std::string& path, float def);
std::optional<float> read_optional_float(const json& config, const char* key, const std::string& path);
bool read_bool(const json& config, const char* key, const std::string& path, bool def);

}  // namespace xkeras::config_values
