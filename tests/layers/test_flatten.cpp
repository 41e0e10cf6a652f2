#include <catch2/catch.hpp>

#include <numeric>

#include <xkeras/errors.hpp>
#include <xkeras/layers.hpp>

#include "layers/layer_checks.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {
std::vector<float> iota(std::size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0f);
  return v;
}
}  // namespace

TEST_CASE("Flatten: keeps the row-major element order") {
  layers::Flatten f;
  const Tensor x = Tensor::from({2, 3, 4}, iota(24));
  const Tensor y = f(x);
  CHECK(y.shape() == Shape{2, 12});
  check_close(y, iota(24));
}

TEST_CASE("Flatten: a (batch,) input becomes (batch, 1)") {
  layers::Flatten f;
  const Tensor y = f(Tensor::from({3}, {1, 2, 3}));
  CHECK(y.shape() == Shape{3, 1});
  check_close(y, {1, 2, 3});
  CHECK(f->compute_output_shape({{None}}) == std::vector<TensorShape>{{None, 1}});
}

TEST_CASE("Flatten: symbolic shapes, Keras docstring (None, 10, 64) -> (None, 640)") {
  layers::Flatten f;
  CHECK(f(Input({10, 64})).shape() == TensorShape{None, 640});
  CHECK(layers::Flatten()(Input({None, 3})).shape() == TensorShape{None, None});
  testing::check_output_shape(*f, {random_tensor({2, 10, 64})});
}

TEST_CASE("Flatten: channels_first moves channels last before flattening") {
  // Keras flatten_test: np.reshape(np.transpose(x, (0, 2, 3, 1)), (-1, C*H*W))
  layers::Flatten f("channels_first");
  const Tensor x = Tensor::from({1, 2, 2, 3}, iota(12));  // x[0, c, h, w] = 6c + 3h + w
  std::vector<float> expected;
  for (int h = 0; h < 2; ++h)
    for (int w = 0; w < 3; ++w)
      for (int c = 0; c < 2; ++c) expected.push_back(float(6 * c + 3 * h + w));
  check_close(f(x), expected);
  Tensor g = random_tensor({2, 3, 2, 2}, 5);
  check_gradients([&] { return f(g); }, {g});
}

TEST_CASE("Flatten: gradient, config round trip, errors") {
  layers::Flatten f;
  Tensor x = random_tensor({2, 3, 2}, 4);
  check_gradients([&] { return f(x); }, {x});
  const json c = f->get_config();
  testing::check_key_order(c, {"name", "trainable", "dtype", "data_format"});
  CHECK(c["data_format"] == "channels_last");
  testing::check_config_round_trip(*f);
  testing::check_config_round_trip(*layers::Flatten("channels_first"));
  CHECK_THROWS_AS(layers::Flatten("nhwc"), ValueError);
  CHECK_THROWS_AS(layer_from_config("Flatten", json{{"data_format", "nchw"}}, "config"), ConfigError);
  CHECK_THROWS_WITH(f(Tensor::scalar(1.0f)), Catch::Contains("min_ndim=1"));
}
