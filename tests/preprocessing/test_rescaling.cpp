// Rescaling: y = x * scale + offset, scalars or per-channel arrays (Keras's rescaling_test.py).
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("Rescaling: x / 255 + 0.5 (Keras correctness test)") {
  layers::Rescaling r(1.0 / 255, 0.5);
  const Tensor x = random_tensor({3, 10, 10, 3}, 1, 0.0f, 255.0f);
  const Tensor y = r(x);
  std::vector<float> expected;
  for (float v : x.to_vector()) expected.push_back(v / 255.0f + 0.5f);
  check_close(y, expected, 1e-6);
  testing::check_output_shape(*r, {x});
  CHECK(r->weights().empty());
  // int scale / offset (Keras's dtype test): 2x + 0.5 and x + 2
  check_close(layers::Rescaling(2, 0.5)(Tensor::from({1, 3}, {1, 2, 3})), {2.5f, 4.5f, 6.5f});
  check_close(layers::Rescaling(1.0, 2)(Tensor::from({1, 3}, {1, 2, 3})), {3, 4, 5});
}

TEST_CASE("Rescaling: per-channel scale and offset broadcast on the last axis") {
  layers::Rescaling r({1.0, 0.5, 2.0}, {0.0, 1.0, -1.0});
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  check_close(r(x), {1, 2, 5, 4, 3.5f, 11});
  const Tensor img = Tensor::from({1, 2, 1, 3}, {1, 2, 3, 4, 5, 6});
  check_close(r(img), {1, 2, 5, 4, 3.5f, 11});
  // a list scale with a scalar offset, and a (2, 1) array broadcasting over an image's rows
  check_close(layers::Rescaling({2.0, 3.0}, 1.0)(Tensor::from({1, 2}, {1, 1})), {3, 4});
  layers::Rescaling rows(layers::ArrayValue({2, 1}, {10.0, 100.0}));
  check_close(rows(Tensor::from({1, 2, 2}, {1, 2, 3, 4})), {10, 20, 300, 400});
  // gradients: dL/dx = dL/dy * scale
  Tensor g = random_tensor({2, 4, 3}, 2);
  check_gradients([&] { return r(g); }, {g});
  Tensor g2 = random_tensor({2, 3}, 3);
  check_gradients([&] { return layers::Rescaling(-0.25, 3.0)(g2); }, {g2});
}

TEST_CASE("Rescaling: shapes that do not broadcast are errors naming the layer") {
  layers::Rescaling r({1.0, 2.0, 3.0}, 0.0, "resc");
  CHECK_THROWS_WITH(r(Tensor::from({1, 2}, {1, 2})), Catch::Contains("resc") && Catch::Contains("`scale` of shape (3,)"));
  CHECK_THROWS_AS(r(Input({4})), ValueError);
  CHECK(r(Input({5, 3})).shape() == TensorShape{None, 5, 3});
  CHECK(r(Input({None})).shape() == TensorShape{None, None});  // checked when the size is known
  // an array that would grow the input is refused
  CHECK_THROWS_AS(layers::Rescaling({1.0, 2.0})(Tensor::from({1, 1}, {1})), ValueError);
  CHECK_THROWS_AS(layers::Rescaling(1.0, {1.0, 2.0, 3.0, 4.0})(Tensor::from({1, 3}, {1, 2, 3})), ValueError);
}

TEST_CASE("Rescaling: Keras 3 config, numbers stay numbers, lists stay lists, __numpy__ read") {
  layers::Rescaling r(1.0 / 255, 0.0, "rescaling");
  const json c = r->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "scale", "offset"});
  CHECK(c["scale"].dump() == "0.00392156862745098");  // Python's repr of 1/255
  CHECK(c["offset"] == 0.0);
  testing::check_config_round_trip(*r);
  layers::Rescaling v({0.5, 0.25}, {1.0, 2.0});
  CHECK(v->get_config()["scale"] == json::parse("[0.5, 0.25]"));
  CHECK(v->get_config()["offset"] == json::parse("[1.0, 2.0]"));
  testing::check_config_round_trip(*v);
  // Keras's serialize_keras_object of a NumPy array
  const json np = json::parse(R"({"name": "r", "scale": {"class_name": "__numpy__", "config": {"value": [2.0, 3.0],
                                  "dtype": "float32"}}, "offset": 1})");
  LayerPtr l = layer_from_config("Rescaling", np, "config");
  check_close((*l)(Tensor::from({1, 2}, {1, 1})), {3, 4});
  CHECK(l->get_config()["scale"] == json::parse("[2.0, 3.0]"));
  // offset defaults to 0
  check_close((*layer_from_config("Rescaling", json{{"scale", 2}}, "config"))(Tensor::from({1, 1}, {3})), {6});
}

TEST_CASE("Rescaling: bad configs") {
  CHECK_THROWS_WITH(layer_from_config("Rescaling", json::object(), "config"), Catch::StartsWith("config.config.scale"));
  CHECK_THROWS_WITH(layer_from_config("Rescaling", json{{"scale", "half"}}, "config"), Catch::StartsWith("config.config.scale"));
  CHECK_THROWS_WITH(layer_from_config("Rescaling", json{{"scale", json::parse("[[1, 2], [3]]")}}, "config"),
                    Catch::StartsWith("config.config.scale") && Catch::Contains("rectangular"));
  CHECK_THROWS_WITH(layer_from_config("Rescaling", json{{"scale", 1}, {"offset", json::parse("[1, [2]]")}}, "config"),
                    Catch::StartsWith("config.config.offset"));
  CHECK_THROWS_AS(layer_from_config("Rescaling", json{{"scale", 1e300}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Rescaling", json{{"scale", json::parse("[[[[[[[[[1]]]]]]]]]")}}, "config"), ConfigError);
  CHECK_THROWS_AS(layer_from_config("Rescaling", json{{"scale", {{"class_name", "Zeros"}}}}, "config"), ConfigError);
}
