// Cropping1D/2D/3D and ZeroPadding1D/3D: Keras's test slices and docstring shapes, None
// dimensions, gradients, Keras 3 configs (the three amount forms), errors with Keras's messages.
#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers/cropping.hpp>
#include <xkeras/layers/zero_padding.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/ops.hpp>
#include <xkeras/registry.hpp>

#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::check_gradients;
using xkeras::testing::check_key_order;
using xkeras::testing::check_output_shape;
using xkeras::testing::random_tensor;

namespace {
Tensor iota(const Shape& s) {
  std::vector<float> v(shape_size(s));
  std::iota(v.begin(), v.end(), 0.0f);
  return Tensor::from(s, v);
}
// x[:, b0:e0, b1:e1, ...] through ops::slice, the reference for a crop.
Tensor sliced(Tensor x, const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  for (std::size_t a = 0; a < ranges.size(); ++a) x = ops::slice(x, int(a) + 1, ranges[a].first, ranges[a].second);
  return x;
}
}  // namespace

TEST_CASE("Cropping1D: the Keras test slices and docstring") {
  // cropping1d_test.py: input (3, 5, 7): (1, 2) -> x[:, 1:3]; (1, 1) or 1 -> x[:, 1:4]; (0, 1) -> x[:, 0:4]; (1, 0) -> x[:, 1:5]
  const Tensor x = random_tensor({3, 5, 7}, 1);
  CHECK(all_close(layers::Cropping1D({1, 2})(x).value(), sliced(x, {{1, 3}}).value(), 0, 0));
  CHECK(all_close(layers::Cropping1D({1, 1})(x).value(), sliced(x, {{1, 4}}).value(), 0, 0));
  CHECK(all_close(layers::Cropping1D(1)(x).value(), sliced(x, {{1, 4}}).value(), 0, 0));
  CHECK(all_close(layers::Cropping1D()(x).value(), sliced(x, {{1, 4}}).value(), 0, 0));  // default (1, 1)
  CHECK(all_close(layers::Cropping1D({0, 1})(x).value(), sliced(x, {{0, 4}}).value(), 0, 0));
  CHECK(all_close(layers::Cropping1D({1, 0})(x).value(), sliced(x, {{1, 5}}).value(), 0, 0));
  // docstring: arange(12).reshape(2, 3, 2), cropping 1 -> [[[2, 3]], [[8, 9]]]
  check_close(layers::Cropping1D(1)(iota({2, 3, 2})), {2, 3, 8, 9});
}

TEST_CASE("Cropping2D: the Keras test ranges for every cropping form") {
  // cropping2d_test.py on (3, 7, 9, 5)
  const Tensor x = random_tensor({3, 7, 9, 5}, 2);
  struct Case {
    layers::Amounts2D crop;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
  };
  for (const Case& c : {Case{{{1, 2}, {3, 4}}, {{1, 5}, {3, 5}}}, Case{{{2, 2}, {2, 2}}, {{2, 5}, {2, 7}}},
                        Case{{2, 2}, {{2, 5}, {2, 7}}}, Case{2, {{2, 5}, {2, 7}}}, Case{{{0, 2}, {0, 4}}, {{0, 5}, {0, 5}}},
                        Case{{{1, 0}, {3, 0}}, {{1, 7}, {3, 9}}}, Case{{{1, 0}, {3, 4}}, {{1, 7}, {3, 5}}},
                        Case{{{1, 2}, {3, 0}}, {{1, 5}, {3, 9}}}}) {
    layers::Cropping2D layer(c.crop);
    CHECK(all_close(layer(x).value(), sliced(x, c.ranges).value(), 0, 0));
    check_output_shape(*layer, {x});
  }
  // docstring: (2, 28, 28, 3) with ((2, 2), (4, 4)) -> (2, 24, 20, 3)
  CHECK(layers::Cropping2D({{2, 2}, {4, 4}})(random_tensor({2, 28, 28, 3})).shape() == Shape{2, 24, 20, 3});
  CHECK(layers::Cropping2D()(x).shape() == x.shape());  // default ((0, 0), (0, 0))
}

TEST_CASE("Cropping3D and the zero paddings: values and shapes") {
  // docstring: (2, 28, 28, 10, 3) with (2, 4, 2) -> (2, 24, 20, 6, 3)
  CHECK(layers::Cropping3D({2, 4, 2})(random_tensor({2, 28, 28, 10, 3})).shape() == Shape{2, 24, 20, 6, 3});
  const Tensor v = random_tensor({2, 5, 6, 7, 2}, 3);
  layers::Cropping3D c3({{1, 0}, {2, 2}, {0, 3}});
  CHECK(all_close(c3(v).value(), sliced(v, {{1, 5}, {2, 4}, {0, 4}}).value(), 0, 0));
  CHECK(layers::Cropping3D()(v).shape() == Shape{2, 3, 4, 5, 2});  // default 1 everywhere

  // ZeroPadding1D (zero_padding1d_test.py pads (1, 2)): zeros around the steps
  Tensor s = Tensor::from({1, 2, 2}, {1, 2, 3, 4});
  Tensor p = layers::ZeroPadding1D({1, 2})(s);
  REQUIRE(p.shape() == Shape{1, 5, 2});
  check_close(p, {0, 0, 1, 2, 3, 4, 0, 0, 0, 0});
  CHECK(layers::ZeroPadding1D()(s).shape() == Shape{1, 4, 2});  // default 1
  // ZeroPadding3D: padding then cropping the same amounts gives the input back
  layers::ZeroPadding3D z({{1, 0}, {2, 2}, {0, 3}});
  Tensor zp = z(v);
  REQUIRE(zp.shape() == Shape{2, 6, 10, 10, 2});
  CHECK(all_close(c3(zp).value(), v.value(), 0, 0));
  CHECK(layers::ZeroPadding3D()(v).shape() == Shape{2, 7, 8, 9, 2});
  CHECK(layers::ZeroPadding3D({1, 2, 3})(v).shape() == Shape{2, 7, 10, 13, 2});
  const Tensor first_depth = sliced(zp, {{0, 1}, {0, 10}, {0, 10}});  // all padding
  double outside = 0;
  for (float f : first_depth.value()) outside += std::abs(f);
  CHECK(outside == 0);
}

TEST_CASE("Cropping and padding layers: None dimensions, compute_output_shape, gradients") {
  CHECK(layers::Cropping1D({1, 2})(Input({None, 4})).shape() == TensorShape{None, None, 4});
  CHECK(layers::Cropping1D({1, 2})(Input({10, 4})).shape() == TensorShape{None, 7, 4});
  CHECK(layers::Cropping2D({1, 2})(Input({None, 8, 3})).shape() == TensorShape{None, None, 4, 3});
  CHECK(layers::Cropping3D(1)(Input({4, None, 4, 1})).shape() == TensorShape{None, 2, None, 2, 1});
  CHECK(layers::ZeroPadding1D({0, 3})(Input({None, 4})).shape() == TensorShape{None, None, 4});
  CHECK(layers::ZeroPadding3D({1, 2, 0})(Input({3, None, 5, 2})).shape() == TensorShape{None, 5, None, 5, 2});
  Tensor x = random_tensor({2, 6, 3}, 4);
  layers::Cropping1D c1({2, 1});
  layers::ZeroPadding1D z1({1, 3});
  check_output_shape(*c1, {x});
  check_output_shape(*z1, {x});
  check_gradients([&] { return c1(x); }, {x});
  check_gradients([&] { return z1(x); }, {x});
  Tensor im = random_tensor({2, 5, 4, 2}, 5);
  layers::Cropping2D c2({{1, 2}, {0, 1}});
  check_gradients([&] { return c2(im); }, {im});
  Tensor v = random_tensor({1, 4, 3, 4, 2}, 6);
  layers::Cropping3D c3({{1, 1}, {0, 1}, {2, 0}});
  layers::ZeroPadding3D z3({{0, 1}, {1, 0}, {1, 1}});
  check_output_shape(*c3, {v});
  check_output_shape(*z3, {v});
  check_gradients([&] { return c3(v); }, {v});
  check_gradients([&] { return z3(v); }, {v});
}

TEST_CASE("Cropping and padding layers: Keras 3 configs and round trips") {
  layers::Cropping1D c1({1, 2}, {.name = "crop"});
  const json j1 = c1->get_config();
  check_key_order(j1, {"name", "trainable", "dtype", "cropping"});
  CHECK(j1["cropping"] == json::array({1, 2}));
  check_config_round_trip(*c1);
  const json j2 = layers::Cropping2D({{1, 2}, {3, 4}})->get_config();
  check_key_order(j2, {"name", "trainable", "dtype", "cropping", "data_format"});
  CHECK(j2["cropping"] == json::parse("[[1, 2], [3, 4]]"));
  CHECK(j2["data_format"] == "channels_last");
  check_config_round_trip(*layers::Cropping2D(3));
  CHECK(layers::Cropping3D({1, 2, 3})->get_config()["cropping"] == json::parse("[[1, 1], [2, 2], [3, 3]]"));
  check_config_round_trip(*layers::Cropping3D({{1, 0}, {2, 2}, {0, 3}}));
  // Keras reads every form of the argument from a config
  CHECK(layer_from_config("Cropping1D", json{{"cropping", 2}}, "c")->get_config()["cropping"] == json::array({2, 2}));
  CHECK(layer_from_config("Cropping2D", json{{"cropping", json::array({1, 2})}}, "c")->get_config()["cropping"] ==
        json::parse("[[1, 1], [2, 2]]"));
  CHECK(layer_from_config("Cropping2D", json{{"cropping", 0}}, "c")->get_config()["cropping"] ==
        json::parse("[[0, 0], [0, 0]]"));
  CHECK(layer_from_config("Cropping3D", json::object(), "c")->get_config()["cropping"] ==
        json::parse("[[1, 1], [1, 1], [1, 1]]"));

  layers::ZeroPadding1D z1({1, 2}, {.name = "pad"});
  const json p1 = z1->get_config();
  // zero_padding1d_test.py compares {dtype, data_format, name, padding: (1, 2), trainable}
  check_key_order(p1, {"name", "trainable", "dtype", "padding", "data_format"});
  CHECK(p1["padding"] == json::array({1, 2}));
  CHECK(p1["data_format"] == "channels_last");
  check_config_round_trip(*z1);
  // Keras 3.0-3.4 and tf.keras wrote no data_format
  CHECK(layer_from_config("ZeroPadding1D", json{{"padding", 3}}, "c")->get_config()["padding"] == json::array({3, 3}));
  const json p3 = layers::ZeroPadding3D({{1, 0}, {2, 2}, {0, 3}})->get_config();
  check_key_order(p3, {"name", "trainable", "dtype", "padding", "data_format"});
  CHECK(p3["padding"] == json::parse("[[1, 0], [2, 2], [0, 3]]"));
  check_config_round_trip(*layers::ZeroPadding3D(2));
  // built from a call, like Keras (these layers are not built at construction)
  layers::Cropping1D built(1);
  built(Input({5, 2}));
  CHECK(built->build_config() == json{{"input_shape", json::array({nullptr, 5, 2})}});
  clear_session();
  CHECK(layers::Cropping1D()->name() == "cropping1d");
  CHECK(layers::Cropping2D()->name() == "cropping2d");
  CHECK(layers::ZeroPadding1D()->name() == "zero_padding1d");
  CHECK(layers::ZeroPadding3D()->name() == "zero_padding3d");
}

TEST_CASE("Cropping and padding layers: errors") {
  // Keras: the crop must be smaller than the input, at build and at call
  CHECK_THROWS_WITH(layers::Cropping1D({2, 3}, {.name = "c1"})(Input({5, 2})),
                    Catch::Contains("\"c1\"") && Catch::Contains("must be smaller than the input length") &&
                        Catch::Contains("input_shape=(None, 5, 2)") && Catch::Contains("cropping=(2, 3)"));
  CHECK_THROWS_WITH(layers::Cropping1D({2, 3})(random_tensor({1, 5, 2})), Catch::Contains("inputs.shape=(1, 5, 2)"));
  // cropping2d_test.py: ((4, 5), (0, 0)), ((0, 0), (5, 5)), ((6, 3), (0, 0)), ((0, 0), (7, 3)) on (3, 8, 9, 5)
  for (layers::Amounts2D c : {layers::Amounts2D({4, 5}, {0, 0}), layers::Amounts2D({0, 0}, {5, 5}), layers::Amounts2D({6, 3}, {0, 0}), layers::Amounts2D({0, 0}, {7, 3})})
    CHECK_THROWS_WITH(layers::Cropping2D(c)(random_tensor({3, 8, 9, 5})),
                      Catch::Contains("should be smaller than the corresponding spatial dimension"));
  CHECK_THROWS_WITH(layers::Cropping3D({1, 1, 2})(Input({3, 3, 4, 1})), Catch::Contains("should be smaller"));
  CHECK_THROWS_WITH(layers::Cropping2D({{1, 2}, {3, -4}}), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(layers::ZeroPadding1D(-1), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(layers::ZeroPadding3D({1, 1 << 25, 1}), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(layers::Cropping2D(1, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::ZeroPadding1D(1, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::Cropping1D()(random_tensor({2, 5})), Catch::Contains("expected ndim=3, found ndim=2"));
  CHECK_THROWS_WITH(layers::ZeroPadding3D()(random_tensor({2, 5, 3, 1})), Catch::Contains("expected ndim=5"));
  // a padding that would make a huge sample stops at shape inference
  CHECK_THROWS_WITH(layers::ZeroPadding1D({1 << 24, 0})(Input({4, 8})), Catch::Contains("holds more than"));
  // configs: the JSON path is named
  CHECK_THROWS_WITH(layer_from_config("Cropping2D", json{{"cropping", json::array({1, 2, 3})}}, "m"),
                    Catch::Contains("m.config.cropping"));
  CHECK_THROWS_WITH(layer_from_config("Cropping2D", json{{"cropping", json::parse("[[1, 2], [3, 4, 5]]")}}, "m"),
                    Catch::Contains("m.config.cropping"));
  CHECK_THROWS_WITH(layer_from_config("Cropping2D", json{{"cropping", "1"}}, "m"), Catch::Contains("m.config.cropping"));
  CHECK_THROWS_WITH(layer_from_config("Cropping1D", json{{"cropping", -1}}, "m"), Catch::Contains("m.config.cropping"));
  CHECK_THROWS_WITH(layer_from_config("Cropping3D", json{{"cropping", json::array({1, 2})}}, "m"),
                    Catch::Contains("m.config.cropping"));
  CHECK_THROWS_WITH(layer_from_config("ZeroPadding1D", json{{"padding", json::array({1, 2, 3})}}, "m"),
                    Catch::Contains("m.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("ZeroPadding3D", json{{"padding", 1e12}}, "m"), Catch::Contains("m.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("ZeroPadding1D", json{{"data_format", "channels_first"}}, "m"),
                    Catch::Contains("m.config.data_format"));
}
