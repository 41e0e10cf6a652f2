#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/ops.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Lambda l2_normalize: values, TF semantics for tiny norms") {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 1, 2, 3});
  check_close(layers::Lambda("l2_normalize")(x), {0.26726124f, 0.53452247f, 0.8017837f, 0.26726124f, 0.53452247f, 0.8017837f});
  check_close(layers::Lambda("l2_normalize", {{"axis", 0}})(x), std::vector<float>(6, 0.70710677f));
  check_close(layers::Lambda("l2_normalize", {{"axis", {0, 1}}})(x),
              {0.18898225f, 0.3779645f, 0.56694674f, 0.18898225f, 0.3779645f, 0.56694674f});
  // tf.math.l2_normalize clamps the squared sum at 1e-12: [1e-7, 0] -> [0.1, 0]
  check_close(layers::Lambda("l2_normalize", {{"axis", 1}})(Tensor::from({1, 2}, {1e-7f, 0.0f})), {0.1f, 0.0f}, 1e-4);
  // a custom epsilon
  check_close(layers::Lambda("l2_normalize", {{"epsilon", 1.0}})(Tensor::from({1, 2}, {0.3f, 0.4f})), {0.3f, 0.4f});
  Tensor g = random_tensor({3, 4}, 2);
  layers::Lambda l("l2_normalize", {{"axis", 1}});
  check_gradients([&] { return l(g); }, {g});
}

TEST_CASE("Lambda scale, square, softmax") {
  const Tensor x = Tensor::from({1, 3}, {1, 2, 3});
  check_close(layers::Lambda("scale", {{"factor", 0.8}})(x), {0.8f, 1.6f, 2.4f});
  check_close(layers::Lambda("square")(x), {1, 4, 9});
  check_close(layers::Lambda("softmax")(x), {0.09003057f, 0.24472847f, 0.66524096f});
  check_close(layers::Lambda("softmax", {{"axis", 0}})(Tensor::from({2, 1}, {0, 0})), {0.5f, 0.5f});
  Tensor g = random_tensor({2, 3}, 3);
  layers::Lambda s("scale", {{"factor", -2.5}}), q("square"), m("softmax");
  check_gradients([&] { return s(g); }, {g});
  check_gradients([&] { return q(g); }, {g});
  check_gradients([&] { return m(g); }, {g});
}

TEST_CASE("Lambda min_max_normalize: seed 003's formula") {
  const Tensor x = Tensor::from({2, 2}, {1, 2, 3, 4});
  // all axes: (x - 1) / 4 (the max of the ORIGINAL input)
  check_close(layers::Lambda("min_max_normalize")(x), {0, 0.25f, 0.5f, 0.75f});
  // per row: row [1,2] -> (x-1)/2, row [3,4] -> (x-3)/4
  check_close(layers::Lambda("min_max_normalize", {{"axes", 1}})(x), {0, 0.5f, 0, 0.25f});
  // per channel over (batch, h, w), as the seed's answer: axes [0, 1, 2]
  const Tensor img = Tensor::from({1, 2, 1, 2}, {1, 10, 3, 20});
  check_close(layers::Lambda("min_max_normalize", {{"axes", {0, 1, 2}}})(img), {0, 0, 2.0f / 3.0f, 0.5f});
  Tensor g = random_tensor({3, 4}, 4, 0.5f, 1.5f);
  layers::Lambda l("min_max_normalize", {{"axes", {1}}});
  check_gradients([&] { return l(g); }, {g});
}

TEST_CASE("Lambda antirectifier: seed 002's function") {
  // x = [1,2,3,6]: centred [-2,-1,0,3], norm sqrt(14); output [relu(n), relu(-n)]
  layers::Lambda a("antirectifier");
  const Tensor y = a(Tensor::from({1, 4}, {1, 2, 3, 6}));
  REQUIRE(y.shape() == Shape{1, 8});
  const float r = 1.0f / std::sqrt(14.0f);
  check_close(y, {0, 0, 0, 3 * r, 2 * r, r, 0, 0});
  CHECK(a(Input({4})).shape() == TensorShape{None, 8});
  testing::check_output_shape(*a, {random_tensor({3, 4})});
  Tensor g = random_tensor({2, 5}, 5);
  check_gradients([&] { return a(g); }, {g});
}

TEST_CASE("Lambda: seed 002 weighted fusion of two branches") {
  const KerasTensor a = Input({4}), b = Input({4});
  const KerasTensor fused = layers::Add()({layers::Lambda("scale", {{"factor", 0.8}})(a),
                                           layers::Lambda("scale", {{"factor", 0.2}})(b)});
  CHECK(fused.shape() == TensorShape{None, 4});
  Model fusion(KerasTensors{a, b}, fused);
  const Tensors out = fusion->call_list({Tensor::from({1, 4}, {1, 2, 3, 4}), Tensor::from({1, 4}, {10, 20, 30, 40})}, false);
  check_close(out.at(0), {2.8f, 5.6f, 8.4f, 11.2f});
}

TEST_CASE("Lambda: an unnamed closure trains but refuses to save") {
  layers::Lambda l([](const Tensor& x) { return ops::scale(ops::tanh(x), 2.0f); });
  Tensor x = random_tensor({2, 3}, 6);
  check_gradients([&] { return l(x); }, {x});
  CHECK(l(Input({3})).shape() == TensorShape{None, 3});
  CHECK(l->function_name().empty());
  CHECK_THROWS_AS(l->get_config(), ValueError);
  CHECK_THROWS_WITH(l->get_config(), Catch::Contains(l->name()) && Catch::Contains("closure") &&
                                         Catch::Contains("xkeras::layers::register_lambda(\"my_fn\"") &&
                                         Catch::Contains("Lambda(\"my_fn\", arguments)"));
}

TEST_CASE("Lambda: user-registered functions, one or several inputs") {
  layers::register_lambda("test_shift", [](const Tensor& x, const json& args) {
    return ops::add_scalar(x, args.value("by", 1.0f));
  });
  layers::register_lambda("test_weighted_sum", [](const Tensors& xs, const json& args) -> Tensors {
    const float w = args.at("w").get<float>();
    return {ops::add(ops::scale(xs.at(0), w), ops::scale(xs.at(1), 1.0f - w))};
  });
  CHECK(layers::has_lambda("test_shift"));
  check_close(layers::Lambda("test_shift", {{"by", 2.0}})(Tensor::from({1, 2}, {1, 2})), {3, 4});
  layers::Lambda ws("test_weighted_sum", {{"w", 0.25}});
  const Tensors y = ws(Tensors{Tensor::from({1, 2}, {4, 8}), Tensor::from({1, 2}, {0, 4})});
  check_close(y.at(0), {1, 5});
  CHECK(ws(KerasTensors{Input({2}), Input({2})}).shape() == TensorShape{None, 2});
  testing::check_output_shape(*ws, {random_tensor({3, 2}), random_tensor({3, 2})});
  auto again = testing::check_config_round_trip(*ws);
  CHECK(again->get_config()["arguments"]["w"] == 0.25);
  // a one-input function given two inputs
  CHECK_THROWS_WITH(layers::Lambda("test_shift", {}, {.name = "shift2"})(Tensors{Tensor::from({1, 1}, {1}), Tensor::from({1, 1}, {1})}),
                    Catch::Contains("shift2") && Catch::Contains("one input"));
}

TEST_CASE("Lambda: config in the Keras 3 layout and round trip") {
  layers::Lambda l("l2_normalize", {{"axis", 1}}, {.name = "norm"});
  const json c = l->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "function", "arguments"});
  CHECK(c["function"] == json::parse(R"({"module": "builtins", "class_name": "function", "config": "l2_normalize",
                                         "registered_name": "function"})"));
  CHECK(c["arguments"] == json::parse(R"({"axis": 1})"));
  testing::check_config_round_trip(*l);
  CHECK(layers::Lambda("square")->get_config()["arguments"] == json::object());

  layers::Lambda shaped("antirectifier", {}, {.output_shape = TensorShape{8}});
  const json s = shaped->get_config();
  testing::check_key_order(s, {"name", "trainable", "dtype", "function", "output_shape", "arguments"});
  CHECK(s["output_shape"] == json::parse("[8]"));
  testing::check_config_round_trip(*shaped);
  CHECK(shaped(Input({4})).shape() == TensorShape{None, 8});
  CHECK_THROWS_WITH(layers::Lambda("antirectifier", {}, {.output_shape = TensorShape{5}})(Input({4})),
                    Catch::Contains("output_shape"));
}

TEST_CASE("Lambda from_config: the layouts Keras writes") {
  // a plain string
  auto a = std::dynamic_pointer_cast<layers::LambdaImpl>(
      layer_from_config("Lambda", json{{"name", "l"}, {"function", "scale"}, {"arguments", {{"factor", 3}}}}, "config"));
  REQUIRE(a);
  check_close((*a)(Tensor::from({1, 1}, {2})), {6});
  // tf.keras 2.x: function_type "function", function = the name
  const json tfk = json::parse(R"({"name": "lambda_1", "trainable": true, "dtype": "float32", "function": "square",
      "function_type": "function", "module": "__main__", "output_shape": null, "output_shape_type": "raw",
      "output_shape_module": null, "arguments": {}})");
  auto b = layer_from_config("Lambda", tfk, "config.layers[2]");
  check_close((*b)(Tensor::from({1, 2}, {3, -2})), {9, 4});
}

TEST_CASE("Lambda from_config: a serialized Python lambda is refused, never executed") {
  const json k3 = json::parse(R"({"name": "lambda", "trainable": true, "function": {"class_name": "__lambda__",
      "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA",
      "defaults": null, "closure": null}}, "arguments": {}})");
  try {
    layer_from_config("Lambda", k3, "config.layers[2]");
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    CHECK(e.path() == "config.layers[2].config.function");
    CHECK_THAT(msg, Catch::Contains("Python lambda") && Catch::Contains("never") &&
                        Catch::Contains("register_lambda(\"my_fn\""));
  }
  const json tfk = json::parse(R"({"name": "lambda", "function": ["4wEAAAAA", null, null], "function_type": "lambda",
      "module": "__main__", "arguments": {}})");
  CHECK_THROWS_AS(layer_from_config("Lambda", tfk, "config"), ConfigError);
  const json bad_shape = json::parse(R"({"function": "square", "output_shape": {"class_name": "__lambda__",
      "config": {"code": "AA==", "defaults": null, "closure": null}}, "arguments": {}})");
  CHECK_THROWS_WITH(layer_from_config("Lambda", bad_shape, "model"), Catch::StartsWith("model.config.output_shape: "));
}

TEST_CASE("Lambda: unknown functions and arguments") {
  CHECK_THROWS_AS(layers::Lambda("no_such_fn"), ValueError);
  CHECK_THROWS_WITH(layers::Lambda("no_such_fn"), Catch::Contains("no_such_fn") && Catch::Contains("l2_normalize") &&
                                                     Catch::Contains("min_max_normalize") && Catch::Contains("register_lambda"));
  CHECK_THROWS_WITH(layer_from_config("Lambda", json{{"function", "no_such_fn"}}, "model"),
                    Catch::StartsWith("model.config.function: unknown Lambda function \"no_such_fn\""));
  CHECK_THROWS_WITH(layers::Lambda("scale", {{"factr", 2}}, {.name = "typo"})(Input({3})),
                    Catch::Contains("typo") && Catch::Contains("factr") && Catch::Contains("factor"));
  CHECK_THROWS_WITH(layers::Lambda("scale")(Input({3})), Catch::Contains("factor") && Catch::Contains("required"));
  CHECK_THROWS_AS(layers::Lambda("scale", json::array({1, 2})), ValueError);
  CHECK_THROWS_AS(layer_from_config("Lambda", json{{"function", "scale"}, {"arguments", 3}}, "config"), ConfigError);
}

TEST_CASE("Lambda: an output not connected to the input is a ValueError on the symbolic call") {
  layers::Lambda constant([](const Tensor&) { return Tensor::full({2, 3}, 1.0f); });
  CHECK_THROWS_WITH(constant(Input({3})), Catch::Contains(constant->name()) && Catch::Contains("not connected"));
  layers::register_lambda("test_constant", [](const Tensor& x, const json&) { return Tensor::full(x.shape(), 0.0f); });
  layers::Lambda named("test_constant", {}, {.output_shape = TensorShape{3}});
  CHECK_THROWS_WITH(named(Input({3})), Catch::Contains("not connected"));
}
