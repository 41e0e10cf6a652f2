// The global generator behind unseeded initializers, Dropout's and fit's seeds.
#include "initializers/draw.hpp"

namespace xkeras {

namespace initializers::detail {
std::mutex& rng_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace initializers::detail

std::mt19937_64& global_rng() {
  static std::mt19937_64 rng(1337);
  return rng;
}

void set_random_seed(std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(initializers::detail::rng_mutex());
  global_rng().seed(seed);
}

std::uint64_t draw_seed() {
  std::lock_guard<std::mutex> lock(initializers::detail::rng_mutex());
  return global_rng()();
}

}  // namespace xkeras
