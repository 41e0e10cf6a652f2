// ops::conv2d_transpose / conv1d_transpose and conv_transpose_window: Keras's output sizes, the
// reference's hand-computed example, the naive scatter loop, gradients and errors.
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

struct CaseT {
  int filters, kh, kw, sh, sw;
  std::string padding;
  int oph = -1, opw = -1;  // -1: output_padding None
  int dh = 1, dw = 1;
};

std::optional<ops::Size2> op_of(const CaseT& c) {
  return c.oph < 0 ? std::nullopt : std::optional<ops::Size2>(ops::Size2(c.oph, c.opw));
}

Tensor run(const Tensor& x, const Tensor& k, const Tensor& b, const CaseT& c) {
  return ops::conv2d_transpose(x, k, b, {c.sh, c.sw}, c.padding, op_of(c), {c.dh, c.dw});
}

Array reference(const Tensor& x, const Tensor& k, const Tensor* b, const CaseT& c) {
  return testing::ref_conv2d_transpose(x.value(), k.value(), b ? &b->value() : nullptr, c.sh, c.sw, c.padding, c.oph,
                                       c.opw, c.dh, c.dw);
}

}  // namespace

TEST_CASE("conv_transpose_window: Keras's output sizes with and without output_padding") {
  using ops::conv_transpose_window;
  // valid: (n-1)s + max(k_eff, s); same: n*s
  CHECK(conv_transpose_window(8, 2, 2, 1, "valid").out == 16);
  CHECK(conv_transpose_window(14, 7, 16, 1, "valid").out == 224);  // stride > kernel: 13*16 + 16
  CHECK(conv_transpose_window(5, 3, 1, 2, "valid").out == 9);      // k_eff 5: 4 + 5
  CHECK(conv_transpose_window(4, 3, 2, 1, "same").out == 8);
  // with output_padding: valid (n-1)s + k_eff + op, same (n-1)s + k_eff % 2 + op
  CHECK(conv_transpose_window(8, 2, 3, 1, "same", 2).out == 23);
  CHECK(conv_transpose_window(8, 3, 3, 1, "valid", 1).out == 25);
  CHECK(conv_transpose_window(8, 3, 3, 1, "same", 0).out == 22);
  // the same split: before = max((n-1)s + k_eff - out, 0) / 2
  CHECK(conv_transpose_window(2, 3, 2, 1, "same").pad_before == 0);  // (1*2 + 3 - 4) / 2 = 0
  CHECK(conv_transpose_window(3, 5, 1, 1, "same").pad_before == 2);
  CHECK(conv_transpose_window(2, 3, 2, 1, "valid").pad_before == 0);
  CHECK_THROWS_WITH(conv_transpose_window(4, 3, 2, 1, "same", 2), Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(conv_transpose_window(4, 3, 2, 1, "same", -1), Catch::Contains("output padding"));
  CHECK_THROWS_AS(conv_transpose_window(4, 3, 0, 1, "same"), ValueError);
  CHECK_THROWS_WITH(conv_transpose_window(1 << 20, 3, 1 << 20, 1, "valid"), Catch::Contains("2^26"));
}

TEST_CASE("conv2d_transpose: the reference's example, [[1,2],[3,4]] with a 3x3 ones kernel, stride 2") {
  Tensor x = Tensor::from({1, 2, 2, 1}, {1, 2, 3, 4});
  Tensor k = Tensor::full({3, 3, 1, 1}, 1.0f);
  const Tensor same = ops::conv2d_transpose(x, k, Tensor(), 2, "same");
  REQUIRE(same.shape() == Shape{1, 4, 4, 1});
  check_close(same, {1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4});
  const Tensor valid = ops::conv2d_transpose(x, k, Tensor(), 2, "valid");
  REQUIRE(valid.shape() == Shape{1, 5, 5, 1});
  check_close(valid, {1, 1, 3, 2, 2, 1, 1, 3, 2, 2, 4, 4, 10, 6, 6, 3, 3, 7, 4, 4, 3, 3, 7, 4, 4});
}

TEST_CASE("conv2d_transpose: kernel (kh, kw, filters, in) is not flipped, and the bias is added everywhere") {
  // one input pixel of value 1 at (0,0), 2x2 kernel with distinct taps, stride 2, valid: y = the kernel
  Tensor x = Tensor::from({1, 1, 1, 1}, {1});
  Tensor k = Tensor::from({2, 2, 1, 1}, {1, 2, 3, 4});
  check_close(ops::conv2d_transpose(x, k, Tensor::from({1}, {0.5f}), 2), {1.5f, 2.5f, 3.5f, 4.5f});
  // 2 filters x 1 input channel: filter f takes k[..., f, 0]
  Tensor k2 = Tensor::from({1, 1, 2, 1}, {3, -1});
  check_close(ops::conv2d_transpose(Tensor::from({1, 1, 2, 1}, {1, 2}), k2, Tensor()), {3, -1, 6, -2});
}

TEST_CASE("conv2d_transpose: Keras test shapes and the naive scatter loop") {
  const std::vector<std::pair<CaseT, Shape>> cases = {
      {{5, 2, 2, 2, 2, "valid"}, {2, 16, 16, 5}},
      {{6, 2, 2, 3, 3, "same", 2, 2}, {2, 23, 23, 6}},
      {{6, 2, 3, 2, 1, "valid"}, {2, 16, 10, 6}},
      {{3, 3, 3, 1, 1, "same", -1, -1, 2, 2}, {2, 8, 8, 3}},
      {{3, 3, 3, 1, 1, "valid", -1, -1, 2, 1}, {2, 12, 10, 3}},
      {{4, 3, 3, 2, 2, "same"}, {2, 16, 16, 4}},
      {{4, 3, 3, 2, 2, "valid", 1, 0}, {2, 18, 17, 4}},
      {{2, 4, 4, 3, 3, "same", 1, 2}, {2, 22, 23, 2}},  // k_eff % 2 = 0
      {{2, 2, 2, 3, 3, "valid"}, {2, 24, 24, 2}},  // stride > kernel: rows no input reaches hold the bias
  };
  unsigned seed = 20;
  for (const auto& [c, shape] : cases) {
    INFO("filters " << c.filters << " kernel (" << c.kh << "," << c.kw << ") strides (" << c.sh << "," << c.sw << ") "
                    << c.padding << " output_padding (" << c.oph << "," << c.opw << ") dilation (" << c.dh << ","
                    << c.dw << ")");
    const Tensor x = random_tensor({2, 8, 8, 4}, ++seed);
    const Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), std::size_t(c.filters), 4}, ++seed);
    const Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    const Tensor y = run(x, k, b, c);
    REQUIRE(y.shape() == shape);
    CHECK(all_close(y.value(), reference(x, k, &b, c), 5e-4, 1e-5));
    CHECK(all_close(run(x, k, Tensor(), c).value(), reference(x, k, nullptr, c), 5e-4, 1e-5));
  }
  // Keras's (1,14,14,2), 2 filters, kernel 7, stride 16, valid -> (1,224,224,2)
  const Tensor x = random_tensor({1, 14, 14, 2}, 1), k = random_tensor({7, 7, 2, 2}, 2);
  const CaseT big{2, 7, 7, 16, 16, "valid"};
  const Tensor y = run(x, k, Tensor(), big);
  REQUIRE(y.shape() == Shape{1, 224, 224, 2});
  CHECK(all_close(y.value(), reference(x, k, nullptr, big), 5e-4, 1e-5));
}

TEST_CASE("conv2d_transpose: gradients of input, kernel and bias by central differences") {
  const std::vector<CaseT> cases = {
      {3, 3, 3, 2, 2, "same"},           {2, 2, 3, 2, 1, "valid"},         {2, 3, 3, 1, 1, "same", -1, -1, 2, 2},
      {2, 3, 2, 3, 2, "valid", 2, 1},    {2, 2, 2, 3, 3, "same"},          {3, 1, 1, 1, 1, "valid"},
  };
  unsigned seed = 50;
  for (const auto& c : cases) {
    INFO("kernel (" << c.kh << "," << c.kw << ") strides (" << c.sh << "," << c.sw << ") " << c.padding
                    << " output_padding (" << c.oph << "," << c.opw << ") dilation " << c.dh);
    Tensor x = random_tensor({2, 3, 4, 3}, ++seed);
    Tensor k = random_tensor({std::size_t(c.kh), std::size_t(c.kw), std::size_t(c.filters), 3}, ++seed);
    Tensor b = random_tensor({std::size_t(c.filters)}, ++seed);
    check_gradients([&] { return run(x, k, b, c); }, {x, k, b});
  }
}

TEST_CASE("conv1d_transpose: the 2-D scatter loop with height 1, gradients, errors") {
  for (const auto& [s, pad, op, d] : std::vector<std::tuple<int, std::string, int, int>>{
           {2, "same", -1, 1}, {3, "valid", 2, 1}, {1, "same", -1, 2}, {3, "valid", -1, 1}}) {
    INFO("s " << s << " " << pad << " output_padding " << op << " d " << d);
    Tensor x = random_tensor({2, 5, 3}, 8), k = random_tensor({3, 4, 3}, 9), b = random_tensor({4}, 10);
    Array x4 = x.value(), k4 = k.value();
    x4.reshape({2, 1, 5, 3});
    k4.reshape({1, 3, 4, 3});
    Array expected = testing::ref_conv2d_transpose(x4, k4, &b.value(), 1, s, pad, op < 0 ? -1 : 0, op, 1, d);
    expected.reshape({2, expected.shape()[2], 4});
    const auto opt = op < 0 ? std::nullopt : std::optional<int>(op);
    const Tensor y = ops::conv1d_transpose(x, k, b, s, pad, opt, d);
    CHECK(all_close(y.value(), expected, 5e-4, 1e-5));
    check_gradients([&] { return ops::conv1d_transpose(x, k, b, s, pad, opt, d); }, {x, k, b});
  }
  CHECK_THROWS_WITH(ops::conv1d_transpose(random_tensor({1, 4, 3}), random_tensor({2, 2, 2}), Tensor()),
                    Catch::Contains("input channels"));
  CHECK_THROWS_WITH(ops::conv1d_transpose(random_tensor({1, 4, 3}), random_tensor({2, 2, 3}), Tensor(), 2, "same", 2),
                    Catch::Contains("greater than output padding"));
}

TEST_CASE("conv2d_transpose: errors are ValueErrors that say what was expected") {
  const Tensor x = random_tensor({1, 4, 4, 3}, 1), k = random_tensor({3, 3, 2, 3}, 2);
  CHECK_THROWS_WITH(ops::conv2d_transpose(x, random_tensor({3, 3, 3, 2}, 2), Tensor()),
                    Catch::Contains("input channels (its last axis)"));
  CHECK_THROWS_WITH(ops::conv2d_transpose(x, k, random_tensor({3}, 3)), Catch::Contains("bias of shape (2,)"));
  CHECK_THROWS_WITH(ops::conv2d_transpose(x, k, Tensor(), 2, "same", ops::Size2(1, 2)),
                    Catch::Contains("greater than output padding"));
  CHECK_THROWS_WITH(ops::conv2d_transpose(x, k, Tensor(), 1, "causal"), Catch::Contains("\"valid\", \"same\""));
  CHECK_THROWS_WITH(ops::conv2d_transpose(random_tensor({4, 4, 3}, 1), k, Tensor()), Catch::Contains("4-D input"));
  // a huge stride would make a 2^41-value image: refused before any allocation
  CHECK_THROWS_WITH(ops::conv2d_transpose(x, k, Tensor(), 1 << 18), Catch::Contains("2^36"));
}
