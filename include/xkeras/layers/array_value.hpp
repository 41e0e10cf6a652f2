// ArrayValue: a number or a (nested) list of numbers as a Keras config holds a layer argument such as
// Rescaling's `scale` or Normalization's `mean` ("scale": 0.5, "mean": [1.0, 2.0, 3.0]).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "xkeras/json.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::layers {

/// Values in double precision, so that a config writes back exactly the numbers it read
/// (1/255 stays 0.00392156862745098); a scalar has an empty shape.
struct ArrayValue {
  Shape shape;
  std::vector<double> values;

  ArrayValue(double v = 0.0) : values{v} {}  // NOLINT: a scalar, as Keras accepts a plain number
  ArrayValue(std::vector<double> v) : shape{v.size()}, values(std::move(v)) {}  // NOLINT: a 1-D list
  ArrayValue(std::initializer_list<double> v) : ArrayValue(std::vector<double>(v)) {}
  ArrayValue(Shape s, std::vector<double> v);  // ValueError unless the sizes agree

  bool is_scalar() const { return shape.empty(); }
  /// The values as a float32 array of this shape.
  Array to_array() const;
  /// A number for a scalar, else nested lists (NumPy's tolist()).
  json to_json() const;
  /// Reads a number, a rectangular nested list of numbers (at most 8 levels), or Keras's
  /// {"class_name": "__numpy__", "config": {"value": ..., "dtype": ...}}; ConfigError naming `path`.
  static ArrayValue from_json(const json& j, const std::string& path);

  friend bool operator==(const ArrayValue& a, const ArrayValue& b) { return a.shape == b.shape && a.values == b.values; }
};

}  // namespace xkeras::layers
