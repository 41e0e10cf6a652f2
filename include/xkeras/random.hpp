// keras.random: tensors of random values. With a seed, the same values every call; without one, a
// draw from the global stream (xkeras::set_random_seed makes a program's draws reproducible).
#pragma once

#include <cstdint>
#include <optional>

#include "xkeras/tensor.hpp"

namespace xkeras::random {

/// Normal values of the given mean and standard deviation (>= 0), float32.
Tensor normal(const Shape& shape, float mean = 0.0f, float stddev = 1.0f, std::optional<std::uint64_t> seed = {});
/// Uniform values in [minval, maxval) (minval < maxval), float32.
Tensor uniform(const Shape& shape, float minval = 0.0f, float maxval = 1.0f, std::optional<std::uint64_t> seed = {});
/// Uniform integers in [minval, maxval) (minval < maxval), int32.
Tensor randint(const Shape& shape, std::int32_t minval, std::int32_t maxval, std::optional<std::uint64_t> seed = {});

}  // namespace xkeras::random
