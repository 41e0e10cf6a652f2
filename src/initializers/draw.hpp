// Random draws shared by the initializers (private to src/initializers).
#pragma once

#include <cmath>
#include <mutex>
#include <optional>
#include <random>

#include "xkeras/initializers.hpp"
#include "xkeras/json.hpp"

namespace xkeras::initializers::detail {

/// Guards global_rng().
std::mutex& rng_mutex();

/// Fills an array of `shape` with d(rng). A seeded initializer draws from its own generator (the
/// same values at every call, as Keras's seeded initializers); otherwise from the global one
/// (reproducible per set_random_seed).
template <class Draw>
Array draw(const Shape& shape, const std::optional<std::uint64_t>& seed, Draw d) {
  Array a = Array::from_shape(shape);
  if (seed) {
    std::mt19937_64 rng(*seed);
    for (auto& v : a) v = d(rng);
  } else {
    std::lock_guard<std::mutex> lock(rng_mutex());
    for (auto& v : a) v = d(global_rng());
  }
  return a;
}

/// A standard normal draw re-drawn until it lies within [-2, 2] (Keras's truncated normal).
template <class Rng>
float truncated_standard_normal(std::normal_distribution<float>& n, Rng& rng) {
  float z = n(rng);
  while (std::fabs(z) > 2.0f) z = n(rng);
  return z;
}

inline json seed_json(const std::optional<std::uint64_t>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace xkeras::initializers::detail
