// Constraints: projections on known matrices (Keras's own test values), names and JSON.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/regularizers.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;

namespace {
std::string config_error_path(const json& j) {
  try {
    Constraint::from_json(j, "config.layers[0].config.kernel_constraint");
  } catch (const ConfigError& e) {
    return e.path();
  }
  return "(no ConfigError)";
}

Array matrix(const Shape& s, std::vector<float> v) { return Tensor::from(s, v).value(); }
}  // namespace

TEST_CASE("MaxNorm clips the norm of each column (Keras's test_max_norm)") {
  // x = [[0,0,0],[1,0,0],[3,0,0],[3,3,3]].T: columns of norm 0, 1, 3, 3*sqrt(3); max_value 2.
  Array w = matrix({3, 4}, {0, 1, 3, 3, 0, 0, 0, 3, 0, 0, 0, 3});
  constraints::MaxNorm(2.0f).apply(w);
  const float r = 2.0f / std::sqrt(3.0f);
  // Column 1 (norm 1) is scaled by 1/(1 + 1e-7), column 2 by 2/(3 + 1e-7).
  check_close(Tensor(w), {0, 1, 2, r, 0, 0, 0, r, 0, 0, 0, r}, 1e-6);

  // axis 1 constrains rows instead.
  Array rows = matrix({2, 2}, {3, 4, 0.6f, 0.8f});
  constraints::MaxNorm(2.0f, 1).apply(rows);
  check_close(Tensor(rows), {1.2f, 1.6f, 0.6f, 0.8f}, 1e-6);
}

TEST_CASE("MaxNorm over several axes constrains each conv filter") {
  // A (2, 2, 1, 2) kernel: filter 0 has norm 4 (all 2s), filter 1 has norm 1 (all 0.5s).
  Array k = matrix({2, 2, 1, 2}, {2, 0.5f, 2, 0.5f, 2, 0.5f, 2, 0.5f});
  constraints::MaxNorm(1.0f, std::vector<int>{0, 1, 2}).apply(k);
  check_close(Tensor(k), {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, 1e-6);
}

TEST_CASE("NonNeg zeroes the negative weights") {
  Array w = matrix({2, 3}, {-1, 0, 2, 3.5f, -0.25f, -7});
  constraints::NonNeg().apply(w);
  check_close(Tensor(w), {0, 0, 2, 3.5f, 0, 0});
}

TEST_CASE("UnitNorm scales each column to norm 1") {
  Array w = matrix({2, 2}, {3, 0, 4, 2});
  constraints::UnitNorm().apply(w);
  check_close(Tensor(w), {0.6f, 0.0f, 0.8f, 1.0f}, 1e-6);
  Array rows = matrix({2, 2}, {3, 4, 0, -2});
  constraints::UnitNorm(-1).apply(rows);
  check_close(Tensor(rows), {0.6f, 0.8f, 0.0f, -1.0f}, 1e-6);
  // A zero column stays zero (the epsilon avoids 0/0).
  Array z = matrix({2, 1}, {0, 0});
  constraints::UnitNorm().apply(z);
  check_close(Tensor(z), {0, 0});
}

TEST_CASE("MinMaxNorm moves each column norm into [min, max] at `rate`") {
  // Columns: [3, 4] (norm 5), [0.1, 0] (norm 0.1), [0.3, 0.4] (norm 0.5).
  Array w = matrix({2, 3}, {3, 0.1f, 0.3f, 4, 0, 0.4f});
  Array strict = w;
  constraints::MinMaxNorm(0.2f, 0.5f).apply(strict);
  check_close(Tensor(strict), {0.3f, 0.2f, 0.3f, 0.4f, 0.0f, 0.4f}, 1e-5);
  // rate 0.5: desired = 0.5 * clip(n) + 0.5 * n -> 2.75 for norm 5, 0.15 for norm 0.1.
  Array half = w;
  constraints::MinMaxNorm(0.2f, 0.5f, 0.5f).apply(half);
  check_close(Tensor(half), {1.65f, 0.15f, 0.3f, 2.2f, 0.0f, 0.4f}, 1e-5);
  CHECK_THROWS_AS(constraints::MinMaxNorm(2.0f, 1.0f), ValueError);
}

TEST_CASE("Constraints reject axes that do not fit the weight") {
  Array w = matrix({2, 2}, {1, 2, 3, 4});
  CHECK_THROWS_AS(constraints::MaxNorm(2.0f, 2).apply(w), ValueError);
  CHECK_THROWS_AS(constraints::UnitNorm(std::vector<int>{0, 0}).apply(w), ValueError);
  CHECK_THROWS_AS(constraints::UnitNorm(std::vector<int>{}), ValueError);
  CHECK_THROWS_AS(constraints::MaxNorm(-1.0f), ValueError);
  Constraint none;
  none.apply(w);  // an empty constraint is a no-op
  check_close(Tensor(w), {1, 2, 3, 4});
}

TEST_CASE("Constraints by name and their Keras 3 JSON") {
  CHECK(Constraint("max_norm").to_json() == json::parse(R"({"module": "keras.constraints", "class_name": "MaxNorm",
                                                            "config": {"max_value": 2.0, "axis": 0},
                                                            "registered_name": null})"));
  CHECK(Constraint("non_neg").to_json()["config"] == json::object());
  CHECK(Constraint("unit_norm").to_json()["config"] == json{{"axis", 0}});
  CHECK(Constraint("min_max_norm").to_json()["config"] ==
        json{{"min_value", 0.0}, {"max_value", 1.0}, {"rate", 1.0}, {"axis", 0}});
  CHECK(Constraint("NonNeg").class_name() == "NonNeg");
  CHECK(constraints::MaxNorm(3.0f, std::vector<int>{0, 1, 2}).to_json()["config"] ==
        json{{"max_value", 3.0}, {"axis", {0, 1, 2}}});
  CHECK(constraints::MinMaxNorm(0.5f, 2.0f, 0.7f, 1).to_json()["config"] ==
        json{{"min_value", 0.5}, {"max_value", 2.0}, {"rate", 0.7}, {"axis", 1}});
  CHECK(Constraint().to_json().is_null());
  CHECK_THROWS_AS(Constraint("typo"), ValueError);
}

TEST_CASE("Constraint JSON round trips, tf.keras aliases and null") {
  for (const Constraint& c : {constraints::MaxNorm(3.0f, 1), constraints::NonNeg(), constraints::UnitNorm(-1),
                              constraints::MinMaxNorm(0.2f, 0.9f, 0.5f, 0), constraints::MaxNorm(1.5f, {0, 1, 2})}) {
    const json j = c.to_json();
    CHECK(Constraint::from_json(j, "c").to_json() == j);
  }
  CHECK_FALSE(Constraint::from_json(nullptr, "c"));
  CHECK(Constraint::from_json("maxnorm", "c").class_name() == "MaxNorm");
  CHECK(Constraint::from_json("nonneg", "c").class_name() == "NonNeg");
  CHECK(Constraint::from_json("unitnorm", "c").class_name() == "UnitNorm");
  // tf.keras 2.x: no module or registered_name; an int max_value.
  const Constraint c = Constraint::from_json(json::parse(R"({"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}})"), "c");
  Array w = matrix({2, 1}, {3, 4});
  c.apply(w);
  check_close(Tensor(w), {1.2f, 1.6f}, 1e-6);
}

TEST_CASE("Malformed constraint JSON is a ConfigError naming the path") {
  const std::string p = "config.layers[0].config.kernel_constraint";
  CHECK(config_error_path(3) == p);
  CHECK(config_error_path("max") == p);
  CHECK(config_error_path(json::parse(R"({"class_name": 1})")) == p);
  CHECK(config_error_path(json::parse(R"({"class_name": "MaxNorm", "config": "x"})")) == p + ".config");
  CHECK(config_error_path(json::parse(R"({"class_name": "MaxNorm", "config": {"max_value": "2"}})")) ==
        p + ".config.max_value");
  CHECK(config_error_path(json::parse(R"({"class_name": "MaxNorm", "config": {"axis": 0.5}})")) == p + ".config.axis");
  CHECK(config_error_path(json::parse(R"({"class_name": "UnitNorm", "config": {"axis": []}})")) == p + ".config.axis");
  CHECK(config_error_path(json::parse(R"({"class_name": "UnitNorm", "config": {"axis": 1000}})")) == p + ".config.axis");
  CHECK(config_error_path(json::parse(R"({"class_name": "MaxNorm", "config": {"max_value": -1}})")) == p + ".config");
  CHECK(config_error_path(json::parse(R"({"class_name": "MinMaxNorm", "config": {"min_value": 3, "max_value": 1}})")) ==
        p + ".config");
  CHECK(config_error_path(json::parse(R"({"class_name": "NonNeg", "config": {"axis": 0}})")) == p + ".config.axis");
}
