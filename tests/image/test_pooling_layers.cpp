// MaxPooling2D, AveragePooling2D, GlobalMaxPooling2D, GlobalAveragePooling2D layers: values,
// shapes, gradients, config keys and round trips (with Keras's aliases), errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/pooling.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::ops::Size2;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::check_gradients;
using xkeras::testing::check_key_order;
using xkeras::testing::check_output_shape;
using xkeras::testing::distinct_tensor;
using xkeras::testing::random_tensor;

namespace {
Tensor image3x3() { return Tensor::from({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }
}  // namespace

TEST_CASE("MaxPooling2D: Keras docstring examples through the layer") {
  check_close(layers::MaxPooling2D(2, {.strides = 1, .padding = "valid"})(image3x3()), {5, 6, 8, 9});
  check_close(layers::MaxPooling2D({2, 2}, {.strides = {1, 1}, .padding = "same"})(image3x3()), {5, 6, 6, 8, 9, 9, 8, 9, 9});
  Tensor x = Tensor::from({1, 3, 4, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor y = layers::MaxPooling2D()(x);  // pool 2, strides None -> 2, valid
  REQUIRE(y.shape() == Shape{1, 1, 2, 1});
  check_close(y, {6, 8});
}

TEST_CASE("AveragePooling2D: values with 'same' edges through the layer") {
  check_close(layers::AveragePooling2D(2, {.strides = 1, .padding = "same"})(image3x3()), {3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9});
  check_close(layers::AvgPool2D(3, {.padding = "same"})(image3x3()), {5});  // one window, all 9 cells
}

TEST_CASE("Pooling layers: strides default to pool_size, shapes match compute_output_shape") {
  layers::MaxPooling2D m(3);
  CHECK(m->strides() == Size2(3, 3));
  CHECK(layers::MaxPooling2D({2, 3})->strides() == Size2(2, 3));
  const Tensor x = random_tensor({3, 5, 5, 4}, 1);
  // Keras max_pooling_test shape cases
  CHECK(layers::MaxPooling2D(2, {.strides = 1})(x).shape() == Shape{3, 4, 4, 4});
  CHECK(layers::MaxPooling2D({2, 3}, {.strides = 2})(x).shape() == Shape{3, 2, 2, 4});
  for (auto p : {layers::MaxPooling2D(2, {.strides = 1}), layers::MaxPooling2D({2, 3}, {.strides = 2, .padding = "same"}),
                 layers::MaxPooling2D(3, {.padding = "same"})})
    check_output_shape(*p, {x});
  for (auto p : {layers::AveragePooling2D(2), layers::AveragePooling2D({3, 2}, {.strides = {1, 2}, .padding = "same"})})
    check_output_shape(*p, {x});
  const KerasTensor y = layers::MaxPooling2D()(xkeras::Input({28, 28, 8}));
  CHECK(y.shape() == TensorShape{None, 14, 14, 8});
  CHECK(layers::MaxPooling2D(2)->compute_output_shape({{None, None, 7, 3}})[0] == TensorShape{None, None, 3, 3});
}

TEST_CASE("Pooling layers: gradients through the layer") {
  Tensor x = distinct_tensor({2, 5, 5, 3}, 2);
  layers::MaxPooling2D m(2, {.strides = 1, .padding = "same"});
  check_gradients([&] { return m(x); }, {x});
  Tensor y = random_tensor({2, 5, 5, 3}, 3);
  layers::AveragePooling2D a({3, 2}, {.padding = "same"});
  check_gradients([&] { return a(y); }, {y});
  layers::GlobalMaxPooling2D gm;
  check_gradients([&] { return gm(x); }, {x});
  layers::GlobalAveragePooling2D ga({.keepdims = true});
  check_gradients([&] { return ga(y); }, {y});
}

TEST_CASE("Pooling layers: config keys, no build_config, round trips and aliases") {
  layers::MaxPooling2D m({2, 3}, {.strides = 1, .padding = "same", .name = "pool"});
  const json c = m->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "pool_size", "padding", "strides", "data_format"});
  CHECK(c["name"] == "pool");
  CHECK(c["pool_size"] == json::array({2, 3}));
  CHECK(c["padding"] == "same");
  CHECK(c["strides"] == json::array({1, 1}));
  CHECK(c["data_format"] == "channels_last");
  m(random_tensor({1, 4, 4, 1}));
  CHECK(m->build_config().is_null());
  CHECK(m->weights().empty());
  check_config_round_trip(*m);
  check_config_round_trip(*layers::AveragePooling2D(3));
  // Keras's default strides (null) become the pool size, as in Keras
  LayerPtr p = layer_from_config("MaxPooling2D", json{{"pool_size", 3}, {"strides", nullptr}}, "config");
  CHECK(p->get_config()["strides"] == json::array({3, 3}));
  CHECK(layer_from_config("MaxPool2D", json::object(), "config")->class_name() == "MaxPooling2D");
  CHECK(layer_from_config("AvgPool2D", json::object(), "config")->class_name() == "AveragePooling2D");

  layers::GlobalAveragePooling2D g({.keepdims = true});
  const json gc = g->get_config();
  check_key_order(gc, {"name", "trainable", "dtype", "data_format", "keepdims"});
  CHECK(gc["keepdims"] == true);
  CHECK(gc["data_format"] == "channels_last");
  CHECK(g->build_config().is_null());
  check_config_round_trip(*g);
  check_config_round_trip(*layers::GlobalMaxPooling2D());
  LayerPtr alias = layer_from_config("GlobalMaxPool2D", json{{"keepdims", true}}, "config");
  CHECK(alias->class_name() == "GlobalMaxPooling2D");
  CHECK(alias->get_config()["keepdims"] == true);
  CHECK(layer_from_config("GlobalAvgPool2D", json::object(), "config")->class_name() == "GlobalAveragePooling2D");
}

TEST_CASE("Global pooling layers: values, keepdims and output shapes") {
  Tensor x = Tensor::from({1, 2, 2, 2}, {1, -1, 2, 5, 3, 0, 4, 2});
  layers::GlobalMaxPooling2D gm;
  layers::GlobalAveragePooling2D ga;
  layers::GlobalMaxPool2D gmk({.keepdims = true});
  check_close(gm(x), {4, 5});
  check_close(ga(x), {2.5f, 1.5f});
  CHECK(gmk(x).shape() == Shape{1, 1, 1, 2});
  const Tensor r = random_tensor({3, 4, 5, 6}, 4);
  check_output_shape(*gm, {r});
  check_output_shape(*gmk, {r});
  check_output_shape(*ga, {r});
  CHECK(ga(xkeras::Input({7, 7, 16})).shape() == TensorShape{None, 16});
}

TEST_CASE("Pooling layers: auto-names follow Keras") {
  clear_session();
  CHECK(layers::MaxPooling2D()->name() == "max_pooling2d");
  CHECK(layers::MaxPooling2D()->name() == "max_pooling2d_1");
  CHECK(layers::AveragePooling2D()->name() == "average_pooling2d");
  CHECK(layers::GlobalMaxPooling2D()->name() == "global_max_pooling2d");
  CHECK(layers::GlobalAveragePooling2D()->name() == "global_average_pooling2d");
}

TEST_CASE("Pooling layers: errors") {
  CHECK_THROWS_WITH(layers::MaxPooling2D(2, {.padding = "causal", .name = "p"}),
                    Catch::Contains("\"p\"") && Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(layers::MaxPooling2D(0), Catch::Contains("pool_size"));
  CHECK_THROWS_WITH(layers::AveragePooling2D(2, {.strides = {1, 0}}), Catch::Contains("strides"));
  CHECK_THROWS_WITH(layers::MaxPooling2D(2, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::GlobalMaxPooling2D({.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::MaxPooling2D()(random_tensor({2, 4, 4}, 1)), Catch::Contains("expected ndim=4, found ndim=3"));
  CHECK_THROWS_WITH(layers::GlobalAveragePooling2D()(random_tensor({2, 4}, 1)), Catch::Contains("expected ndim=4"));
  CHECK_THROWS_WITH(layers::MaxPooling2D(5)(random_tensor({1, 4, 4, 1}, 1)), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(layers::MaxPooling2D(5)(xkeras::Input({4, 4, 1})), Catch::Contains("zero or negative"));
  CHECK_THROWS_WITH(layer_from_config("MaxPooling2D", json{{"padding", "full"}}, "m"), Catch::Contains("m.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("AveragePooling2D", json{{"pool_size", json::array({2, 0})}}, "m"),
                    Catch::Contains("m.config.pool_size"));
  CHECK_THROWS_WITH(layer_from_config("GlobalMaxPooling2D", json{{"keepdims", "yes"}}, "m"), Catch::Contains("m.config.keepdims"));
}
