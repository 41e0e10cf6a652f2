// MaxPooling1D, AveragePooling1D, GlobalMax/AveragePooling1D and the 3-D poolings: Keras's values
// and shape cases, None dimensions, gradients, Keras 3 configs, aliases, tf.keras configs, errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers/pooling_nd.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/registry.hpp>

#include "image/reference.hpp"
#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_config_round_trip;
using xkeras::testing::check_gradients;
using xkeras::testing::check_key_order;
using xkeras::testing::check_output_shape;
using xkeras::testing::distinct_tensor;
using xkeras::testing::random_tensor;

namespace {
const Tensor seq12345 = Tensor::from({1, 5, 1}, {1, 2, 3, 4, 5});
}

TEST_CASE("MaxPooling1D and AveragePooling1D: the Keras docstring examples") {
  check_close(layers::AveragePooling1D(2, {.strides = 1})(seq12345), {1.5f, 2.5f, 3.5f, 4.5f});
  check_close(layers::AveragePooling1D(2)(seq12345), {1.5f, 3.5f});  // strides None -> pool_size
  check_close(layers::AveragePooling1D(2, {.strides = 1, .padding = "same"})(seq12345), {1.5f, 2.5f, 3.5f, 4.5f, 5.0f});
  check_close(layers::MaxPooling1D(2, {.strides = 1})(seq12345), {2, 3, 4, 5});
  check_close(layers::MaxPool1D(2)(seq12345), {2, 4});
  check_close(layers::MaxPooling1D(2, {.strides = 1, .padding = "SAME"})(seq12345), {2, 3, 4, 5, 5});
}

TEST_CASE("Pooling 1D and 3D layers: Keras's shape cases, None dimensions, compute_output_shape") {
  // max_pooling_test.py: (3, 5, 4) pool 2 stride 1 valid -> (3, 4, 4); pool (2,) stride (2,) -> (3, 2, 4)
  const Tensor x = random_tensor({3, 5, 4}, 1);
  CHECK(layers::MaxPooling1D(2, {.strides = 1})(x).shape() == Shape{3, 4, 4});
  CHECK(layers::MaxPooling1D(2, {.strides = 2})(x).shape() == Shape{3, 2, 4});
  CHECK(layers::AveragePooling1D(3, {.strides = 2, .padding = "same"})(x).shape() == Shape{3, 3, 4});
  for (auto p : {layers::MaxPooling1D(2, {.strides = 1}), layers::MaxPooling1D(3, {.padding = "same"})}) check_output_shape(*p, {x});
  check_output_shape(*layers::AveragePooling1D(2, {.strides = 1, .padding = "same"}), {x});
  // (3, 5, 5, 5, 4): pool 2 stride 1 valid -> (3, 4, 4, 4, 4); pool (2, 3, 2) stride (2, 2, 1) -> (3, 2, 2, 4, 4)
  const Tensor v = random_tensor({3, 5, 5, 5, 4}, 2);
  CHECK(layers::MaxPooling3D(2, {.strides = 1})(v).shape() == Shape{3, 4, 4, 4, 4});
  CHECK(layers::MaxPooling3D({2, 3, 2}, {.strides = {2, 2, 1}})(v).shape() == Shape{3, 2, 2, 4, 4});
  check_output_shape(*layers::AveragePooling3D({2, 3, 2}, {.strides = {2, 2, 1}, .padding = "same"}), {v});
  // symbolic: unknown steps stay None
  CHECK(layers::MaxPooling1D()(Input({None, 8})).shape() == TensorShape{None, None, 8});
  CHECK(layers::AveragePooling1D(3, {.padding = "same"})(Input({10, 8})).shape() == TensorShape{None, 4, 8});
  CHECK(layers::MaxPooling3D()(Input({8, None, 6, 2})).shape() == TensorShape{None, 4, None, 3, 2});
}

TEST_CASE("Pooling 1D and 3D layers: gradients through the layers") {
  Tensor x = distinct_tensor({2, 7, 3}, 3);
  layers::MaxPooling1D m(3, {.strides = 2, .padding = "same"});
  check_gradients([&] { return m(x); }, {x});
  Tensor y = random_tensor({2, 7, 3}, 4);
  layers::AveragePooling1D a(2, {.strides = 1});
  check_gradients([&] { return a(y); }, {y});
  Tensor v = distinct_tensor({1, 4, 3, 4, 2}, 5);
  layers::MaxPooling3D m3(2, {.padding = "same"});
  check_gradients([&] { return m3(v); }, {v});
  layers::AveragePooling3D a3({2, 1, 3}, {.strides = 1});
  check_gradients([&] { return a3(v); }, {v});
  layers::GlobalMaxPooling1D gm;
  check_gradients([&] { return gm(x); }, {x});
  layers::GlobalAveragePooling3D ga({.keepdims = true});
  check_gradients([&] { return ga(v); }, {v});
}

TEST_CASE("Global pooling 1D and 3D: values, keepdims and shapes") {
  Tensor x = Tensor::from({1, 3, 2}, {1, -1, 5, 0, 3, 4});
  check_close(layers::GlobalMaxPooling1D()(x), {5, 4});
  check_close(layers::GlobalAveragePooling1D()(x), {3, 1});
  CHECK(layers::GlobalAvgPool1D({.keepdims = true})(x).shape() == Shape{1, 1, 2});
  const Tensor v = random_tensor({2, 3, 4, 5, 6}, 6);
  CHECK(layers::GlobalMaxPooling3D()(v).shape() == Shape{2, 6});
  check_output_shape(*layers::GlobalMaxPooling3D({.keepdims = true}), {v});
  check_output_shape(*layers::GlobalAveragePooling1D(), {x});
  CHECK(layers::GlobalAveragePooling1D()(Input({None, 16})).shape() == TensorShape{None, 16});
  CHECK(layers::GlobalMaxPool3D({.keepdims = true})(Input({None, 4, None, 3})).shape() == TensorShape{None, 1, 1, 1, 3});
}

TEST_CASE("Pooling 1D and 3D layers: Keras 3 configs, round trips, aliases, tf.keras configs") {
  layers::MaxPooling1D m(3, {.strides = 1, .padding = "same", .name = "pool"});
  const json c = m->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "pool_size", "padding", "strides", "data_format"});
  CHECK(c["pool_size"] == json::array({3}));  // Keras writes 1-tuples
  CHECK(c["strides"] == json::array({1}));
  CHECK(c["padding"] == "same");
  CHECK(c["data_format"] == "channels_last");
  CHECK(m->build_config().is_null());
  CHECK(m->weights().empty());
  check_config_round_trip(*m);
  check_config_round_trip(*layers::AveragePooling1D());
  const json c3 = layers::AveragePooling3D({2, 3, 1})->get_config();
  CHECK(c3["pool_size"] == json::array({2, 3, 1}));
  CHECK(c3["strides"] == json::array({2, 3, 1}));
  check_config_round_trip(*layers::MaxPooling3D(2, {.strides = {1, 2, 1}}));
  // the real tf.keras 2.10 dump (reference part 1, section 3.4)
  LayerPtr tf = layer_from_config("MaxPooling1D", json::parse(R"({"name": "max_pooling1d_4", "trainable": true,
      "dtype": "float32", "strides": [1], "pool_size": [1], "padding": "valid", "data_format": "channels_last"})"), "c");
  CHECK(tf->name() == "max_pooling1d_4");
  CHECK(tf->get_config()["pool_size"] == json::array({1}));
  // null strides, int sizes and every alias
  CHECK(layer_from_config("AveragePooling1D", json{{"pool_size", 4}, {"strides", nullptr}}, "c")->get_config()["strides"] ==
        json::array({4}));
  for (auto [alias, name] : std::vector<std::pair<const char*, const char*>>{
           {"MaxPool1D", "MaxPooling1D"}, {"AvgPool1D", "AveragePooling1D"}, {"MaxPool3D", "MaxPooling3D"},
           {"AvgPool3D", "AveragePooling3D"}, {"GlobalMaxPool1D", "GlobalMaxPooling1D"},
           {"GlobalAvgPool1D", "GlobalAveragePooling1D"}, {"GlobalMaxPool3D", "GlobalMaxPooling3D"},
           {"GlobalAvgPool3D", "GlobalAveragePooling3D"}})
    CHECK(layer_from_config(alias, json::object(), "c")->class_name() == name);

  layers::GlobalAveragePooling1D g({.keepdims = true, .name = "gap"});
  const json gc = g->get_config();
  check_key_order(gc, {"name", "trainable", "dtype", "data_format", "keepdims"});
  CHECK(gc["keepdims"] == true);
  CHECK(g->build_config().is_null());
  check_config_round_trip(*g);
  check_config_round_trip(*layers::GlobalMaxPooling3D());
  // tf.keras 2.2.4-tf wrote only data_format
  CHECK(layer_from_config("GlobalAveragePooling1D", json{{"data_format", "channels_last"}}, "c")->get_config()["keepdims"] ==
        false);
}

TEST_CASE("Pooling 1D and 3D layers: auto-names follow Keras") {
  clear_session();
  CHECK(layers::MaxPooling1D()->name() == "max_pooling1d");
  CHECK(layers::MaxPooling1D()->name() == "max_pooling1d_1");
  CHECK(layers::AveragePooling3D()->name() == "average_pooling3d");
  CHECK(layers::GlobalAveragePooling1D()->name() == "global_average_pooling1d");
  CHECK(layers::GlobalMaxPooling3D()->name() == "global_max_pooling3d");
}

TEST_CASE("Pooling 1D and 3D layers: errors") {
  CHECK_THROWS_WITH(layers::MaxPooling1D(2, {.padding = "causal", .name = "p"}),
                    Catch::Contains("\"p\"") && Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(layers::MaxPooling1D(0), Catch::Contains("pool_size"));
  CHECK_THROWS_WITH(layers::AveragePooling1D(2, {.strides = -1}), Catch::Contains("strides"));
  CHECK_THROWS_WITH(layers::MaxPooling3D({2, 0, 2}), Catch::Contains("pool_size"));
  CHECK_THROWS_WITH(layers::MaxPooling1D(2, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::GlobalAveragePooling1D({.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::MaxPooling1D()(random_tensor({2, 4, 4, 1})), Catch::Contains("expected ndim=3, found ndim=4"));
  CHECK_THROWS_WITH(layers::GlobalMaxPooling3D()(random_tensor({2, 4, 4, 1})), Catch::Contains("expected ndim=5"));
  CHECK_THROWS_WITH(layers::MaxPooling1D(5, {.name = "short"})(random_tensor({1, 4, 1})),
                    Catch::Contains("\"short\"") && Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(layers::MaxPooling1D(5)(Input({4, 1})), Catch::Contains("zero or negative"));
  CHECK_THROWS_WITH(layer_from_config("MaxPooling1D", json{{"pool_size", json::array({2, 2})}}, "m"),
                    Catch::Contains("m.config.pool_size"));
  CHECK_THROWS_WITH(layer_from_config("AveragePooling3D", json{{"strides", json::array({1, 0, 1})}}, "m"),
                    Catch::Contains("m.config.strides"));
  CHECK_THROWS_WITH(layer_from_config("MaxPooling3D", json{{"pool_size", 1 << 30}}, "m"), Catch::Contains("m.config.pool_size"));
  CHECK_THROWS_WITH(layer_from_config("AvgPool1D", json{{"padding", "full"}}, "m"), Catch::Contains("m.config.padding"));
  CHECK_THROWS_WITH(layer_from_config("GlobalMaxPooling1D", json{{"keepdims", 1}}, "m"), Catch::Contains("m.config.keepdims"));
  CHECK_THROWS_WITH(layer_from_config("GlobalAvgPool3D", json{{"data_format", "channels_first"}}, "m"),
                    Catch::Contains("m.config.data_format"));
}
