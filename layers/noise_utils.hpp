// Helpers shared by the noise and dropout variants (noise.hpp, spatial_dropout.hpp); private.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "xkeras/config.hpp"
#include "xkeras/layer.hpp"

namespace xkeras::layers::detail {

/// A number in [0, 1] under `key` (required): rate, stddev.
inline double read_fraction(const ConfigReader& r, const char* key) {
  const json& v = r.raw(key);
  if (!v.is_number() || !(v.get<double>() >= 0.0 && v.get<double>() <= 1.0))
    r.fail(key, "expected a number between 0 and 1, got " + shown(v));
  return v.get<double>();
}

/// "seed": null or a non-negative integer.
inline std::optional<std::uint64_t> read_seed(const ConfigReader& r) {
  if (!r.has("seed")) return std::nullopt;
  const json& s = r.raw("seed");
  if (!s.is_number_integer() || (s.is_number_integer() && !s.is_number_unsigned() && s.get<long long>() < 0))
    r.fail("seed", "expected a non-negative integer, got " + shown(s));
  return s.get<std::uint64_t>();
}

/// "noise_shape": null or a list of positive integers and nulls.
inline std::optional<TensorShape> read_noise_shape(const ConfigReader& r) {
  if (!r.has("noise_shape")) return std::nullopt;
  TensorShape s = r.shape("noise_shape");
  for (Dim d : s)
    if (d == 0) r.fail("noise_shape", "expected positive integers or null, got " + shown(r.raw("noise_shape")));
  return s;
}

/// The concrete noise shape for an input: None entries take the input's size; every axis must
/// equal the input's or be 1 (else the layer's incompatible-input error).
inline Shape concrete_noise_shape(const Layer& layer, const std::optional<TensorShape>& noise_shape, const Shape& input) {
  if (!noise_shape) return input;
  const TensorShape& ns = *noise_shape;
  const TensorShape got(input.begin(), input.end());
  const std::string expected = "expected an input compatible with noise_shape=" + shape_str(ns) +
                               " (same rank; each axis equal to the noise axis or the noise axis 1)";
  if (ns.size() != input.size()) layer.incompatible(0, expected, got);
  Shape out(input.size());
  for (std::size_t d = 0; d < input.size(); ++d) {
    out[d] = ns[d] < 0 ? input[d] : static_cast<std::size_t>(ns[d]);
    if (out[d] != 1 && out[d] != input[d]) layer.incompatible(0, expected, got);
  }
  return out;
}

}  // namespace xkeras::layers::detail
