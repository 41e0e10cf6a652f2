// Initializer draws: limits and moments of large seeded samples (tolerances of five standard
// errors for the sample size), the presets as VarianceScaling, Orthogonal and Identity.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>

using namespace xkeras;

namespace {

struct Moments {
  double mean = 0, var = 0, lo = 1e30, hi = -1e30;
  std::size_t n = 0;
};

Moments moments(const Array& a) {
  Moments m;
  m.n = a.size();
  for (float v : a) {
    m.mean += v;
    m.lo = std::min(m.lo, double(v));
    m.hi = std::max(m.hi, double(v));
  }
  m.mean /= double(m.n);
  for (float v : a) m.var += (v - m.mean) * (v - m.mean);
  m.var /= double(m.n);
  return m;
}

// mean within 5 standard errors of `mean`; variance within 5 standard errors of `var` for a
// distribution of kurtosis `kurt` (the sample variance has standard error var sqrt((kurt - 1) / n)).
void check_moments(const Moments& m, double mean, double var, double kurt) {
  INFO("n " << m.n << " mean " << m.mean << " (want " << mean << "), var " << m.var << " (want " << var << ")");
  CHECK(std::fabs(m.mean - mean) <= 5 * std::sqrt(var / double(m.n)));
  CHECK(std::fabs(m.var - var) <= 5 * var * std::sqrt((kurt - 1) / double(m.n)));
}

constexpr double kUniformKurtosis = 1.8, kNormalKurtosis = 3.0;
constexpr double kTruncatedKurtosis = 2.4;  // a normal truncated at 2 sigma has kurtosis ~2.36
constexpr double kTruncatedStd = 0.87962566103423978;

}  // namespace

TEST_CASE("VarianceScaling uniform: limit sqrt(3 scale / n) with n = (fan_in + fan_out) / 2") {
  const Array w = initializers::VarianceScaling(3.0, "fan_avg", "uniform", 11)({400, 250});
  const double limit = std::sqrt(3.0 * 3.0 / 325.0);
  const Moments m = moments(w);
  CHECK(m.lo >= -limit);
  CHECK(m.hi <= limit);
  CHECK(m.hi > 0.999 * limit);
  CHECK(m.lo < -0.999 * limit);
  check_moments(m, 0.0, limit * limit / 3.0, kUniformKurtosis);
}

TEST_CASE("VarianceScaling truncated_normal: within 2 sigma, variance scale / fan_in on a conv kernel") {
  // fan_in = 5 * 5 * 64 = 1600
  const Array w = initializers::VarianceScaling(2.0, "fan_in", "truncated_normal", 12)({5, 5, 64, 32});
  const double s = 2.0 / 1600.0, sigma = std::sqrt(s) / kTruncatedStd;
  const Moments m = moments(w);
  CHECK(m.lo >= -2 * sigma * (1 + 1e-6));
  CHECK(m.hi <= 2 * sigma * (1 + 1e-6));
  CHECK(m.hi > 1.99 * sigma);
  check_moments(m, 0.0, s, kTruncatedKurtosis);
  // "normal" is Keras's legacy spelling of truncated_normal: the same draws, written back corrected
  const Initializer legacy = initializers::VarianceScaling(2.0, "fan_in", "Normal", 12);
  CHECK((legacy({5, 5, 64, 32}) == w));
  CHECK(legacy.to_json()["config"]["distribution"] == "truncated_normal");
}

TEST_CASE("VarianceScaling untruncated_normal: variance scale / fan_out, tails beyond 2 sigma") {
  const Array w = initializers::VarianceScaling(0.5, "fan_out", "untruncated_normal", 13)({200, 500});
  const double s = 0.5 / 500.0, sigma = std::sqrt(s);
  const Moments m = moments(w);
  check_moments(m, 0.0, s, kNormalKurtosis);
  std::size_t beyond = 0;
  for (float v : w) beyond += std::fabs(v) > 2 * sigma;
  const double p = 0.0455, n = double(w.size());  // P(|Z| > 2)
  CHECK(std::fabs(beyond / n - p) <= 5 * std::sqrt(p * (1 - p) / n));
}

TEST_CASE("VarianceScaling: fan of at least 1, and the fans Keras computes") {
  using initializers::compute_fans;
  CHECK(compute_fans({}) == std::pair<double, double>{1, 1});
  CHECK(compute_fans({7}) == std::pair<double, double>{7, 7});
  CHECK(compute_fans({3, 5}) == std::pair<double, double>{3, 5});
  CHECK(compute_fans({3, 3, 4, 8}) == std::pair<double, double>{36, 72});
  CHECK(compute_fans({2, 3, 3, 4, 8}) == std::pair<double, double>{72, 144});
  // a 0-size fan counts as 1: limit sqrt(3 * scale)
  const Array w = initializers::VarianceScaling(1.0, "fan_in", "uniform", 1)({0, 4});
  CHECK(w.size() == 0);
}

TEST_CASE("the presets are VarianceScaling with Keras's parameters") {
  using namespace initializers;
  const Shape shape{30, 20};
  CHECK((GlorotUniform(5)(shape) == VarianceScaling(1.0, "fan_avg", "uniform", 5)(shape)));
  CHECK((GlorotNormal(5)(shape) == VarianceScaling(1.0, "fan_avg", "truncated_normal", 5)(shape)));
  CHECK((HeNormal(5)(shape) == VarianceScaling(2.0, "fan_in", "truncated_normal", 5)(shape)));
  CHECK((HeUniform(5)(shape) == VarianceScaling(2.0, "fan_in", "uniform", 5)(shape)));
  CHECK((LecunNormal(5)(shape) == VarianceScaling(1.0, "fan_in", "truncated_normal", 5)(shape)));
  CHECK((LecunUniform(5)(shape) == VarianceScaling(1.0, "fan_in", "uniform", 5)(shape)));
  CHECK((Initializer("variance_scaling")(shape).size() == 600));
}

TEST_CASE("TruncatedNormal and RandomUniform moments") {
  const Array t = initializers::TruncatedNormal(1.0f, 0.5f, 3)({100000});
  const Moments mt = moments(t);
  CHECK(mt.lo >= 0.0 - 1e-6);
  CHECK(mt.hi <= 2.0 + 1e-6);
  // no 0.8796 correction here: the variance is stddev^2 times that of a standard normal cut at 2
  check_moments(mt, 1.0, 0.25 * kTruncatedStd * kTruncatedStd, kTruncatedKurtosis);
  const Array u = initializers::RandomUniform(-1.0f, 3.0f, 4)({100000});
  const Moments mu = moments(u);
  CHECK(mu.lo >= -1.0);
  CHECK(mu.hi <= 3.0);
  check_moments(mu, 1.0, 16.0 / 12.0, kUniformKurtosis);
  const Array n = initializers::RandomNormal(-2.0f, 0.3f, 5)({100000});
  check_moments(moments(n), -2.0, 0.09, kNormalKurtosis);
}

namespace {
// (A^T B)(i, j) for row-major matrices A and B of `rows` rows and `cols` columns.
double at_b(const Array& a, const Array& b, std::size_t rows, std::size_t cols, std::size_t i, std::size_t j) {
  double s = 0;
  for (std::size_t r = 0; r < rows; ++r) s += double(a.data()[r * cols + i]) * double(b.data()[r * cols + j]);
  return s;
}
}  // namespace

TEST_CASE("Orthogonal: Q^T Q = gain^2 I for tall, wide and conv shapes") {
  struct Case { Shape shape; std::size_t rows, cols; float gain; };
  for (const Case& c : {Case{{50, 20}, 50, 20, 1.0f}, Case{{20, 50}, 20, 50, 1.5f}, Case{{3, 3, 4, 8}, 36, 8, 2.0f},
                        Case{{16, 16}, 16, 16, 1.0f}}) {
    INFO("shape rows " << c.rows << " cols " << c.cols << " gain " << c.gain);
    const Array w = initializers::Orthogonal(c.gain, 9)(c.shape);
    REQUIRE(w.shape() == c.shape);
    // orthonormal columns when rows >= cols, orthonormal rows otherwise
    const bool tall = c.rows >= c.cols;
    const std::size_t k = tall ? c.cols : c.rows;
    double worst = 0;
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j) {
        double s = 0;
        if (tall)
          for (std::size_t r = 0; r < c.rows; ++r) s += double(w.data()[r * c.cols + i]) * w.data()[r * c.cols + j];
        else
          for (std::size_t r = 0; r < c.cols; ++r) s += double(w.data()[i * c.cols + r]) * w.data()[j * c.cols + r];
        worst = std::max(worst, std::fabs(s - (i == j ? double(c.gain) * c.gain : 0.0)));
      }
    CHECK(worst < 1e-5);
  }
}

TEST_CASE("Orthogonal: the sign-fixed Q of the QR of the seeded normal matrix") {
  // Redraw A (rows x cols, row-major) from the same seed: R = Q^T A must be upper triangular
  // with a positive diagonal (the sign fix makes the factorization unique).
  const std::size_t rows = 12, cols = 5;
  const Array q = initializers::Orthogonal(1.0f, 21)({rows, cols});
  std::mt19937_64 rng(21);
  std::normal_distribution<float> n(0.0f, 1.0f);
  Array a = Array::from_shape({rows, cols});
  for (auto& v : a) v = n(rng);
  for (std::size_t i = 0; i < cols; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      const double r = at_b(q, a, rows, cols, i, j);
      INFO("R(" << i << ", " << j << ") = " << r);
      if (i > j) CHECK(std::fabs(r) < 1e-5);
      if (i == j) CHECK(r > 0);
    }
  CHECK((initializers::Orthogonal(1.0f, 21)({rows, cols}) == q));  // seeded: repeatable
  CHECK_THROWS_WITH(initializers::Orthogonal()({5}), Catch::Contains("at least two-dimensional"));
}

TEST_CASE("Identity: gain times eye, 2-D only") {
  const Array w = initializers::Identity(2.0f)({3, 4});
  const std::vector<float> want = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0};
  CHECK(std::vector<float>(w.begin(), w.end()) == want);
  const Array t = Initializer("identity")({3, 2});
  CHECK(std::vector<float>(t.begin(), t.end()) == std::vector<float>{1, 0, 0, 1, 0, 0});
  CHECK_THROWS_WITH(initializers::Identity()({2, 2, 2}), Catch::Contains("2D") && Catch::Contains("(2, 2, 2)"));
}

TEST_CASE("initializer arguments are validated") {
  CHECK_THROWS_WITH(initializers::VarianceScaling(0.0), Catch::Contains("scale"));
  CHECK_THROWS_WITH(initializers::VarianceScaling(-1.0), Catch::Contains("scale"));
  CHECK_THROWS_WITH(initializers::VarianceScaling(1.0, "fan_sum"), Catch::Contains("fan_sum") && Catch::Contains("fan_avg"));
  CHECK_THROWS_WITH(initializers::VarianceScaling(1.0, "fan_in", "gaussian"),
                    Catch::Contains("gaussian") && Catch::Contains("untruncated_normal"));
  CHECK_THROWS_AS(initializers::RandomUniform(1.0f, -1.0f), ValueError);
  CHECK_THROWS_AS(initializers::RandomNormal(0.0f, -1.0f), ValueError);
  CHECK_THROWS_AS(initializers::Orthogonal(std::nanf("")), ValueError);
}

TEST_CASE("Orthogonal refuses a matrix whose QR would take hours, before allocating it") {
  // (16384, 16384): 4 * 2^42 operations; the 1 GiB result must not be allocated first either.
  CHECK_THROWS_WITH(initializers::Orthogonal(1.0f, 1)(Shape{16384, 16384}), Catch::Contains("more than 2^40 operations"));
  // An LSTM(256) recurrent kernel (256, 1024) is far inside the limit.
  CHECK(initializers::Orthogonal(1.0f, 1)(Shape{256, 1024}).size() == 256u * 1024u);
}
