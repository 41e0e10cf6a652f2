// random::normal / uniform / randint: seeded calls repeat, unseeded ones follow set_random_seed, and
// the draws have the asked-for distribution (moments over 200000 values, a fixed seed).
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>
#include <xkeras/random.hpp>

using namespace xkeras;

TEST_CASE("seeded random tensors repeat and differ across seeds") {
  CHECK(random::normal({4, 3}, 0, 1, 7).to_vector() == random::normal({4, 3}, 0, 1, 7).to_vector());
  CHECK(random::normal({4, 3}, 0, 1, 7).to_vector() != random::normal({4, 3}, 0, 1, 8).to_vector());
  CHECK(random::uniform({5}, 0, 1, 3).to_vector() == random::uniform({5}, 0, 1, 3).to_vector());
  CHECK(random::randint({6}, 0, 100, 3).ivalue() == random::randint({6}, 0, 100, 3).ivalue());
}

TEST_CASE("unseeded random tensors follow the global seed") {
  set_random_seed(99);
  const auto a = random::normal({10}).to_vector();
  const auto b = random::normal({10}).to_vector();
  set_random_seed(99);
  CHECK(random::normal({10}).to_vector() == a);
  CHECK(random::normal({10}).to_vector() == b);
  CHECK(a != b);
}

TEST_CASE("random draws have the asked-for moments and ranges") {
  const std::size_t n = 200000;
  const Tensor x = random::normal({n}, 2.0f, 3.0f, 11);
  double s = 0, s2 = 0;
  for (float v : x.value()) s += v, s2 += double(v) * v;
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean);
  // Standard errors: 3 / sqrt(n) = 0.0067 for the mean, about 0.005 for the deviation.
  CHECK(mean == Approx(2.0).margin(0.03));
  CHECK(sd == Approx(3.0).margin(0.03));
  const Tensor u = random::uniform({n}, -1.0f, 3.0f, 12);
  double us = 0;
  float lo = 10, hi = -10;
  for (float v : u.value()) us += v, lo = std::min(lo, v), hi = std::max(hi, v);
  CHECK(us / n == Approx(1.0).margin(0.02));  // se = 4 / sqrt(12 n) = 0.0026
  CHECK(lo >= -1.0f);
  CHECK(hi < 3.0f);
  CHECK(lo < -0.99f);
  CHECK(hi > 2.99f);
  const Tensor r = random::randint({n}, -2, 3, 13);
  std::vector<int> counts(5, 0);
  for (std::int32_t v : r.ivalue()) {
    REQUIRE(v >= -2);
    REQUIRE(v < 3);
    counts[v + 2]++;
  }
  for (int c : counts) CHECK(c == Approx(n / 5).epsilon(0.02));  // se of a count: 179 of 40000
}

TEST_CASE("random refuses bad arguments") {
  CHECK_THROWS_AS(random::normal({2}, 0, -1), ValueError);
  CHECK_THROWS_AS(random::uniform({2}, 1, 1), ValueError);
  CHECK_THROWS_AS(random::randint({2}, 3, 3), ValueError);
  CHECK_THROWS_AS(random::normal({1u << 20, 1u << 20}), ValueError);
}
