// Regularizers: penalty values, gradients on the tape, names, and Keras 3 / tf.keras JSON.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/regularizers.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
Tensor w22() { return Tensor::from({2, 2}, {1, -2, 3, -4}); }  // sum|w| = 10, sum w^2 = 30

std::string config_error_path(const json& j) {
  try {
    Regularizer::from_json(j, "config.layers[0].config.kernel_regularizer");
  } catch (const ConfigError& e) {
    return e.path();
  }
  return "(no ConfigError)";
}
}  // namespace

TEST_CASE("Regularizer penalties: l1 * sum|w|, l2 * sum w^2") {
  CHECK(regularizers::L1(0.1f)(w22()).item() == Approx(1.0));
  CHECK(regularizers::L2(0.01f)(w22()).item() == Approx(0.3));
  CHECK(regularizers::L1L2(0.1f, 0.01f)(w22()).item() == Approx(1.3));
  CHECK(regularizers::L1L2()(w22()).item() == 0.0f);  // class defaults are 0
  CHECK(regularizers::L1()(w22()).item() == Approx(0.1));   // default 0.01
  CHECK(regularizers::L2()(w22()).item() == Approx(0.3));   // default 0.01
  // Keras docstring: L2(2.)(ones(5, 5)) == 50.
  CHECK(regularizers::L2(2.0f)(Tensor::full({5, 5}, 1.0f)).item() == Approx(50.0));
  CHECK(regularizers::L2()(w22()).shape() == Shape{});
}

TEST_CASE("Regularizers by name use Keras's defaults") {
  CHECK(Regularizer("l1")(w22()).item() == Approx(0.1));
  CHECK(Regularizer("l2")(w22()).item() == Approx(0.3));
  CHECK(Regularizer("l1_l2")(w22()).item() == Approx(0.4));  // l1 = l2 = 0.01
  CHECK(Regularizer("L1L2")(w22()).item() == 0.0f);          // the class: l1 = l2 = 0
  CHECK(Regularizer(std::string("L2")).class_name() == "L2");
  CHECK_FALSE(Regularizer());
  CHECK_FALSE(Regularizer(nullptr));
  CHECK_THROWS_AS(Regularizer("l3"), ValueError);
  CHECK_THROWS_AS(regularizers::L2(-0.1f), ValueError);
  CHECK_THROWS_AS(regularizers::L1L2(0.0f, std::nanf("")), ValueError);
}

TEST_CASE("Regularizer penalties differentiate on the tape") {
  Tensor w = random_tensor({3, 4}, 1, 0.2f, 1.0f);
  // Away from 0 so |w| is smooth; flip signs to exercise both branches.
  for (std::size_t i = 0; i < w.size(); i += 2) w.data()[i] = -w.data()[i];
  check_gradients([&] { return regularizers::L1L2(0.3f, 0.2f)(w); }, {w});

  // Exact values: d/dw (l1 |w| + l2 w^2) = l1 sign(w) + 2 l2 w.
  Tensor v = Tensor::from({3}, {2.0f, -1.0f, 0.5f});
  v.set_requires_grad(true);
  Tape::current().clear();
  Tape::current().backward(regularizers::L1L2(0.1f, 0.5f)(v));
  check_close(Tensor(v.grad()), {0.1f + 2.0f, -0.1f - 1.0f, 0.1f + 0.5f});
}

TEST_CASE("Regularizer JSON: the Keras 3 object layout and round trips") {
  const json l2 = regularizers::L2(0.01f).to_json();
  CHECK(l2 == json::parse(R"({"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01},
                               "registered_name": null})"));
  CHECK(regularizers::L1(0.5f).to_json()["config"] == json{{"l1", 0.5}});
  CHECK(regularizers::L1L2(1e-5f, 1e-4f).to_json()["config"] == json{{"l1", 1e-5}, {"l2", 1e-4}});
  CHECK(Regularizer().to_json().is_null());

  for (const Regularizer& r : {regularizers::L1(0.25f), regularizers::L2(0.003f), regularizers::L1L2(0.1f, 0.2f),
                               Regularizer("l1_l2")}) {
    const json j = r.to_json();
    const Regularizer back = Regularizer::from_json(j, "r");
    CHECK(back.to_json() == j);
    CHECK(back(w22()).item() == Approx(r(w22()).item()));
  }
}

TEST_CASE("Regularizer JSON: strings, tf.keras objects and null") {
  CHECK_FALSE(Regularizer::from_json(nullptr, "r"));
  CHECK(Regularizer::from_json("l2", "r")(w22()).item() == Approx(0.3));
  CHECK(Regularizer::from_json("l1_l2", "r")(w22()).item() == Approx(0.4));
  // tf.keras 2.x writes float32 factors in full and no module/registered_name.
  const json tfk = json::parse(R"({"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.009999999776482582}})");
  const Regularizer r = Regularizer::from_json(tfk, "r");
  CHECK(r.class_name() == "L1L2");
  CHECK(r(w22()).item() == Approx(0.3));
  CHECK(r.to_json()["config"] == json{{"l1", 0.0}, {"l2", 0.01}});
  // A null factor means the default (Keras: `0.01 if l2 is None else l2`).
  CHECK(Regularizer::from_json(json::parse(R"({"class_name": "L2", "config": {"l2": null}})"), "r")(w22()).item() ==
        Approx(0.3));
  CHECK(Regularizer::from_json(json::parse(R"({"class_name": "L2"})"), "r")(w22()).item() == Approx(0.3));
}

TEST_CASE("Malformed regularizer JSON is a ConfigError naming the path") {
  const std::string p = "config.layers[0].config.kernel_regularizer";
  CHECK(config_error_path(42) == p);
  CHECK(config_error_path(json::array({1, 2})) == p);
  CHECK(config_error_path("l3") == p);
  CHECK(config_error_path(json::parse(R"({"config": {"l2": 0.1}})")) == p);
  CHECK(config_error_path(json::parse(R"({"class_name": "Orthogonal"})")) == p);
  CHECK(config_error_path(json::parse(R"({"class_name": "OrthogonalRegularizer", "config": {}})")) == p);
  CHECK(config_error_path(json::parse(R"({"class_name": "L2", "config": [0.1]})")) == p + ".config");
  CHECK(config_error_path(json::parse(R"({"class_name": "L2", "config": {"l2": -0.1}})")) == p + ".config.l2");
  CHECK(config_error_path(json::parse(R"({"class_name": "L2", "config": {"l2": "0.1"}})")) == p + ".config.l2");
  CHECK(config_error_path(json::parse(R"({"class_name": "L1", "config": {"l1": 1e300}})")) == p + ".config.l1");
  CHECK(config_error_path(json::parse(R"({"class_name": "L2", "config": {"l1": 0.1}})")) == p + ".config.l1");
  CHECK(config_error_path(json::parse(R"({"class_name": "L1L2", "config": {"l2": 0.1, "l3": 1}})")) == p + ".config.l3");
}
