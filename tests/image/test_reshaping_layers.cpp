// ZeroPadding2D and UpSampling2D layers: Keras docstring values, shapes, gradients, configs, errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/up_sampling2d.hpp>
#include <xkeras/layers/zero_padding2d.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size2;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::check_gradients;
using xkeras::testing::check_key_order;
using xkeras::testing::check_output_shape;
using xkeras::testing::random_tensor;

TEST_CASE("ZeroPadding2D: Keras docstring example and the three padding forms") {
  Tensor x = Tensor::from({1, 1, 2, 2}, {0, 1, 2, 3});
  Tensor y = layers::ZeroPadding2D(1)(x);
  REQUIRE(y.shape() == Shape{1, 3, 4, 2});
  check_close(y, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  const Tensor r = random_tensor({2, 3, 4, 1}, 1);
  CHECK(layers::ZeroPadding2D()(r).shape() == Shape{2, 5, 6, 1});               // default 1
  CHECK(layers::ZeroPadding2D({2, 1})(r).shape() == Shape{2, 7, 6, 1});         // symmetric (h, w)
  CHECK(layers::ZeroPadding2D({{1, 0}, {0, 3}})(r).shape() == Shape{2, 4, 7, 1});  // ((t, b), (l, r))
  Tensor one = Tensor::from({1, 1, 1, 1}, {7});
  check_close(layers::ZeroPadding2D({{1, 0}, {0, 2}})(one), {0, 0, 0, 7, 0, 0});
}

TEST_CASE("ZeroPadding2D: shapes, gradient, config and round trip") {
  layers::ZeroPadding2D z({{1, 2}, {3, 0}}, {.name = "pad"});
  Tensor x = random_tensor({2, 3, 4, 2}, 2);
  check_output_shape(*z, {x});
  CHECK(z->compute_output_shape({{None, None, 4, 2}})[0] == TensorShape{None, None, 7, 2});
  check_gradients([&] { return z(x); }, {x});
  const json c = z->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "padding", "data_format"});
  CHECK(c["padding"] == json::array({json::array({1, 2}), json::array({3, 0})}));
  CHECK(c["data_format"] == "channels_last");
  CHECK(z->build_config() == json{{"input_shape", json::array({nullptr, 3, 4, 2})}});
  check_config_round_trip(*z);
  // Keras configs may hold an int or (h, w) as well
  CHECK(layer_from_config("ZeroPadding2D", json{{"padding", 2}}, "c")->get_config()["padding"] ==
        json::array({json::array({2, 2}), json::array({2, 2})}));
  CHECK(layer_from_config("ZeroPadding2D", json{{"padding", json::array({1, 0})}}, "c")->get_config()["padding"] ==
        json::array({json::array({1, 1}), json::array({0, 0})}));
  clear_session();
  CHECK(layers::ZeroPadding2D()->name() == "zero_padding2d");
}

TEST_CASE("ZeroPadding2D: errors") {
  CHECK_THROWS_WITH(layers::ZeroPadding2D(-1), Catch::Contains("non-negative"));
  CHECK_THROWS_WITH(layers::ZeroPadding2D(1, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::ZeroPadding2D()(random_tensor({2, 3}, 1)), Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(layer_from_config("ZeroPadding2D", json{{"padding", json::array({1, 2, 3})}}, "c"),
                    Catch::Contains("c.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("ZeroPadding2D", json{{"padding", -2}}, "c"), Catch::Contains("c.config.padding"));
}

TEST_CASE("UpSampling2D: Keras docstring example, shapes and gradient") {
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[std::size_t(i)] = float(i);
  Tensor x = Tensor::from({2, 2, 1, 3}, v);
  layers::UpSampling2D up({1, 2});
  Tensor y = up(x);
  REQUIRE(y.shape() == Shape{2, 2, 2, 3});
  check_close(y, {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11});
  layers::UpSampling2D up2;  // default (2, 2)
  CHECK(up2->size() == Size2(2, 2));
  Tensor r = random_tensor({2, 3, 2, 2}, 3);
  check_output_shape(*up2, {r});
  CHECK(up2->compute_output_shape({{None, 5, None, 1}})[0] == TensorShape{None, 10, None, 1});
  check_gradients([&] { return up2(r); }, {r});
  CHECK(layers::UpSampling2D(3)(xkeras::Input({4, 5, 2})).shape() == TensorShape{None, 12, 15, 2});
}

TEST_CASE("UpSampling2D: config, round trip and errors") {
  layers::UpSampling2D up({2, 3}, {.interpolation = "NEAREST", .name = "up"});
  const json c = up->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "size", "data_format", "interpolation"});
  CHECK(c["size"] == json::array({2, 3}));
  CHECK(c["interpolation"] == "nearest");
  CHECK(c["data_format"] == "channels_last");
  check_config_round_trip(*up);
  clear_session();
  CHECK(layers::UpSampling2D()->name() == "up_sampling2d");
  CHECK_THROWS_AS(layers::UpSampling2D(2, {.interpolation = "bicubic"}), NotImplementedError);
  CHECK_THROWS_WITH(layers::UpSampling2D(2, {.interpolation = "linear"}), Catch::Contains("interpolation"));
  CHECK_THROWS_WITH(layers::UpSampling2D(0), Catch::Contains("size"));
  CHECK_THROWS_WITH(layers::UpSampling2D(2, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::UpSampling2D()(random_tensor({2, 3, 4}, 1)), Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(layer_from_config("UpSampling2D", json{{"interpolation", "bicubic"}}, "u"),
                    Catch::Contains("u.config.interpolation"));
}
