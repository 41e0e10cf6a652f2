#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

// Expected values: keras/src/ops/nn_test.py::test_normalize and the ops.normalize docstring.
TEST_CASE("UnitNormalization: Keras test values") {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 1, 2, 3});
  check_close(layers::UnitNormalization()(x), {0.26726124f, 0.53452247f, 0.8017837f, 0.26726124f, 0.53452247f, 0.8017837f});
  check_close(layers::UnitNormalization(0)(x), std::vector<float>(6, 0.70710677f));
  check_close(layers::UnitNormalization(std::vector<int>{0, 1})(x),
              {0.18898225f, 0.3779645f, 0.56694674f, 0.18898225f, 0.3779645f, 0.56694674f});
  check_close(layers::UnitNormalization()(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6})),
              {0.26726124f, 0.5345225f, 0.8017837f, 0.45584232f, 0.5698029f, 0.68376344f});
}

TEST_CASE("UnitNormalization: Keras >= 3.6 clamps the norm, not the squared sum") {
  // ||x|| = 1e-7 > 1e-12: Keras >= 3.6 gives [1, 0] (TF semantics would give [0.1, 0]).
  check_close(layers::UnitNormalization()(Tensor::from({1, 2}, {1e-7f, 0.0f})), {1.0f, 0.0f}, 1e-5);
  // all zeros stay finite zeros
  check_close(layers::UnitNormalization()(Tensor::from({1, 2}, {0.0f, 0.0f})), {0.0f, 0.0f});
}

TEST_CASE("UnitNormalization: every sample has norm 1, also for tiny inputs (seed 000)") {
  for (float magnitude : {1.0f, 1e-4f}) {
    const Tensor x = random_tensor({5, 16}, 9, -magnitude, magnitude);
    const Tensor y = layers::UnitNormalization()(x);
    for (std::size_t r = 0; r < 5; ++r) {
      double s = 0;
      for (std::size_t c = 0; c < 16; ++c) s += double(y.data()[r * 16 + c]) * y.data()[r * 16 + c];
      CHECK(std::sqrt(s) == Approx(1.0).margin(1e-5));
    }
  }
}

TEST_CASE("UnitNormalization: shapes, gradients, multi-axis") {
  layers::UnitNormalization u(std::vector<int>{1, 2});
  Tensor x = random_tensor({2, 3, 4}, 5);
  testing::check_output_shape(*u, {x});
  check_gradients([&] { return u(x); }, {x});
  layers::UnitNormalization last;
  Tensor x2 = random_tensor({3, 4}, 6);
  check_gradients([&] { return last(x2); }, {x2});
  CHECK(last(Input({4})).shape() == TensorShape{None, 4});
}

TEST_CASE("UnitNormalization: config keeps an int axis an int and a list a list") {
  layers::UnitNormalization a;
  json c = a->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "axis"});
  CHECK(c["axis"] == -1);
  testing::check_config_round_trip(*a);
  layers::UnitNormalization b(std::vector<int>{1, 2});
  CHECK(b->get_config()["axis"] == json::parse("[1, 2]"));
  testing::check_config_round_trip(*b);
  a(Input({3}));
  CHECK(a->build_config().is_null());
}

TEST_CASE("UnitNormalization: axis errors") {
  CHECK_THROWS_WITH(layers::UnitNormalization(3, "un_bad")(Input({4})), Catch::Contains("un_bad") && Catch::Contains("axis 3"));
  CHECK_THROWS_AS(layers::UnitNormalization(std::vector<int>{}), ValueError);
  CHECK_THROWS_AS(layers::UnitNormalization(std::vector<int>{1, -1})(Input({4})), ValueError);
  CHECK_THROWS_AS(layer_from_config("UnitNormalization", json{{"axis", "x"}}, "config"), ConfigError);
}
