#include "xkeras/layers/array_value.hpp"

#include <cfloat>
#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::layers {

namespace {
constexpr std::size_t kMaxDepth = 8;

// Appends the numbers of `j` (depth `depth` of the nesting) to `out`, checking that every list at
// one depth has the length first seen there.
void flatten(const json& j, std::size_t depth, Shape& shape, std::vector<double>& out, const json& whole,
             const std::string& path) {
  if (j.is_number()) {
    if (depth != shape.size()) throw ConfigError(path, "expected a rectangular list of numbers, got " + shown(whole));
    const double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) > FLT_MAX)
      throw ConfigError(path, "expected finite float32 numbers, got " + shown(whole));
    out.push_back(v);
    return;
  }
  if (!j.is_array()) throw ConfigError(path, "expected a number or a list of numbers, got " + shown(whole));
  if (depth >= kMaxDepth) throw ConfigError(path, "lists nested deeper than 8 levels: " + shown(whole));
  if (depth == shape.size()) {
    if (!out.empty()) throw ConfigError(path, "expected a rectangular list of numbers, got " + shown(whole));
    shape.push_back(j.size());
  } else if (depth > shape.size() || shape[depth] != j.size()) {
    throw ConfigError(path, "expected a rectangular list of numbers, got " + shown(whole));
  }
  for (const auto& v : j) flatten(v, depth + 1, shape, out, whole, path);
}

json nested(const Shape& shape, const std::vector<double>& values, std::size_t depth, std::size_t& at) {
  if (depth == shape.size()) return values[at++];
  json a = json::array();
  for (std::size_t i = 0; i < shape[depth]; ++i) a.push_back(nested(shape, values, depth + 1, at));
  return a;
}
}  // namespace

ArrayValue::ArrayValue(Shape s, std::vector<double> v) : shape(std::move(s)), values(std::move(v)) {
  if (shape_size(shape) != values.size())
    throw ValueError("ArrayValue: shape " + shape_str(shape) + " needs " + std::to_string(shape_size(shape)) +
                     " values, got " + std::to_string(values.size()));
}

Array ArrayValue::to_array() const {
  Array a = Array::from_shape(shape);
  for (std::size_t i = 0; i < values.size(); ++i) a.data()[i] = static_cast<float>(values[i]);
  return a;
}

json ArrayValue::to_json() const {
  std::size_t at = 0;
  return nested(shape, values, 0, at);
}

ArrayValue ArrayValue::from_json(const json& j, const std::string& path) {
  const json* v = &j;
  // serialize_keras_object writes a NumPy array as {"class_name": "__numpy__", "config": {"value": ..}}.
  if (j.is_object()) {
    if (!(j.contains("class_name") && j["class_name"] == "__numpy__" && j.contains("config") &&
          j["config"].is_object() && j["config"].contains("value")))
      throw ConfigError(path, "expected a number, a list of numbers or a __numpy__ object, got " + shown(j));
    v = &j["config"]["value"];
  }
  ArrayValue out;
  out.values.clear();
  flatten(*v, 0, out.shape, out.values, j, path);
  if (shape_size(out.shape) != out.values.size())  // an empty inner list: [[], []]
    throw ConfigError(path, "expected a rectangular list of numbers, got " + shown(j));
  return out;
}

}  // namespace xkeras::layers
