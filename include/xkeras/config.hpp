// Reading a layer's Keras config with errors that name the JSON path of the problem,
// e.g. "config.layers[3].config.units: expected a positive integer, got -4".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xkeras/json.hpp"

#include "xkeras/initializers.hpp"
#include "xkeras/regularizers.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

class Layer;

class ConfigReader {
 public:
  ConfigReader(const json& config, std::string path);

  bool has(const char* key) const;  // present and not null
  std::string path(const char* key) const { return path_ + "." + key; }
  const json& raw(const char* key) const;  // required

  int positive_int(const char* key) const;  // required, > 0
  int get_int(const char* key, int def) const;
  float get_float(const char* key, float def) const;
  bool get_bool(const char* key, bool def) const;
  std::string get_string(const char* key, const std::string& def) const;
  /// "name" or nullopt.
  std::optional<std::string> get_optional_string(const char* key) const;
  /// An int or a list of `n` positive ints (kernel_size, strides, ...).
  std::vector<int> int_tuple(const char* key, std::size_t n, std::vector<int> def) const;
  /// An int or a list of ints (axis).
  std::vector<int> int_or_list(const char* key, std::vector<int> def) const;
  /// A list of ints or nulls ("batch_shape"); null -> None.
  TensorShape shape(const char* key) const;
  /// An activation: a string, or a Keras object {"class_name": ..} naming a registered activation.
  std::string activation(const char* key, const std::string& def = "linear") const;
  Initializer initializer(const char* key, const std::string& def) const;
  Regularizer regularizer(const char* key) const;
  Constraint constraint(const char* key) const;

  /// name and trainable from the base config, applied to a freshly constructed layer.
  void apply_base(Layer& layer) const;
  /// The "name" key, or "" (then the layer gets an auto-name).
  std::string name() const;

  [[noreturn]] void fail(const char* key, const std::string& what) const;

 private:
  const json& config_;
  std::string path_;
};

/// A JSON value as error messages show it: compact, cut to 60 characters.
std::string shown(const json& j);

/// Keras-shaped JSON helpers.
json shape_to_json(const TensorShape& s);
json int_list_json(const std::vector<int>& v);

}  // namespace xkeras
