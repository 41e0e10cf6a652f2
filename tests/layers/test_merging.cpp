#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/model.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
// keras/src/layers/merging/merging_test.py mask test inputs (values only; xkeras has no masks)
const Tensor x1 = Tensor::from({1, 4, 2}, {0, 0, 1, 2, 0, 0, 3, 4});
const Tensor x2 = Tensor::from({1, 4, 2}, {0, 0, 0, 0, 1, 2, 3, 4});
}  // namespace

TEST_CASE("Add / Subtract / Multiply / Average on known arrays") {
  check_close(layers::Add()({x1, x2}), {0, 0, 1, 2, 1, 2, 6, 8});
  check_close(layers::Multiply()({x1, x2}), {0, 0, 0, 0, 0, 0, 9, 16});
  check_close(layers::Subtract()({x1, x2}), {0, 0, 1, 2, -1, -2, 0, 0});
  check_close(layers::Average()({x1, x2}), {0, 0, 0.5f, 1, 0.5f, 1, 3, 4});
  const Tensor x3 = Tensor::full({1, 4, 2}, 1.0f);
  check_close(layers::Add()({x1, x2, x3}), {1, 1, 2, 3, 2, 3, 7, 9});
  check_close(layers::Multiply()({x1, x2, x3}), {0, 0, 0, 0, 0, 0, 9, 16});
  check_close(layers::Average()({x1, x2, x3}), {1 / 3.f, 1 / 3.f, 2 / 3.f, 1, 2 / 3.f, 1, 7 / 3.f, 3});
}

TEST_CASE("Merge: random (2,4,5) pairs equal np.add / np.multiply (merging_test)") {
  const Tensor a = random_tensor({2, 4, 5}, 1), b = random_tensor({2, 4, 5}, 2);
  const Tensor s = layers::Add()({a, b}), p = layers::Multiply()({a, b});
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(s.data()[i] == Approx(a.data()[i] + b.data()[i]).margin(1e-6));
    CHECK(p.data()[i] == Approx(a.data()[i] * b.data()[i]).margin(1e-6));
  }
}

TEST_CASE("Merge: Keras's rank rule inserts size-1 axes at axis 1, not NumPy's leading axes") {
  // a (3, 3) and b (3, 3, 3): Keras expands a to (3, 1, 3), so out[n,i,j] = a[n,j] + b[n,i,j].
  // NumPy would instead broadcast a as (1, 3, 3): out[n,i,j] = a[i,j] + b[n,i,j].
  std::vector<float> av(9), bv(27);
  std::iota(av.begin(), av.end(), 0.0f);
  std::iota(bv.begin(), bv.end(), 100.0f);
  const Tensor a = Tensor::from({3, 3}, av), b = Tensor::from({3, 3, 3}, bv);
  const Tensor y = layers::Add()({a, b});
  REQUIRE(y.shape() == Shape{3, 3, 3});
  std::vector<float> expected;
  for (int n = 0; n < 3; ++n)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) expected.push_back(av[n * 3 + j] + bv[(n * 3 + i) * 3 + j]);
  check_close(y, expected);
  // the same in the other order, and for Multiply
  check_close(layers::Add()({b, a}), expected);
  const Tensor m = layers::Multiply()({Tensor::from({2, 1}, {2, 3}), Tensor::from({2, 3, 1}, {1, 2, 3, 4, 5, 6})});
  CHECK(m.shape() == Shape{2, 3, 1});
  check_close(m, {2, 4, 6, 12, 15, 18});
  // symbolic: (None, 3) + (None, 5, 3) -> (None, 5, 3)
  CHECK(layers::Add()({Input({3}), Input({5, 3})}).shape() == TensorShape{None, 5, 3});
  CHECK(layers::Add()({Input({1}), Input({5, 3})}).shape() == TensorShape{None, 5, 3});
}

TEST_CASE("Merge: output shapes match the real outputs") {
  testing::check_output_shape(*layers::Add(), {random_tensor({2, 3}), random_tensor({2, 4, 3})});
  testing::check_output_shape(*layers::Multiply(), {random_tensor({2, 1, 3}), random_tensor({2, 4, 1})});
  testing::check_output_shape(*layers::Subtract(), {random_tensor({2, 3}), random_tensor({2, 3})});
  testing::check_output_shape(*layers::Average(), {random_tensor({2, 3}), random_tensor({2, 3}), random_tensor({2, 3})});
  testing::check_output_shape(*layers::Concatenate(1), {random_tensor({2, 3, 2}), random_tensor({2, 1, 2})});
  CHECK(layers::Add()({Input({None, 3}), Input({4, 3})}).shape() == TensorShape{None, None, 3});
}

TEST_CASE("Merge: gradients reach every input, summed over broadcast axes") {
  Tensor a = random_tensor({2, 3}, 3), b = random_tensor({2, 4, 3}, 4), c = random_tensor({2, 4, 1}, 5);
  layers::Add add;
  layers::Multiply mul;
  layers::Subtract sub;
  layers::Average avg;
  check_gradients([&] { return add({a, b, c}); }, {a, b, c});
  check_gradients([&] { return mul({a, b, c}); }, {a, b, c});
  check_gradients([&] { return sub({b, a}); }, {a, b});
  check_gradients([&] { return avg({a, b}); }, {a, b});
}

TEST_CASE("Concatenate: values, axes and the Keras docstring example") {
  // x = arange(20).reshape(2,2,5), y = arange(20,30).reshape(2,1,5); Concatenate(axis=1)
  std::vector<float> xv(20), yv(10);
  std::iota(xv.begin(), xv.end(), 0.0f);
  std::iota(yv.begin(), yv.end(), 20.0f);
  const Tensor x = Tensor::from({2, 2, 5}, xv), y = Tensor::from({2, 1, 5}, yv);
  const Tensor z = layers::Concatenate(1)({x, y});
  REQUIRE(z.shape() == Shape{2, 3, 5});
  std::vector<float> expected;
  for (int n = 0; n < 2; ++n) {
    for (int i = 0; i < 10; ++i) expected.push_back(xv[n * 10 + i]);
    for (int i = 0; i < 5; ++i) expected.push_back(yv[n * 5 + i]);
  }
  check_close(z, expected);
  check_close(layers::Concatenate()({Tensor::from({2, 1}, {1, 2}), Tensor::from({2, 2}, {3, 4, 5, 6})}), {1, 3, 4, 2, 5, 6});
  CHECK(layers::Concatenate()({Input({3}), Input({4})}).shape() == TensorShape{None, 7});
  CHECK(layers::Concatenate()({Input({3}), Input({None})}).shape() == TensorShape{None, None});
  CHECK(layers::Concatenate(1)({Input({2, 8}), Input({None, 8})}).shape() == TensorShape{None, None, 8});
  Tensor a = random_tensor({2, 3}, 6), b = random_tensor({2, 2}, 7);
  layers::Concatenate cat;
  check_gradients([&] { return cat({a, b}); }, {a, b});
}

TEST_CASE("Merge: Keras's errors") {
  CHECK_THROWS_WITH(layers::Add("add_bs")({random_tensor({2, 3}), random_tensor({3, 3})}),
                    Catch::Contains("add_bs") && Catch::Contains("different batch sizes") &&
                        Catch::Contains("[(2, 3), (3, 3)]"));
  CHECK_THROWS_WITH(layers::Add("add_shape")({Input({3}), Input({4})}),
                    Catch::Contains("add_shape") && Catch::Contains("incompatible shapes") &&
                        Catch::Contains("[(None, 3), (None, 4)]"));
  CHECK_THROWS_WITH(layers::Subtract("sub3")({random_tensor({2, 3}), random_tensor({2, 3}), random_tensor({2, 3})}),
                    Catch::Contains("sub3") && Catch::Contains("exactly 2 inputs"));
  CHECK_THROWS_WITH(layers::Concatenate(-1, "cat_bad")({Input({3, 2}), Input({4, 5})}),
                    Catch::Contains("cat_bad") && Catch::Contains("matching shapes except for the concatenation axis"));
  CHECK_THROWS_AS(layers::Concatenate()({Input({3}), Input({3, 1})}), ValueError);
  CHECK_THROWS_AS(layers::Concatenate(3)({Input({3}), Input({3})}), ValueError);
  CHECK_THROWS_AS(layers::Add()(KerasTensors{}), ValueError);
  CHECK_THROWS_AS(layers::Add()({Tensor::scalar(1.0f), Tensor::scalar(2.0f)}), ValueError);
}

TEST_CASE("Merge: called with a list, recorded as a list call, build_config a list of shapes") {
  layers::Add add;
  CHECK(add->takes_list());
  const KerasTensor a = Input({3}), b = Input({3});
  const KerasTensor y = add({a, b});
  CHECK(y.node()->list_call);
  CHECK(add->build_config() == json::parse(R"({"input_shape": [[null, 3], [null, 3]]})"));
  // a functional model of the merge runs eagerly
  Model m(KerasTensors{a, b}, y);
  const Tensors out = m->call_list({Tensor::from({1, 3}, {1, 2, 3}), Tensor::from({1, 3}, {10, 20, 30})}, false);
  REQUIRE(out.size() == 1);
  check_close(out[0], {11, 22, 33});
}

TEST_CASE("Merge: configs and round trips") {
  for (LayerPtr l : {LayerPtr(layers::Add()), LayerPtr(layers::Subtract()), LayerPtr(layers::Multiply()),
                     LayerPtr(layers::Average())}) {
    testing::check_key_order(l->get_config(), {"name", "trainable", "dtype"});
    testing::check_config_round_trip(*l);
  }
  layers::Concatenate c(3, "cat");
  const json cfg = c->get_config();
  testing::check_key_order(cfg, {"name", "trainable", "dtype", "axis"});
  CHECK(cfg["axis"] == 3);
  testing::check_config_round_trip(*c);
  // the Keras 3 Add config of the reference's worked example (section 3.3)
  const json add_cfg = json::parse(R"({"name": "add", "trainable": true, "dtype": {"module": "keras",
      "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}})");
  CHECK(layer_from_config("Add", add_cfg, "config")->get_config() == add_cfg);
  CHECK_THROWS_AS(layer_from_config("Concatenate", json{{"axis", "last"}}, "config"), ConfigError);
}
