// Normalization: Keras's docstring and test values, adapt over axes, batched adapt, given mean and
// variance, invert, weights, configs.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
const Tensor kAdapt = Tensor::from({4, 3}, {0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6});
}

TEST_CASE("Normalization: Keras docstring values") {
  // axis=None, adapt [1..5], input [1, 2, 3] -> [-1.4142135, -0.70710677, 0]
  layers::Normalization global({.axis = {}});
  global->adapt(Tensor::from({5}, {1, 2, 3, 4, 5}));
  check_close(global(Tensor::from({3}, {1, 2, 3})), {-1.4142135f, -0.70710677f, 0.0f});
  // axis=-1 on the docstring data: [[0, 7, 4]] -> [-1, -1, -1]
  layers::Normalization per_feature;
  per_feature->adapt(kAdapt);
  check_close(per_feature(Tensor::from({1, 3}, {0, 7, 4})), {-1, -1, -1});
  // invert=True: [[1, 2, 3]] -> [2, 10, 8]
  layers::Normalization inv({.invert = true});
  inv->adapt(kAdapt);
  check_close(inv(Tensor::from({1, 3}, {1, 2, 3})), {2, 10, 8});
  // mean=3, variance=2 on [[1], [2], [3]]
  layers::Normalization fixed({.mean = 3.0, .variance = 2.0});
  check_close(fixed(Tensor::from({3, 1}, {1, 2, 3})), {-1.4142135f, -0.70710677f, 0.0f});
}

TEST_CASE("Normalization: weights mean, variance, count (Keras 3 names, shapes, order)") {
  layers::Normalization n;
  n->adapt(kAdapt);
  const auto w = n->weights();
  REQUIRE(w.size() == 3);
  CHECK(w[0]->name == "mean");
  CHECK(w[1]->name == "variance");
  CHECK(w[2]->name == "count");
  for (const auto& v : w) CHECK_FALSE(v->trainable);
  CHECK(w[0]->shape() == Shape{3});
  CHECK(w[2]->shape() == Shape{});
  check_close(w[0]->value, {1, 8, 5});
  check_close(w[1]->value, {1, 1, 1});
  CHECK(w[2]->value.item() == 0.0f);  // Keras 3's adapt never updates count
  // built from the data's shape; the batch size is recorded as None (unless axis 0 is kept), as xkeras builds
  CHECK(n->build_config() == json::parse(R"({"input_shape": [null, 3]})"));
  CHECK(layers::Normalization({.mean = 1.0, .variance = 1.0})->weights().empty());
  // set_weights changes what call uses (Keras's load_own_variables + finalize_state)
  n->set_weights({Tensor::from({3}, {1, 1, 1}).value(), Tensor::from({3}, {4, 4, 4}).value(), Array(Tensor::scalar(0).value())});
  check_close(n(Tensor::from({1, 3}, {3, 5, 7})), {1, 2, 3});
}

TEST_CASE("Normalization: adapt reduces every axis but the kept ones") {
  // (2, 2, 3) data, axis=(1, 2): per (i, j) over the batch; axis=1: per row over batch and last axis
  const Tensor x = Tensor::from({2, 2, 3}, {1, 2, 3, 4, 5, 6, 3, 4, 5, 8, 9, 10});
  layers::Normalization both({.axis = {1, 2}});
  both->adapt(x);
  check_close(both->adapt_mean()->value, {2, 3, 4, 6, 7, 8});
  check_close(both->adapt_variance()->value, {1, 1, 1, 4, 4, 4});
  layers::Normalization mid({.axis = {1}});
  mid->adapt(x);
  // row 0: {1,2,3,3,4,5} mean 3, var 5/3; row 1: {4,5,6,8,9,10} mean 7, var 14/3 (hand-computed)
  check_close(mid->adapt_mean()->value, {3, 7});
  check_close(mid->adapt_variance()->value, {5.0f / 3, 14.0f / 3});
  CHECK(mid->adapt_mean()->shape() == Shape{2});
  // negative and unsorted axes are made positive and sorted
  layers::Normalization neg({.axis = {-1, 1}});
  neg->adapt(x);
  check_close(neg->adapt_mean()->value, {2, 3, 4, 6, 7, 8});
  const Tensor y = mid(x);
  CHECK(y.data()[0] == Approx((1 - 3) / std::sqrt(5.0 / 3)));
  CHECK(y.data()[11] == Approx((10 - 7) / std::sqrt(14.0 / 3)));
}

TEST_CASE("Normalization: batched adapt merges exactly, in any split") {
  const Tensor all = random_tensor({12, 5}, 4, -3.0f, 5.0f);
  layers::Normalization whole, parts;
  whole->adapt(all);
  Tensors batches;
  const std::size_t cuts[] = {0, 5, 6, 12};  // uneven batches, one of size 1
  for (int i = 0; i < 3; ++i) {
    std::vector<float> v(all.data() + cuts[i] * 5, all.data() + cuts[i + 1] * 5);
    batches.push_back(Tensor::from({cuts[i + 1] - cuts[i], 5}, v));
  }
  parts->adapt(batches);
  check_close(parts->adapt_mean()->value, whole->adapt_mean()->value.to_vector(), 1e-6);
  check_close(parts->adapt_variance()->value, whole->adapt_variance()->value.to_vector(), 1e-6);
  // hand-computed: batches {1, 3} and {5} -> mean 3, variance 8/3
  layers::Normalization g({.axis = {}});
  g->adapt(Tensors{Tensor::from({2}, {1, 3}), Tensor::from({1}, {5})});
  CHECK(g->adapt_mean()->value.item() == Approx(3.0f));
  CHECK(g->adapt_variance()->value.item() == Approx(8.0f / 3));
}

TEST_CASE("Normalization: given mean and variance broadcast onto the kept axes") {
  // a list fills the kept axis; a scalar every position; a (3,) list onto the last of two kept axes
  layers::Normalization per({.mean = layers::ArrayValue{1, 2, 3}, .variance = layers::ArrayValue{4, 9, 16}});
  check_close(per(Tensor::from({1, 3}, {3, 5, 7})), {1, 1, 1});
  layers::Normalization two({.axis = {1, 2}, .mean = layers::ArrayValue{1, 2, 3}, .variance = layers::ArrayValue{1, 1, 4}});
  check_close(two(Tensor::from({1, 2, 3}, {1, 2, 3, 2, 3, 5})), {0, 0, 0, 1, 1, 1});
  layers::Normalization inv({.mean = 1.0, .variance = 4.0, .invert = true});
  check_close(inv(Tensor::from({1, 2}, {0, 1})), {1, 3});
  // a zero variance is clamped at epsilon 1e-7 on the standard deviation
  layers::Normalization zero({.mean = 0.0, .variance = 0.0});
  check_close(zero(Tensor::from({1, 1}, {1e-7f})), {1.0f}, 1e-5);
  // a mean that does not fit the kept axes
  CHECK_THROWS_WITH(layers::Normalization({.mean = layers::ArrayValue{1, 2}, .variance = layers::ArrayValue{1, 2}})(
                        Tensor::from({1, 3}, {1, 2, 3})),
                    Catch::Contains("cannot be broadcast"));
}

TEST_CASE("Normalization: gradients and shapes") {
  layers::Normalization n;
  n->adapt(random_tensor({6, 4}, 5));
  Tensor x = random_tensor({3, 4}, 6);
  check_gradients([&] { return n(x); }, {x});
  layers::Normalization inv({.mean = layers::ArrayValue{1, 2}, .variance = layers::ArrayValue{4, 9}, .invert = true});
  Tensor x2 = random_tensor({3, 2}, 7);
  check_gradients([&] { return inv(x2); }, {x2});
  testing::check_output_shape(*n, {x});
  layers::Normalization sym;
  CHECK(sym(Input({5})).shape() == TensorShape{None, 5});
  CHECK(sym->weights().size() == 3);
  CHECK(sym->build_config() == json::parse(R"({"input_shape": [null, 5]})"));
}

TEST_CASE("Normalization: configs (Keras 3 keys and values) and round trips") {
  layers::Normalization n({.name = "normalization"});
  json c = n->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "axis", "invert", "mean", "variance"});
  CHECK(c["axis"] == json::parse("[-1]"));
  CHECK(c["invert"] == false);
  CHECK(c["mean"].is_null());
  CHECK(c["variance"].is_null());
  testing::check_config_round_trip(*n);
  layers::Normalization fixed({.mean = 3.0, .variance = 2.0});
  CHECK(fixed->get_config()["mean"] == 3.0);
  CHECK(fixed->get_config()["variance"] == 2.0);
  testing::check_config_round_trip(*fixed);
  layers::Normalization none({.axis = {}, .invert = true});
  CHECK(none->get_config()["axis"] == json::array());
  testing::check_config_round_trip(*none);
  // axis null (None) and an int read as Keras stores them
  CHECK(layer_from_config("Normalization", json{{"axis", nullptr}}, "config")->get_config()["axis"] == json::array());
  CHECK(layer_from_config("Normalization", json{{"axis", 2}}, "config")->get_config()["axis"] == json::parse("[2]"));
  LayerPtr nested = layer_from_config("Normalization", json::parse(R"({"axis": [1, 2], "mean": [[1, 2], [3, 4]],
                                                                      "variance": [[1, 1], [4, 4]]})"), "config");
  check_close((*nested)(Tensor::from({1, 2, 2}, {2, 3, 5, 6})), {1, 1, 1, 1});
}

TEST_CASE("Normalization: Keras's errors") {
  CHECK_THROWS_WITH(layers::Normalization({.mean = 1.0}), Catch::Contains("both `mean` and `variance` must be set"));
  CHECK_THROWS_WITH(layers::Normalization({.mean = layers::ArrayValue{1, 2}, .variance = 1.0}),
                    Catch::Contains("must have the same shape"));
  CHECK_THROWS_WITH(layers::Normalization({.axis = {1}, .mean = layers::ArrayValue({1, 1}, {1}), .variance = layers::ArrayValue({1, 1}, {1})}),
                    Catch::Contains("rank of `mean`"));
  CHECK_THROWS_WITH(layers::Normalization({.axis = {3}})(Input({4})), Catch::Contains("[-ndim, ndim)"));
  CHECK_THROWS_WITH(layers::Normalization({.axis = {0}})(Input({4})), Catch::Contains("known shape"));
  layers::Normalization built;
  built->adapt(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}));
  CHECK_THROWS_WITH(built->adapt(Tensor::from({2, 2}, {1, 2, 3, 4})), Catch::Contains("incompatible shape"));
  CHECK_THROWS_AS(built(Tensor::from({1, 2}, {1, 2})), ValueError);
  CHECK_THROWS_WITH(layers::Normalization({.mean = 0.0, .variance = 1.0})->adapt(Tensor::from({2, 1}, {1, 2})),
                    Catch::Contains("no weights to adapt"));
  CHECK_THROWS_AS(layers::Normalization()->adapt(Tensors{}), ValueError);
  CHECK_THROWS_WITH(layer_from_config("Normalization", json{{"mean", 1.0}}, "config"), Catch::StartsWith("config.config.variance"));
  CHECK_THROWS_WITH(layer_from_config("Normalization", json{{"mean", {1, 2}}, {"variance", 1.0}}, "config"),
                    Catch::StartsWith("config.config.variance"));
  CHECK_THROWS_WITH(layer_from_config("Normalization", json{{"axis", "last"}}, "config"), Catch::StartsWith("config.config.axis"));
  CHECK_THROWS_WITH(layer_from_config("Normalization", json{{"mean", "x"}, {"variance", 1}}, "config"),
                    Catch::StartsWith("config.config.mean"));
  CHECK_THROWS_WITH(layer_from_config("Normalization", json{{"invert", 1}}, "config"), Catch::StartsWith("config.config.invert"));
}
