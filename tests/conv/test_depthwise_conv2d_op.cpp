// ops::depthwise_conv2d: Keras's channel order c*M + m by hand, the naive loop on Keras's
// depthwise_conv_test configurations, central-difference gradients and errors.
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

TEST_CASE("depthwise_conv2d: hand-computed, output channel c*M + m, bias per output channel") {
  // ch0 = [[1,2],[3,4]], ch1 = [[5,6],[7,8]]; a 2x2 window gives one pixel
  Tensor x = Tensor::from({1, 2, 2, 2}, {1, 5, 2, 6, 3, 7, 4, 8});
  // k[a, b, c, m]: (c0,m0) ones -> 10; (c0,m1) top-left only -> 1; (c1,m0) bottom-right only -> 8; (c1,m1) 0.5 -> 13
  Tensor k = Tensor::from({2, 2, 2, 2}, {1, 1, 0, 0.5f, 1, 0, 0, 0.5f, 1, 0, 0, 0.5f, 1, 0, 1, 0.5f});
  check_close(ops::depthwise_conv2d(x, k, Tensor()), {10, 1, 8, 13});
  check_close(ops::depthwise_conv2d(x, k, Tensor::from({4}, {0.5f, 0, 0, 1})), {10.5f, 1, 8, 14});
}

TEST_CASE("depthwise_conv2d: Keras depthwise_conv_test configurations against the naive loop") {
  struct Case {
    Shape in;
    int M, kh, kw, sh, sw;
    std::string padding;
    int dh, dw;
    Shape out;
  };
  const std::vector<Case> cases = {
      {{3, 5, 5, 4}, 5, 2, 2, 1, 1, "valid", 1, 1, {3, 4, 4, 20}},
      {{3, 4, 4, 4}, 6, 2, 2, 1, 1, "same", 2, 2, {3, 4, 4, 24}},
      {{3, 5, 5, 4}, 6, 2, 2, 2, 2, "valid", 1, 1, {3, 2, 2, 24}},
      {{2, 7, 6, 3}, 1, 3, 3, 2, 2, "same", 1, 1, {2, 4, 3, 3}},
      {{2, 7, 6, 3}, 2, 3, 2, 1, 1, "same", 2, 1, {2, 7, 6, 6}},
      {{1, 6, 6, 16}, 1, 3, 3, 1, 1, "same", 1, 1, {1, 6, 6, 16}},  // MobileNet-style: many channels, M = 1
  };
  unsigned seed = 3;
  for (const auto& c : cases) {
    INFO("input " << shape_str(c.in) << " M " << c.M << " kernel (" << c.kh << "," << c.kw << ") strides (" << c.sh
                  << "," << c.sw << ") " << c.padding << " dilation (" << c.dh << "," << c.dw << ")");
    const Tensor x = random_tensor(c.in, ++seed);
    const Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), c.in[3], std::size_t(c.M)}, ++seed);
    const Tensor b = random_tensor({c.in[3] * std::size_t(c.M)}, ++seed);
    const Tensor y = ops::depthwise_conv2d(x, k, b, {c.sh, c.sw}, c.padding, {c.dh, c.dw});
    REQUIRE(y.shape() == c.out);
    CHECK(all_close(y.value(), testing::ref_depthwise_conv2d(x.value(), k.value(), &b.value(), c.sh, c.sw, c.padding, c.dh, c.dw),
                    5e-4, 1e-5));
    CHECK(all_close(ops::depthwise_conv2d(x, k, Tensor(), {c.sh, c.sw}, c.padding, {c.dh, c.dw}).value(),
                    testing::ref_depthwise_conv2d(x.value(), k.value(), nullptr, c.sh, c.sw, c.padding, c.dh, c.dw),
                    5e-4, 1e-5));
  }
}

TEST_CASE("depthwise_conv2d: gradients of input, kernel and bias by central differences") {
  for (const auto& [M, s, d, pad] : std::vector<std::tuple<int, int, int, std::string>>{
           {2, 1, 1, "same"}, {1, 2, 1, "valid"}, {3, 1, 2, "same"}, {2, 2, 1, "same"}}) {
    INFO("M " << M << " s " << s << " d " << d << " " << pad);
    Tensor x = random_tensor({2, 5, 5, 3}, 40), k = random_tensor({3, 3, 3, std::size_t(M)}, 41);
    Tensor b = random_tensor({3 * std::size_t(M)}, 42);
    check_gradients([&] { return ops::depthwise_conv2d(x, k, b, s, pad, d); }, {x, k, b});
  }
}

TEST_CASE("depthwise_conv2d: errors are ValueErrors that say what was expected") {
  const Tensor x = random_tensor({1, 5, 5, 3}, 1);
  CHECK_THROWS_WITH(ops::depthwise_conv2d(x, random_tensor({3, 3, 2, 2}), Tensor()), Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::depthwise_conv2d(x, random_tensor({3, 3, 3, 2}), random_tensor({3})),
                    Catch::Contains("bias of shape (6,)"));
  CHECK_THROWS_WITH(ops::depthwise_conv2d(x, random_tensor({6, 6, 3, 1}), Tensor()), Catch::Contains("does not fit"));
  CHECK_THROWS_WITH(ops::depthwise_conv2d(x, random_tensor({3, 3, 3}), Tensor()), Catch::Contains("depth_multiplier"));
  CHECK_THROWS_WITH(ops::depthwise_conv2d(x, random_tensor({3, 3, 3, 1}), Tensor(), {1, 0}), Catch::Contains("strides"));
}
