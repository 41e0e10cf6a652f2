// UpSampling1D/3D, UpSampling2D(interpolation="bilinear"), Permute, RepeatVector and Reshape's -1:
// Keras's test values, None dimensions, gradients, Keras 3 configs, errors.
#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers/permute.hpp>
#include <xkeras/layers/repeat_vector.hpp>
#include <xkeras/layers/reshape.hpp>
#include <xkeras/layers/up_sampling.hpp>
#include <xkeras/layers/up_sampling2d.hpp>
#include <xkeras/models/model.hpp>
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
}  // namespace

TEST_CASE("UpSampling1D: the Keras test value, shapes, gradient, config") {
  // up_sampling1d_test.py: UpSampling1D(2)(arange(12).reshape(2, 2, 3))
  layers::UpSampling1D up;
  check_close(up(iota({2, 2, 3})), {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11});
  Tensor x = random_tensor({2, 3, 4}, 1);
  layers::UpSampling1D up3(3, "up");
  CHECK(up3(x).shape() == Shape{2, 9, 4});
  check_output_shape(*up3, {x});
  CHECK(up3(Input({None, 4})).shape() == TensorShape{None, None, 4});
  CHECK(up3(Input({5, 4})).shape() == TensorShape{None, 15, 4});
  check_gradients([&] { return up3(x); }, {x});
  const json c = up3->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "size"});
  CHECK(c["size"] == 3);  // an int, as Keras writes it
  check_config_round_trip(*up3);
  clear_session();
  CHECK(layers::UpSampling1D()->name() == "up_sampling1d");
}

TEST_CASE("UpSampling3D: repeats each axis, shapes, gradient, config") {
  Tensor v = iota({1, 2, 1, 2, 1});
  Tensor u = layers::UpSampling3D({1, 2, 3})(v);
  REQUIRE(u.shape() == Shape{1, 2, 2, 6, 1});
  check_close(u, {0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3});
  Tensor r = random_tensor({2, 2, 3, 2, 2}, 2);
  layers::UpSampling3D up;
  CHECK(up(r).shape() == Shape{2, 4, 6, 4, 2});  // default (2, 2, 2)
  check_output_shape(*up, {r});
  CHECK(up(Input({2, None, 3, 1})).shape() == TensorShape{None, 4, None, 6, 1});
  check_gradients([&] { return up(r); }, {r});
  const json c = layers::UpSampling3D({1, 2, 3})->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "size", "data_format"});
  CHECK(c["size"] == json::array({1, 2, 3}));
  CHECK(c["data_format"] == "channels_last");
  check_config_round_trip(*up);
}

TEST_CASE("UpSampling2D bilinear: TF's half-pixel values, shapes, gradient, config") {
  // tf.image.resize([[0, 1], [2, 3]], (4, 4), "bilinear"): y = 2 r + c with r, c in {0, 0.25, 0.75, 1}
  layers::UpSampling2D up(2, {.interpolation = "bilinear"});
  check_close(up(Tensor::from({1, 2, 2, 1}, {0, 1, 2, 3})),
              {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3});
  // size (1, 3) on one row: only the width is resampled, the edges are clamped
  check_close(layers::UpSampling2D({1, 3}, {.interpolation = "BILINEAR"})(Tensor::from({1, 1, 2, 1}, {0, 1})),
              {0, 0, 1.0f / 3, 2.0f / 3, 1, 1});
  // the Keras test's shapes: (2, 11, 12, 2) with size (2, 3)
  Tensor x = random_tensor({2, 11, 12, 2}, 3);
  layers::UpSampling2D up23({2, 3}, {.interpolation = "bilinear"});
  CHECK(up23(x).shape() == Shape{2, 22, 36, 2});
  check_output_shape(*up23, {x});
  Tensor small = random_tensor({1, 3, 2, 2}, 4);
  check_gradients([&] { return up23(small); }, {small});
  const json c = up23->get_config();
  CHECK(c["interpolation"] == "bilinear");
  check_config_round_trip(*up23);
  CHECK(layer_from_config("UpSampling2D", json{{"interpolation", "bilinear"}}, "u")->get_config()["interpolation"] ==
        "bilinear");
}

TEST_CASE("Permute: transposes the non-batch axes, shapes, gradient, config") {
  // docstring: Input((10, 64)) with (2, 1) -> (None, 64, 10)
  CHECK(layers::Permute({2, 1})(Input({10, 64})).shape() == TensorShape{None, 64, 10});
  CHECK(layers::Permute({3, 1, 2})(Input({None, 4, 5})).shape() == TensorShape{None, 5, None, 4});
  Tensor x = iota({1, 2, 3});
  check_close(layers::Permute({2, 1})(x), {0, 3, 1, 4, 2, 5});
  Tensor r = random_tensor({2, 3, 4, 5}, 5);
  layers::Permute p({3, 1, 2}, "perm");
  Tensor y = p(r);
  REQUIRE(y.shape() == Shape{2, 5, 3, 4});
  CHECK(y.value()(1, 4, 2, 3) == r.value()(1, 2, 3, 4));
  check_output_shape(*p, {r});
  check_gradients([&] { return p(r); }, {r});
  const json c = p->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "dims"});
  CHECK(c["dims"] == json::array({3, 1, 2}));
  check_config_round_trip(*p);
  clear_session();
  CHECK(layers::Permute({1})->name() == "permute");
}

TEST_CASE("RepeatVector: repeats each row, shapes, gradient, config") {
  // docstring: Input((32,)) with 3 -> (None, 3, 32)
  CHECK(layers::RepeatVector(3)(Input({32})).shape() == TensorShape{None, 3, 32});
  Tensor x = Tensor::from({2, 2}, {1, 2, 3, 4});
  check_close(layers::RepeatVector(3)(x), {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
  layers::RepeatVector rv(4, "rep");
  Tensor r = random_tensor({3, 5}, 6);
  check_output_shape(*rv, {r});
  check_gradients([&] { return rv(r); }, {r});
  const json c = rv->get_config();
  check_key_order(c, {"name", "trainable", "dtype", "n"});
  CHECK(c["n"] == 4);
  check_config_round_trip(*rv);
  clear_session();
  CHECK(layers::RepeatVector(2)->name() == "repeat_vector");
}

TEST_CASE("Reshape with -1: the Keras test cases") {
  // reshape_test.py: input (3, 2, 4)
  const Tensor x = random_tensor({3, 2, 4}, 7);
  CHECK(layers::Reshape({8, 1})(x).shape() == Shape{3, 8, 1});
  CHECK(layers::Reshape({-1, 1})(x).shape() == Shape{3, 8, 1});
  CHECK(layers::Reshape({1, -1})(x).shape() == Shape{3, 1, 8});
  CHECK(layers::Reshape({-1})(x).shape() == Shape{3, 8});
  CHECK(layers::Reshape({2, -1})(x).shape() == Shape{3, 2, 4});
  // (None, 6, 4) with (-1, 8) -> (None, 3, 8); (4, 6, None, 3) with (-1, 3) -> (4, None, 3)
  layers::Reshape r({-1, 8});
  CHECK(r->compute_output_shape({{None, 6, 4}})[0] == TensorShape{None, 3, 8});
  CHECK(layers::Reshape({-1, 3})->compute_output_shape({{4, 6, None, 3}})[0] == TensorShape{4, None, 3});
  // the same layer on (1, 6, 4) and (1, 10, 4)
  CHECK(r(random_tensor({1, 6, 4})).shape() == Shape{1, 3, 8});
  CHECK(r(random_tensor({1, 10, 4})).shape() == Shape{1, 5, 8});
  // the config keeps -1 as written (a real tf.keras dump: [-1, 1200])
  CHECK(layer_from_config("Reshape", json{{"target_shape", json::array({-1, 1200})}}, "c")->get_config()["target_shape"] ==
        json::array({-1, 1200}));
}

TEST_CASE("Upsampling, Permute, RepeatVector, Reshape: errors with Keras's messages") {
  CHECK_THROWS_WITH(layers::UpSampling1D(0), Catch::Contains("Argument `size` should be a positive integer. Received: size=0"));
  CHECK_THROWS_WITH(layers::UpSampling3D({1, -2, 1}), Catch::Contains("size=(1, -2, 1)"));
  CHECK_THROWS_WITH(layers::UpSampling3D(2, {.data_format = "channels_first"}), Catch::Contains("only \"channels_last\""));
  CHECK_THROWS_WITH(layers::UpSampling1D()(random_tensor({2, 3})), Catch::Contains("expected ndim=3, found ndim=2"));
  CHECK_THROWS_WITH(layers::UpSampling1D(1 << 20)(Input({1 << 10, 4})), Catch::Contains("more than"));
  CHECK_THROWS_WITH(layers::UpSampling2D(2, {.interpolation = "bicubic"}), Catch::Contains("not implemented"));
  CHECK_THROWS_WITH(layers::Permute({1, 3}), Catch::Contains("must be consecutive and start from 1. Received dims=(1, 3)"));
  CHECK_THROWS_WITH(layers::Permute({0, 1}), Catch::Contains("Invalid permutation argument `dims`"));
  CHECK_THROWS_WITH(layers::Permute({2, 1})(random_tensor({2, 3, 4, 5})), Catch::Contains("expected ndim=3, found ndim=4"));
  CHECK_THROWS_WITH(layers::RepeatVector(0), Catch::Contains("Argument `n` should be a positive integer. Received: n=0"));
  CHECK_THROWS_WITH(layers::RepeatVector(2)(random_tensor({2, 3, 4})), Catch::Contains("expected ndim=2, found ndim=3"));
  CHECK_THROWS_WITH(layers::RepeatVector(1 << 20)(Input({1 << 10})), Catch::Contains("more than"));
  CHECK_THROWS_WITH(layers::Reshape({-1, -1, 5}), Catch::Contains("There must be at most one unknown dimension (-1)"));
  CHECK_THROWS_WITH(layers::Reshape({-2, 5}), Catch::Contains("must be a non-negative integer, or `-1`"));
  CHECK_THROWS_WITH(layers::Reshape({5, -1})(random_tensor({2, 3, 4})), Catch::Contains("cannot be divided"));
  CHECK_THROWS_WITH(layers::Reshape({5, 3})(Input({3, 4})), Catch::Contains("total size of the tensor must be unchanged"));
  // configs: the JSON path is named
  CHECK_THROWS_WITH(layer_from_config("UpSampling1D", json{{"size", 0}}, "m"), Catch::Contains("m.config.size"));
  CHECK_THROWS_WITH(layer_from_config("UpSampling3D", json{{"size", json::array({2, 2})}}, "m"), Catch::Contains("m.config.size"));
  CHECK_THROWS_WITH(layer_from_config("Permute", json{{"dims", json::array({2, 2})}}, "m"), Catch::Contains("m.config.dims"));
  CHECK_THROWS_WITH(layer_from_config("Permute", json{{"dims", 1}}, "m"), Catch::Contains("m.config.dims"));
  CHECK_THROWS_WITH(layer_from_config("Permute", json::object(), "m"), Catch::Contains("m.config.dims"));
  CHECK_THROWS_WITH(layer_from_config("RepeatVector", json{{"n", -3}}, "m"), Catch::Contains("m.config.n"));
  CHECK_THROWS_WITH(layer_from_config("RepeatVector", json{{"n", 1e15}}, "m"), Catch::Contains("m.config.n"));
  CHECK_THROWS_WITH(layer_from_config("RepeatVector", json::object(), "m"), Catch::Contains("m.config.n"));
}
