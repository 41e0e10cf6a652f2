// ops::conv1d (valid, same, causal; strides, dilation, groups) and ops::depthwise_conv1d: hand-computed
// values, a naive reference loop, central-difference gradients and errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/ops/conv.hpp>

#include "conv/conv_reference.hpp"
#include "image/reference.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::all_close;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

struct Case1D {
  int filters, k, s;
  std::string padding;
  int d = 1, groups = 1;
};

Tensor run(const Tensor& x, const Tensor& k, const Tensor& b, const Case1D& c) {
  return ops::conv1d(x, k, b, c.s, c.padding, c.d, c.groups);
}

Tensor kernel_for(const Case1D& c, std::size_t C, unsigned seed) {
  return random_tensor({std::size_t(c.k), C / std::size_t(c.groups), std::size_t(c.filters)}, seed);
}

}  // namespace

TEST_CASE("conv1d: causal padding, the reference's example x=[1,2,3,4], taps (1, 10)") {
  // W[0] = 1 is the older tap, W[1] = 10 the current one: y[t] = x[t - d] + 10 x[t]
  Tensor x = Tensor::from({1, 4, 1}, {1, 2, 3, 4});
  Tensor k = Tensor::from({2, 1, 1}, {1, 10});
  check_close(ops::conv1d(x, k, Tensor(), 1, "causal", 1), {10, 21, 32, 43});
  check_close(ops::conv1d(x, k, Tensor(), 1, "causal", 2), {10, 20, 31, 42});
  check_close(ops::conv1d(x, k, Tensor(), 1, "CAUSAL", 2), {10, 20, 31, 42});  // lower-cased like Keras
  // strides 2: length ceil(4 / 2) = 2, outputs at t = 0 and 2
  check_close(ops::conv1d(x, k, Tensor(), 2, "causal"), {10, 32});
}

TEST_CASE("conv1d: hand-computed valid and same with a box kernel and a bias") {
  Tensor x = Tensor::from({1, 4, 1}, {1, 2, 3, 4});
  Tensor k = Tensor::full({3, 1, 1}, 1.0f);
  Tensor b = Tensor::from({1}, {0.5f});
  check_close(ops::conv1d(x, k, b), {6.5f, 9.5f});                      // valid: 1+2+3, 2+3+4
  check_close(ops::conv1d(x, k, b, 1, "same"), {3.5f, 6.5f, 9.5f, 7.5f});  // one zero each side
  // same, even kernel (2): the one pad goes after, y[t] = x[t] + x[t+1]
  check_close(ops::conv1d(x, Tensor::full({2, 1, 1}, 1.0f), Tensor(), 1, "same"), {3, 5, 7, 4});
}

TEST_CASE("conv1d: the naive reference on (2,9,4) for every padding, strides, dilation and groups") {
  const std::vector<Case1D> cases = {
      {5, 2, 1, "valid"},         {6, 2, 1, "causal", 2, 2}, {6, 2, 2, "valid", 1, 2}, {3, 3, 2, "same"},
      {4, 3, 1, "same", 3},       {4, 4, 3, "causal"},       {2, 1, 1, "valid"},       {8, 3, 1, "causal", 1, 4},
      {4, 5, 2, "same", 1, 2},    {3, 9, 1, "valid"},
  };
  unsigned seed = 3;
  for (const auto& c : cases) {
    INFO("filters " << c.filters << " k " << c.k << " s " << c.s << " " << c.padding << " d " << c.d << " groups "
                    << c.groups);
    const Tensor x = random_tensor({2, 9, 4}, ++seed), k = kernel_for(c, 4, ++seed);
    const Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    const Array expected = testing::ref_conv1d(x.value(), k.value(), &b.value(), c.s, c.padding, c.d, c.groups);
    const Tensor y = run(x, k, b, c);
    REQUIRE(y.shape() == to_shape(expected));
    CHECK(all_close(y.value(), expected, 5e-4, 1e-5));
    CHECK(all_close(run(x, k, Tensor(), c).value(),
                    testing::ref_conv1d(x.value(), k.value(), nullptr, c.s, c.padding, c.d, c.groups), 5e-4, 1e-5));
  }
}

TEST_CASE("conv1d: gradients of input, kernel and bias by central differences") {
  const std::vector<Case1D> cases = {{3, 3, 1, "causal", 2}, {4, 2, 2, "valid", 1, 2}, {2, 3, 1, "same"},
                                     {2, 4, 3, "causal"},    {4, 1, 1, "valid", 1, 4}};
  unsigned seed = 30;
  for (const auto& c : cases) {
    INFO("k " << c.k << " s " << c.s << " " << c.padding << " d " << c.d << " groups " << c.groups);
    Tensor x = random_tensor({2, 7, 4}, ++seed), k = kernel_for(c, 4, ++seed);
    Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    check_gradients([&] { return run(x, k, b, c); }, {x, k, b});
  }
}

TEST_CASE("conv1d: an empty batch gives the bias the sum of no gradients") {
  Tensor x = Tensor::zeros({0, 5, 2}), k = random_tensor({3, 2, 3}, 1), b = random_tensor({3}, 2);
  const Tensor y = ops::conv1d(x, k, b, 1, "causal");
  CHECK(y.shape() == Shape{0, 5, 3});
}

TEST_CASE("conv1d: errors are ValueErrors that say what was expected") {
  const Tensor x = random_tensor({1, 5, 4}, 1), k = random_tensor({3, 4, 2}, 2);
  CHECK_THROWS_WITH(ops::conv1d(random_tensor({5, 4}, 1), k, Tensor()), Catch::Contains("(batch, steps, channels)"));
  CHECK_THROWS_WITH(ops::conv1d(x, random_tensor({3, 3, 2}, 2), Tensor()), Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::conv1d(x, k, Tensor(), 1, "full"), Catch::Contains("\"causal\""));
  CHECK_THROWS_WITH(ops::conv1d(x, k, random_tensor({3}, 3)), Catch::Contains("bias of shape (2,)"));
  CHECK_THROWS_WITH(ops::conv1d(x, k, Tensor(), 0), Catch::Contains("strides"));
  CHECK_THROWS_WITH(ops::conv1d(x, random_tensor({6, 4, 2}, 2), Tensor()), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::conv1d(x, random_tensor({3, 2, 3}, 2), Tensor(), 1, "valid", 1, 2),
                    Catch::Contains("divisible by groups"));
  // a dilated window past conv_window's limit (2^26) is refused before any arithmetic
  CHECK_THROWS_WITH(ops::conv1d(x, k, Tensor(), 1, "causal", 1 << 25), Catch::Contains("2^26"));
}

TEST_CASE("depthwise_conv1d: channel c*M + m is channel c convolved with its m-th filter") {
  // 2 channels, M = 2, k = 2: ch0 = [1,2,3], ch1 = [10,20,30]
  Tensor x = Tensor::from({1, 3, 2}, {1, 10, 2, 20, 3, 30});
  // k[j, c, m]: (c0,m0) = [1,1], (c0,m1) = [1,0], (c1,m0) = [0,1], (c1,m1) = [2,-1]
  Tensor k = Tensor::from({2, 2, 2}, {1, 1, 0, 2, 1, 0, 1, -1});
  Tensor b = Tensor::from({4}, {0, 0, 0, 0.5f});
  // t=0: [1+2, 1, 20, 20-20+0.5], t=1: [2+3, 2, 30, 40-30+0.5]
  check_close(ops::depthwise_conv1d(x, k, b), {3, 1, 20, 0.5f, 5, 2, 30, 10.5f});
}

TEST_CASE("depthwise_conv1d: the naive reference and gradients (same, strides, dilation)") {
  for (const auto& [s, d, pad] : std::vector<std::tuple<int, int, std::string>>{{1, 2, "same"}, {2, 1, "valid"}, {3, 1, "same"}}) {
    INFO("s " << s << " d " << d << " " << pad);
    Tensor x = random_tensor({2, 8, 3}, 5), k = random_tensor({3, 3, 2}, 6), b = random_tensor({6}, 7);
    Array x4 = x.value(), k4 = k.value();
    x4.reshape({2, 1, 8, 3});
    k4.reshape({1, 3, 3, 2});
    Array expected = testing::ref_depthwise_conv2d(x4, k4, &b.value(), 1, s, pad, 1, d);
    const Tensor y = ops::depthwise_conv1d(x, k, b, s, pad, d);
    expected.reshape({2, expected.shape()[2], 6});
    CHECK(all_close(y.value(), expected, 5e-4, 1e-5));
    check_gradients([&] { return ops::depthwise_conv1d(x, k, b, s, pad, d); }, {x, k, b});
  }
  CHECK_THROWS_WITH(ops::depthwise_conv1d(random_tensor({1, 5, 3}), random_tensor({2, 2, 2}), Tensor()),
                    Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::depthwise_conv1d(random_tensor({1, 5, 3}), random_tensor({2, 3, 2}), Tensor(), 1, "causal"),
                    Catch::Contains("\"valid\", \"same\""));
}
