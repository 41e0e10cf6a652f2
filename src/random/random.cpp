// keras.random on the generator the initializers use (initializers/draw.hpp): a seeded call owns a
// generator; an unseeded one draws from the global stream under its lock.
#include "xkeras/random.hpp"

#include <random>

#include "initializers/draw.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::random {

namespace {

// 2^30 values (4 GiB of float32): larger requests are a mistake, not a tensor.
constexpr std::size_t kMaxValues = std::size_t(1) << 30;

void check_shape(const Shape& shape, const char* fn) {
  if (shape_size(shape) > kMaxValues)
    throw ValueError(std::string("random::") + fn + ": shape " + shape_str(shape) + " holds more than 2^30 values");
}

}  // namespace

Tensor normal(const Shape& shape, float mean, float stddev, std::optional<std::uint64_t> seed) {
  check_shape(shape, "normal");
  if (!(stddev >= 0.0f)) throw ValueError("random::normal: expected stddev >= 0, got " + std::to_string(stddev));
  std::normal_distribution<float> d(mean, stddev);
  return Tensor(initializers::detail::draw(shape, seed, [&](auto& rng) { return d(rng); }));
}

Tensor uniform(const Shape& shape, float minval, float maxval, std::optional<std::uint64_t> seed) {
  check_shape(shape, "uniform");
  if (!(minval < maxval))
    throw ValueError("random::uniform: expected minval < maxval, got minval=" + std::to_string(minval) +
                     " maxval=" + std::to_string(maxval));
  std::uniform_real_distribution<float> d(minval, maxval);
  return Tensor(initializers::detail::draw(shape, seed, [&](auto& rng) {
    float v = d(rng);
    return v < maxval ? v : minval;  // float rounding can reach maxval; keep the half-open range
  }));
}

Tensor randint(const Shape& shape, std::int32_t minval, std::int32_t maxval, std::optional<std::uint64_t> seed) {
  check_shape(shape, "randint");
  if (!(minval < maxval))
    throw ValueError("random::randint: expected minval < maxval, got minval=" + std::to_string(minval) +
                     " maxval=" + std::to_string(maxval));
  std::uniform_int_distribution<std::int32_t> d(minval, maxval - 1);
  IntArray a = IntArray::from_shape(shape);
  if (seed) {
    std::mt19937_64 rng(*seed);
    for (auto& v : a) v = d(rng);
  } else {
    std::lock_guard<std::mutex> lock(initializers::detail::rng_mutex());
    for (auto& v : a) v = d(global_rng());
  }
  return Tensor(std::move(a));
}

}  // namespace xkeras::random
