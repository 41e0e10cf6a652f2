// ReLU, LeakyReLU, PReLU, ELU, Softmax and ThresholdedReLU: Keras's test values
// (/work/shared/reference/keras_reference_layers2.md §6.1-6.5), hand-computed values, gradient
// checks, Keras 3 configs, loading through model_from_json, and bad configs.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::check_gradients;
using xkeras::testing::check_key_order;
using xkeras::testing::random_tensor;

namespace {
Tensor row(const std::vector<float>& v) { return Tensor::from({1, v.size()}, v); }
const std::vector<float> kX = {-10, -5, 0, 5, 10};

// A smooth input for gradient checks: values away from 0 and from the caps used below.
Tensor smooth_input() { return Tensor::from({2, 5}, {-2.3f, -0.7f, 0.4f, 1.3f, 2.6f, -1.1f, 0.9f, 3.7f, -3.2f, 0.15f}); }
}  // namespace

TEST_CASE("ReLU: Keras's test values") {
  check_close(layers::ReLU()(row(kX)), {0, 0, 0, 5, 10});
  check_close(layers::ReLU({.negative_slope = 0.5f})(row(kX)), {-5, -2.5f, 0, 5, 10});
  check_close(layers::ReLU({.max_value = 5.0f})(row(kX)), {0, 0, 0, 5, 5});
  check_close(layers::ReLU({.threshold = 5.0f})(row(kX)), {0, 0, 0, 0, 10});
  check_close(layers::ReLU({.max_value = 5.0f, .threshold = 5.0f})(row(kX)), {0, 0, 0, 0, 5});
  check_close(layers::ReLU({.max_value = 5.0f, .negative_slope = 0.5f, .threshold = 5.0f})(row(kX)), {-7.5f, -5, -2.5f, 0, 5});
  check_close(layers::ReLU({.max_value = 8.0f, .threshold = 5.0f})(row({6, 7, 0, 5, 10})), {6, 7, 0, 0, 8});
  check_close(layers::ReLU({.max_value = 6.0f})(row({-10, -5, 0, 5, 10, 12})), {0, 0, 0, 5, 6, 6});
}

TEST_CASE("ReLU: gradients, output shape, config") {
  for (const layers::ReLUOptions& o : {layers::ReLUOptions{}, layers::ReLUOptions{.max_value = 6.0f},
                               layers::ReLUOptions{.max_value = 2.0f, .negative_slope = 0.3f, .threshold = 0.5f}}) {
    layers::ReLU l(o);
    Tensor x = smooth_input();
    testing::check_output_shape(*l, {x});
    check_gradients([&] { return l(x); }, {x}, 1e-3);
  }
  layers::ReLU l({.max_value = 6.0f, .negative_slope = 0.1f, .name = "r"});
  const json c = l->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "max_value", "negative_slope", "threshold"});
  CHECK(c["max_value"] == 6.0);
  CHECK(c["negative_slope"].get<double>() == Approx(0.1));
  CHECK(c["threshold"] == 0.0);
  CHECK(layers::ReLU()->get_config()["max_value"].is_null());
  check_config_round_trip(*l);
  CHECK(l->weights().empty());
  CHECK(l->build_config().is_null());
}

TEST_CASE("ReLU: bad arguments and configs") {
  CHECK_THROWS_WITH(layers::ReLU({.max_value = -1.0f}), Catch::Contains("max_value") && Catch::Contains("negative"));
  CHECK_THROWS_AS(layers::ReLU({.negative_slope = -0.1f}), ValueError);
  CHECK_THROWS_AS(layers::ReLU({.threshold = -1.0f}), ValueError);
  CHECK_THROWS_WITH(layer_from_config("ReLU", json{{"max_value", -2}}, "config.layers[1]"),
                    Catch::Contains("config.layers[1].config.max_value"));
  CHECK_THROWS_WITH(layer_from_config("ReLU", json{{"threshold", nullptr}}, "config"), Catch::Contains("config.threshold"));
  CHECK_THROWS_WITH(layer_from_config("ReLU", json{{"negative_slope", "x"}}, "config"), Catch::Contains("config.negative_slope"));
  // TFJS's ReLU writes only max_value
  auto tfjs = layer_from_config("ReLU", json{{"name", "re_lu"}, {"max_value", 6}}, "config");
  check_close((*tfjs)(row({-1, 3, 7})), {0, 3, 6});
}

TEST_CASE("LeakyReLU: Keras's test value, default slope 0.3, alpha from Keras 2 configs") {
  check_close(layers::LeakyReLU(0.5f)(row(kX)), {-5, -2.5f, 0, 5, 10});
  check_close(layers::LeakyReLU()(row({-2, 3})), {-0.6f, 3});
  layers::LeakyReLU l(0.2f, "leaky");
  Tensor x = smooth_input();
  testing::check_output_shape(*l, {x});
  check_gradients([&] { return l(x); }, {x}, 1e-3);
  const json c = l->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "negative_slope"});
  CHECK(c["negative_slope"].get<double>() == Approx(0.2));
  check_config_round_trip(*l);
  auto k2 = layer_from_config("LeakyReLU", json{{"name", "lr"}, {"trainable", true}, {"dtype", "float32"}, {"alpha", 0.1}}, "config");
  check_close((*k2)(row({-10, 4})), {-1, 4});
  CHECK(k2->get_config().contains("negative_slope"));
  CHECK_FALSE(k2->get_config().contains("alpha"));
  CHECK(std::dynamic_pointer_cast<layers::LeakyReLUImpl>(layer_from_config("LeakyReLU", json::object(), "c"))->negative_slope() ==
        Approx(0.3));
  CHECK_THROWS_AS(layers::LeakyReLU(-0.1f), ValueError);
  CHECK_THROWS_WITH(layer_from_config("LeakyReLU", json{{"alpha", -1}}, "config"), Catch::Contains("config.alpha"));
  CHECK_THROWS_WITH(layer_from_config("LeakyReLU", json{{"negative_slope", nullptr}}, "config"),
                    Catch::Contains("config.negative_slope"));
}

TEST_CASE("PReLU: alpha weight shape with shared axes, values and gradients") {
  layers::PReLU p({.alpha_initializer = initializers::Constant(0.5f)});
  check_close(p(Tensor::from({2, 3}, {-2, 1, -4, 3, -1, 0.5f})), {-1, 1, -2, 3, -0.5f, 0.5f});
  REQUIRE(p->weights().size() == 1);
  CHECK(p->weights()[0]->path().find("alpha") != std::string::npos);
  CHECK(p->alpha()->value.shape() == Shape{3});
  // Keras's test: input (2, 10, 5, 3), shared_axes (1, 2) -> alpha (1, 1, 3)
  layers::PReLU shared({.shared_axes = {1, 2}});
  Tensor x4 = random_tensor({2, 10, 5, 3}, 5);
  testing::check_output_shape(*shared, {x4});
  CHECK(shared->alpha()->value.shape() == Shape{1, 1, 3});
  // gradients with respect to the input and alpha (given distinct values)
  layers::PReLU g({.shared_axes = {1}});
  Tensor x = Tensor::from({2, 2, 3}, {-2.3f, -0.7f, 0.4f, 1.3f, 2.6f, -1.1f, 0.9f, 3.7f, -3.2f, 0.15f, -0.45f, 1.8f});
  g(x);
  REQUIRE(g->alpha()->value.shape() == Shape{1, 3});
  g->set_weights({Array(xt::xarray<float>({{0.2f, -0.4f, 0.7f}}))});
  check_close(g(x), {-0.46f, 0.28f, 0.4f, 1.3f, 2.6f, -0.77f, 0.9f, 3.7f, -2.24f, 0.15f, 0.18f, 1.8f});
  Tensor alpha = g->alpha()->value;
  check_gradients([&] { return g(x); }, {x, alpha}, 1e-3);
}

TEST_CASE("PReLU: config, round trip and errors") {
  layers::PReLU p({.shared_axes = {1, 2}, .name = "prelu"});
  const json c = p->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"});
  CHECK(c["alpha_initializer"]["class_name"] == "Zeros");
  CHECK(c["alpha_regularizer"].is_null());
  CHECK(c["alpha_constraint"].is_null());
  CHECK(c["shared_axes"] == json::array({1, 2}));
  CHECK(layers::PReLU()->get_config()["shared_axes"].is_null());
  check_config_round_trip(*p);
  // a scalar shared_axes (tf.keras) becomes a one-element list; "zeros" as tf.keras writes it
  auto one = layer_from_config("PReLU", json{{"alpha_initializer", "zeros"}, {"shared_axes", 2}}, "config");
  CHECK(one->get_config()["shared_axes"] == json::array({2}));
  CHECK_THROWS_WITH(layer_from_config("PReLU", json{{"shared_axes", json::array({0})}}, "config"),
                    Catch::Contains("config.shared_axes"));
  CHECK_THROWS_WITH(layer_from_config("PReLU", json{{"alpha_initializer", "zerosss"}}, "config"),
                    Catch::Contains("config.alpha_initializer"));
  layers::PReLU too_far({.shared_axes = {3}});
  CHECK_THROWS_WITH(too_far(Tensor::from({1, 2}, {1, 2})), Catch::Contains("shared axis 3"));
  layers::PReLU built;
  built(Tensor::from({1, 2}, {1, 2}));
  CHECK_THROWS_AS(built(Tensor::from({1, 3}, {1, 2, 3})), ValueError);  // alpha was built for 2 features
}

TEST_CASE("ELU: values, gradients, Keras 3 auto-config order") {
  check_close(layers::ELU(0.5f)(row({-1, 0, 2})), {-0.316060279f, 0, 2});
  check_close(layers::ELU()(row({-1, 3})), {std::expm1(-1.0f), 3});
  layers::ELU l(0.7f, "elu");
  Tensor x = smooth_input();
  testing::check_output_shape(*l, {x});
  check_gradients([&] { return l(x); }, {x}, 1e-3);
  const json c = l->get_config();
  check_key_order(c, {"name", "alpha", "trainable", "dtype"});
  CHECK(c["alpha"].get<double>() == Approx(0.7));
  check_config_round_trip(*l);
  CHECK_THROWS_WITH(layer_from_config("ELU", json{{"alpha", "one"}}, "config"), Catch::Contains("config.alpha"));
}

TEST_CASE("Softmax: Keras's test values for one axis and for two axes jointly") {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 1, 1, 2, 1});
  check_close(layers::Softmax()(x), {0.21194157f, 0.5761169f, 0.21194157f, 0.21194157f, 0.5761169f, 0.21194157f});
  check_close(layers::Softmax(std::vector<int>{1, 0})(x),
              {0.105970779f, 0.288058442f, 0.105970779f, 0.105970779f, 0.288058442f, 0.105970779f});
  check_close(layers::Softmax(0)(x), {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
  for (const auto& axes : {std::vector<int>{-1}, std::vector<int>{1}, std::vector<int>{1, 2}}) {
    layers::Softmax s(axes);
    Tensor x3 = random_tensor({2, 3, 4}, 8, -2.0f, 2.0f);
    testing::check_output_shape(*s, {x3});
    check_gradients([&] { return s(x3); }, {x3}, 1e-3);
  }
}

TEST_CASE("Softmax: config as an int or a list, and errors") {
  layers::Softmax s(-1, "sm");
  check_key_order(s->get_config(), {"name", "trainable", "dtype", "axis"});
  CHECK(s->get_config()["axis"] == -1);
  check_config_round_trip(*s);
  layers::Softmax two(std::vector<int>{1, 0});
  CHECK(two->get_config()["axis"] == json::array({1, 0}));
  check_config_round_trip(*two);
  auto listed = layer_from_config("Softmax", json{{"axis", json::array({-1})}}, "config");
  CHECK(listed->get_config()["axis"] == json::array({-1}));
  CHECK_THROWS_WITH(layer_from_config("Softmax", json{{"axis", "last"}}, "config"), Catch::Contains("config.axis"));
  CHECK_THROWS_WITH(layer_from_config("Softmax", json{{"axis", json::array()}}, "config"), Catch::Contains("config.axis"));
  layers::Softmax bad(3);
  CHECK_THROWS_WITH(bad(Tensor::from({1, 2}, {1, 2})), Catch::Contains("axis") && Catch::Contains("(1, 2)"));
  CHECK_THROWS_WITH(layers::Softmax(std::vector<int>{1, -1})(Tensor::from({1, 2}, {1, 2})), Catch::Contains("axis"));
}

TEST_CASE("ThresholdedReLU: values, gradients, tf.keras config") {
  check_close(layers::ThresholdedReLU()(row({-1, 0.5f, 1, 1.5f})), {0, 0, 0, 1.5f});
  check_close(layers::ThresholdedReLU(0.0f)(row({-1, 0, 2})), {0, 0, 2});
  layers::ThresholdedReLU l(0.5f, "tr");
  Tensor x = smooth_input();
  testing::check_output_shape(*l, {x});
  check_gradients([&] { return l(x); }, {x}, 1e-3);
  const json c = l->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "theta"});
  CHECK(c["theta"] == 0.5);
  check_config_round_trip(*l);
  CHECK_THROWS_AS(layers::ThresholdedReLU(-1.0f), ValueError);
  CHECK_THROWS_WITH(layer_from_config("ThresholdedReLU", json{{"theta", -0.5}}, "config"), Catch::Contains("config.theta"));
}

TEST_CASE("activation layers load through model_from_json from a tf.keras Sequential and save as Keras 3") {
  const std::string text = R"({"class_name": "Sequential", "config": {"name": "acts", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "in"}},
    {"class_name": "ReLU", "config": {"name": "re_lu", "trainable": true, "dtype": "float32", "max_value": 2.0, "negative_slope": 0.1, "threshold": 0.0}},
    {"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu", "trainable": true, "dtype": "float32", "alpha": 0.5}},
    {"class_name": "PReLU", "config": {"name": "p_re_lu", "trainable": true, "dtype": "float32",
      "alpha_initializer": {"class_name": "Constant", "config": {"value": 2.0}}, "alpha_regularizer": null, "alpha_constraint": null, "shared_axes": null}},
    {"class_name": "ELU", "config": {"name": "elu", "trainable": true, "dtype": "float32", "alpha": 1.0}},
    {"class_name": "Softmax", "config": {"name": "softmax", "trainable": true, "dtype": "float32", "axis": -1}}
  ]}, "keras_version": "2.12.0", "backend": "tensorflow"})";
  Model m = model_from_json(text);
  // ReLU: [-0.2, -0.05, 0.5, 2]; LeakyReLU 0.5: halves the negatives; PReLU alpha 2: doubles them;
  // ELU: expm1 of the negatives; then softmax.
  const Tensor y = m.predict(Tensor::from({1, 4}, {-2, -0.5f, 0.5f, 3}));
  check_close(y, {0.0770677052f, 0.0879864649f, 0.15231543f, 0.6826304f});
  Model again = model_from_json(m.to_json());
  again.set_weights(m.get_weights());
  CHECK(again.to_json() == m.to_json());
  CHECK(m.to_json().find("\"negative_slope\":0.5") != std::string::npos);  // alpha written as Keras 3's key

  const std::string old = R"({"class_name": "Sequential", "config": {"name": "thr", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "name": "in"}},
    {"class_name": "ThresholdedReLU", "config": {"name": "t", "trainable": true, "dtype": "float32", "theta": 0.7}}
  ]}, "keras_version": "2.3.1", "backend": "tensorflow"})";
  check_close(model_from_json(old).predict(Tensor::from({1, 3}, {0.5f, 0.7f, 0.9f})), {0, 0, 0.9f});
  CHECK_THROWS_AS(model_from_json(std::string(old).replace(old.find("0.7}"), 3, "-1")), ConfigError);
}
