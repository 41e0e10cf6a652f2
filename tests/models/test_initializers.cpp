#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>

using namespace xkeras;

namespace {
double mean_of(const Array& a) {
  double s = 0;
  for (float v : a) s += v;
  return s / double(a.size());
}
double std_of(const Array& a) {
  const double m = mean_of(a);
  double s = 0;
  for (float v : a) s += (v - m) * (v - m);
  return std::sqrt(s / double(a.size()));
}
}  // namespace

TEST_CASE("glorot_uniform draws within Keras's limit sqrt(6 / (fan_in + fan_out))") {
  Array w = Initializer("glorot_uniform")({300, 200});
  const double limit = std::sqrt(6.0 / 500.0);
  float lo = 1, hi = -1;
  for (float v : w) { lo = std::min(lo, v); hi = std::max(hi, v); }
  CHECK(lo >= -limit);
  CHECK(hi <= limit);
  CHECK(hi > 0.95 * limit);                          // the whole range is used
  CHECK(std_of(w) == Approx(limit / std::sqrt(3.0)).epsilon(0.02));  // std of U(-l, l)
}

TEST_CASE("he_normal on a conv kernel has stddev sqrt(2 / fan_in) with fan_in = kh * kw * in") {
  Array w = Initializer("he_normal")({3, 3, 64, 64});
  // truncated at 2 stddev, rescaled by 1/0.8796 so the result has the intended stddev
  CHECK(std_of(w) == Approx(std::sqrt(2.0 / (3 * 3 * 64))).epsilon(0.03));
  CHECK(std::fabs(mean_of(w)) < 0.002);
}

TEST_CASE("zeros, ones, constant, random_normal, random_uniform") {
  CHECK((Initializer("zeros")({2, 2}) == Array(xt::zeros<float>({2, 2}))));
  CHECK((Initializer("ones")({3}) == Array(xt::ones<float>({3}))));
  Array c = initializers::Constant(0.5f)({4});
  for (float v : c) CHECK(v == 0.5f);
  Array n = initializers::RandomNormal(1.0f, 0.1f)({100, 100});
  CHECK(mean_of(n) == Approx(1.0).epsilon(0.01));
  CHECK(std_of(n) == Approx(0.1).epsilon(0.03));
  Array u = initializers::RandomUniform(-0.05f, 0.05f)({1000});
  for (float v : u) CHECK((v >= -0.05f && v <= 0.05f));
}

TEST_CASE("seeded initializers repeat, set_random_seed makes unseeded ones repeat") {
  CHECK((initializers::GlorotUniform(7)({5, 5}) == initializers::GlorotUniform(7)({5, 5})));
  CHECK((initializers::GlorotUniform(7)({5, 5}) != initializers::GlorotUniform(8)({5, 5})));
  set_random_seed(3);
  Array a = Initializer("he_normal")({4, 4});
  set_random_seed(3);
  CHECK((Initializer("he_normal")({4, 4}) == a));
}

TEST_CASE("initializer JSON: Keras 3 objects, tf.keras objects and names, unknown names name the path") {
  json j = initializers::RandomNormal(0.0f, 0.05f, 42).to_json();
  CHECK(j["module"] == "keras.initializers");
  CHECK(j["class_name"] == "RandomNormal");
  CHECK(j["config"]["seed"] == 42);
  CHECK((Initializer::from_json(j, "x")({3, 3}) == initializers::RandomNormal(0.0f, 0.05f, 42)({3, 3})));
  CHECK(Initializer::from_json(json{{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}, "x").class_name() ==
        "GlorotUniform");
  CHECK(Initializer::from_json("he_uniform", "x").class_name() == "HeUniform");
  CHECK_THROWS_WITH(Initializer::from_json("nope", "config.kernel_initializer"),
                    Catch::Contains("config.kernel_initializer") && Catch::Contains("nope"));
  CHECK_THROWS_AS(Initializer("nope"), ValueError);
}
